/**
 * One YAML or JSON input file → the resources of every document in it. Each document goes to
 * the collector that recognises it; anything else (values files, CI workflows, package.json)
 * is skipped quietly.
 */
import { extname } from 'node:path';
import type { CollectOptions, CollectResult, SourceFile } from './types.js';
import { emptyResult, mergeResults, withinDepth } from './types.js';
import { STDIN_PATH } from './types.js';
import { errorSummary, failureInjection, internalErrorNote } from './isolate.js';
import { lenientJsonNote, parseJson, type StructuredLimits, type ParseOutput } from '../util/structured.js';
import { parseYaml } from '../util/yaml.js';
import { isStackOverflow, NestingTooDeep, noteNesting, STACK_OVERFLOW_MESSAGE } from '../util/nesting.js';
import { collectKubernetes, isKubernetesObject } from './kubernetes.js';
import { collectEksctl, isEksctlConfig } from './eksctl/index.js';
import { withCloudNative } from './cloud-native/index.js';
import { collectCloudFormation, isCloudFormation } from './cloudformation/index.js';
import { collectIamJson, isIamJson } from './iam-json.js';
import { collectArm, isArmTemplate } from './arm/index.js';
import { collectAzureCli, isAzureCliDump } from './azure-cli.js';
import { collectAwsCli, isAwsCliDump } from './aws-cli.js';
import { collectTerraformPlan, isTerraformPlan } from './terraform-plan.js';
import { collectGcloudJson, isGcloudJson } from './gcp/gcloud-json.js';
import { collectPulumiProject, isPulumiProject } from './pulumi.js';
import { redactResources } from '../credentials/redact.js';

function parseStructured(file: SourceFile, limits: StructuredLimits): ParseOutput {
  const ext = extname(file.path).toLowerCase();
  const looksJson = ext === '.json' || (file.path === STDIN_PATH || ext === '.template' ? /^\s*[{[]/.test(file.text) : false);
  return looksJson ? parseJson(file.text, limits) : parseYaml(file.text, { intrinsicTags: true, limits });
}

/**
 * Collects one file. It never throws: an unexpected failure (a programming error this file brought
 * out) becomes an internal-error note naming it, for one document or for the whole file.
 */
export function collectStructured(file: SourceFile, opts: CollectOptions, seenIds: Map<string, number> = new Map()): CollectResult {
  try {
    failureInjection()?.(file.path);
    return collectDocuments(file, opts, seenIds);
  } catch (e) {
    const result = emptyResult();
    result.notes.push(internalErrorNote(errorSummary(e), file.path, 1));
    return result;
  }
}

function collectDocuments(file: SourceFile, opts: CollectOptions, seenIds: Map<string, number>): CollectResult {
  const result = emptyResult();
  let parsed: ParseOutput;
  try {
    parsed = parseStructured(file, opts.limits);
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    result.notes.push({ kind: 'limit', level: 'error', file: file.path, line: 1, message: STACK_OVERFLOW_MESSAGE });
    return result;
  }
  for (const e of parsed.errors) {
    result.notes.push({ kind: e.limit ? 'limit' : 'parse-error', level: 'error', file: file.path, line: e.line, column: e.column, message: e.message });
  }
  if (parsed.lenient) result.notes.push(lenientJsonNote(file.path, parsed.lenient));
  for (const doc of parsed.documents) {
    try {
      // eksctl's ClusterConfig has an apiVersion and a kind too: it is not a Kubernetes object.
      if (isEksctlConfig(doc.value)) mergeResults(result, withinDepth(collectEksctl(file, doc, opts), opts.limits));
      else if (isKubernetesObject(doc.value)) mergeResults(result, withCloudNative(collectKubernetes(file, doc, opts, seenIds), file, opts, result));
      else if (isCloudFormation(doc.value)) mergeResults(result, withinDepth(collectCloudFormation(file, doc, opts), opts.limits));
      else if (isIamJson(doc.value)) mergeResults(result, withinDepth(collectIamJson(file, doc, opts), opts.limits));
      else if (isArmTemplate(doc.value)) mergeResults(result, withinDepth(collectArm(file, doc, opts), opts.limits));
      else if (isAzureCliDump(doc.value)) mergeResults(result, withinDepth(collectAzureCli(file, doc, opts), opts.limits));
      else if (isAwsCliDump(doc.value)) mergeResults(result, withinDepth(collectAwsCli(file, doc, opts), opts.limits));
      else if (isTerraformPlan(doc.value)) mergeResults(result, withinDepth(collectTerraformPlan(file, doc, opts), opts.limits));
      else if (isGcloudJson(doc.value)) mergeResults(result, withinDepth(collectGcloudJson(file, doc, opts), opts.limits));
      else if (isPulumiProject(file.path, doc.value)) mergeResults(result, collectPulumiProject(file, doc));
      // Anything else (values files, CI workflows, package.json, ...) is not ours: skipped quietly.
    } catch (e) {
      const line = doc.positions['']?.line ?? 1;
      if (e instanceof NestingTooDeep) noteNesting(result.notes, file.path, e, { positions: doc.positions, line });
      else if (isStackOverflow(e)) result.notes.push({ kind: 'limit', level: 'error', file: file.path, line, message: STACK_OVERFLOW_MESSAGE });
      else result.notes.push(internalErrorNote(errorSummary(e), file.path, line));
    }
  }
  // Secret values never enter the inventory, whichever collector read them: only redacted evidence does.
  redactResources(result.resources);
  return result;
}

