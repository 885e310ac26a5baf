/**
 * One YAML or JSON input file → the resources of every document in it. Each document goes to
 * the collector that recognises it; anything else (values files, CI workflows, package.json)
 * is skipped quietly.
 */
import { extname } from 'node:path';
import type { CollectOptions, CollectResult, SourceFile } from './types.js';
import { emptyResult, mergeResults } from './types.js';
import { STDIN_PATH } from '../engine/inputs.js';
import { parseJson, parseYaml, type StructuredLimits, type ParseOutput } from '../util/structured.js';
import { collectKubernetes, isKubernetesObject } from './kubernetes.js';
import { collectCloudFormation, isCloudFormation } from './cloudformation/index.js';
import { collectIamJson, isIamJson } from './iam-json.js';
import { collectArm, isArmTemplate } from './arm/index.js';
import { collectAzureCli, isAzureCliDump } from './azure-cli.js';
import { collectTerraformPlan, isTerraformPlan } from './terraform-plan.js';
import { collectGcloudJson, isGcloudJson } from './gcp/gcloud-json.js';
import { redactResources } from '../credentials/redact.js';

function parseStructured(file: SourceFile, limits: StructuredLimits): ParseOutput {
  const ext = extname(file.path).toLowerCase();
  const looksJson = ext === '.json' || (file.path === STDIN_PATH || ext === '.template' ? /^\s*[{[]/.test(file.text) : false);
  return looksJson ? parseJson(file.text, limits) : parseYaml(file.text, { intrinsicTags: true, limits });
}

export function collectStructured(file: SourceFile, opts: CollectOptions, seenIds: Map<string, number> = new Map()): CollectResult {
  const result = emptyResult();
  const parsed = parseStructured(file, opts.limits);
  for (const e of parsed.errors) {
    result.notes.push({ kind: 'parse-error', level: 'error', file: file.path, line: e.line, column: e.column, message: e.message });
  }
  for (const doc of parsed.documents) {
    try {
      if (isKubernetesObject(doc.value)) mergeResults(result, collectKubernetes(file, doc, opts, seenIds));
      else if (isCloudFormation(doc.value)) mergeResults(result, collectCloudFormation(file, doc, opts));
      else if (isIamJson(doc.value)) mergeResults(result, collectIamJson(file, doc, opts));
      else if (isArmTemplate(doc.value)) mergeResults(result, collectArm(file, doc, opts));
      else if (isAzureCliDump(doc.value)) mergeResults(result, collectAzureCli(file, doc, opts));
      else if (isTerraformPlan(doc.value)) mergeResults(result, collectTerraformPlan(file, doc, opts));
      else if (isGcloudJson(doc.value)) mergeResults(result, collectGcloudJson(file, doc, opts));
      // Anything else (values files, CI workflows, package.json, ...) is not ours: skipped quietly.
    } catch (e) {
      result.notes.push({ kind: 'parse-error', level: 'error', file: file.path, line: doc.positions['']?.line ?? 1, message: `could not read this document: ${(e as Error).message}` });
    }
  }
  // Secret values never enter the inventory, whichever collector read them: only redacted evidence does.
  redactResources(result.resources);
  return result;
}
