/**
 * Pulumi projects (`Pulumi.yaml`): a program in a general-purpose language (or Pulumi YAML) that
 * podtrust does not run. Recognised so that it is named, never passed over as "no findings".
 */
import { basename } from 'node:path';
import type { JsonValue } from '../model/types.js';
import type { ParsedDocument } from '../util/structured.js';
import { account, emptyResult, type CollectResult, type SourceFile } from './types.js';

const PROJECT_FILE = /^Pulumi\.ya?ml$/;

/** A Pulumi project file: named `Pulumi.yaml` with a `name` and a `runtime` (a string or `{ name }`). */
export function isPulumiProject(path: string, value: JsonValue): boolean {
  if (!PROJECT_FILE.test(basename(path)) || typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const runtime = value.runtime;
  return typeof value.name === 'string' && (typeof runtime === 'string' || (typeof runtime === 'object' && runtime !== null && !Array.isArray(runtime) && typeof runtime.name === 'string'));
}

export function collectPulumiProject(file: SourceFile, doc: ParsedDocument): CollectResult {
  const result = emptyResult();
  account(result, file.path, 'Pulumi project', 'not-analysed');
  result.notes.push({
    kind: 'unsupported',
    level: 'warning',
    file: file.path,
    line: doc.positions['/runtime']?.line ?? doc.positions['']?.line ?? 1,
    message: 'Pulumi project: podtrust does not run Pulumi programs; scan what it deployed instead (--aws, --azure-subscription, --gcp-project, --kubeconfig)',
  });
  return result;
}
