/**
 * AWS CLI JSON dumps of EKS Pod Identity associations → `aws.eks.PodIdentityAssociation`, the shape the live AWS
 * collector builds from `DescribePodIdentityAssociation`:
 * - `aws eks describe-pod-identity-association` prints `{"association": {clusterName, namespace, serviceAccount,
 *   roleArn, associationArn, associationId, targetRoleArn?, ...}}`;
 * - `aws eks list-pod-identity-associations` prints `{"associations": [{clusterName, namespace, serviceAccount,
 *   associationArn, associationId, ownerArn?}], "nextToken"?}`: summaries without the role, so a note says which
 *   command gives it.
 */
import type { JsonObject, JsonValue } from '../model/types.js';
import type { ParsedDocument } from '../util/structured.js';
import { relativeId } from './ids.js';
import { rebase } from './kubernetes.js';
import { account, emptyResult, type CollectOptions, type CollectResult, type SourceFile } from './types.js';

export const AWS_CLI_FORMAT = 'AWS CLI JSON (EKS Pod Identity associations)';

function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

/** An association or its summary: both name the cluster, namespace, service account and association. */
function isAssociation(v: JsonValue | undefined): boolean {
  const o = asObject(v);
  return !!o && typeof o['clusterName'] === 'string' && typeof o['namespace'] === 'string' && typeof o['serviceAccount'] === 'string' && (typeof o['associationArn'] === 'string' || typeof o['associationId'] === 'string');
}

export function isAwsCliDump(value: JsonValue): boolean {
  const o = asObject(value);
  if (!o) return false;
  if (o['association'] !== undefined) return isAssociation(o['association']);
  const list = o['associations'];
  return Array.isArray(list) && list.length > 0 && list.every(isAssociation);
}

export function collectAwsCli(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const result = emptyResult();
  account(result, file.path, AWS_CLI_FORMAT);
  const o = asObject(doc.value)!;
  const single = o['association'] !== undefined;
  const items: [JsonValue, string][] = single ? [[o['association']!, '/association']] : (o['associations'] as JsonValue[]).map((v, i) => [v, `/associations/${i}`]);
  const rel = relativeId(opts.root, file.path);
  let withoutRole = 0;
  for (const [item, ptr] of items) {
    const a = asObject(item)!;
    const cluster = a['clusterName'] as string;
    const display = `${cluster}/${String(a['namespace'])}/${String(a['serviceAccount'])}`;
    const arn = typeof a['associationArn'] === 'string' ? a['associationArn'] : undefined;
    const key = arn ?? `${cluster}/${String(a['associationId'])}`;
    if (a['roleArn'] === undefined) withoutRole++;
    result.resources.push({ id: `cli:${rel}:${key}`, type: 'aws.eks.PodIdentityAssociation', name: display, file: file.path, format: 'cli-json', body: a, positions: rebase(doc.positions, ptr), ...(arn ? { logicalLocation: arn } : {}) });
  }
  if (withoutRole > 0) {
    result.notes.push({
      kind: 'unresolved',
      level: 'note',
      file: file.path,
      line: doc.positions['']?.line ?? 1,
      message: `${withoutRole} Pod Identity association(s) without roleArn (the output of \`aws eks list-pod-identity-associations\`): their roles are not checked; save \`aws eks describe-pod-identity-association\` for each to check them`,
    });
  }
  return result;
}
