/**
 * Kubernetes objects from YAML/JSON manifests (multi-document files, `kind: List`, rendered
 * Helm output, stdin). Objects keep the API shape; positions come from the parser.
 */
import type { JsonObject, JsonValue, PositionMap, Resource, InSourceSuppression } from '../model/types.js';
import type { ParsedDocument } from '../util/structured.js';
import { account, type CollectOptions, type CollectResult, type SourceFile } from './types.js';
import { escapeToken } from '../util/pointer.js';
import { relativeId } from './ids.js';
import { documentCommentSuppressions } from './kubernetes-comments.js';
import { forEachInSubtree } from '../util/position-subtree.js';
import { isObject } from '../util/json-object.js';

export const IGNORE_ANNOTATION_PREFIX = 'podtrust.io/ignore.';

export const KUBERNETES_FORMAT = 'Kubernetes manifest';

/** A Kubernetes object has string `apiVersion` and `kind`. */
export function isKubernetesObject(value: JsonValue): boolean {
  return isObject(value) && typeof value.apiVersion === 'string' && typeof value.kind === 'string' && value.apiVersion !== '' && value.kind !== '';
}

/** A Kubernetes resource's display name: `namespace/name`, or its name alone. */
export function kubernetesDisplayName(metadata: JsonObject | undefined): string {
  const name = typeof metadata?.name === 'string' ? metadata.name : typeof metadata?.generateName === 'string' ? `${metadata.generateName}*` : '(unnamed)';
  const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
  return namespace ? `${namespace}/${name}` : name;
}

export function collectKubernetes(file: SourceFile, doc: ParsedDocument, opts: CollectOptions, seenIds: Map<string, number>): CollectResult {
  const result: CollectResult = { resources: [], clusters: [], notes: [] };
  account(result, file.path, KUBERNETES_FORMAT);
  const byPrefix: { prefix: string; resource: Resource }[] = [];
  const visit = (value: JsonValue, pointer: string, inherited?: { kind: string; apiVersion: string }): void => {
    if (!isObject(value)) return;
    // Items of a typed list as the API returns it (`ServiceAccountList`) carry no kind of their own.
    if (typeof value.kind !== 'string' && inherited) {
      value.kind = inherited.kind;
      if (typeof value.apiVersion !== 'string') value.apiVersion = inherited.apiVersion;
    }
    if (typeof value.kind !== 'string' || value.kind === '') {
      const at = doc.positions[pointer];
      result.notes.push({ kind: 'unsupported', level: 'warning', file: file.path, ...(at ? { line: at.line } : {}), message: 'list item without a kind: skipped' });
      return;
    }
    const kind = value.kind;
    if (kind.endsWith('List') && Array.isArray(value.items)) {
      const itemKind = kind === 'List' ? undefined : { kind: kind.slice(0, -'List'.length), apiVersion: typeof value.apiVersion === 'string' ? value.apiVersion : 'v1' };
      value.items.forEach((item, i) => visit(item, `${pointer}/items/${i}`, itemKind));
      return;
    }
    const metadata = isObject(value.metadata) ? value.metadata : undefined;
    const namespace = typeof metadata?.namespace === 'string' ? metadata.namespace : undefined;
    const display = kubernetesDisplayName(metadata);
    const base = `k8s:${relativeId(opts.root, file.path)}:${kind}/${display}`;
    const count = seenIds.get(base) ?? 0;
    seenIds.set(base, count + 1);
    const resource: Resource = {
      id: count === 0 ? base : `${base}#${count + 1}`,
      type: `k8s.${kind}`,
      name: display,
      file: file.path,
      format: 'kubernetes',
      body: value,
      positions: rebase(doc.positions, pointer),
    };
    if (namespace !== undefined) resource.namespace = namespace;
    const suppressions = annotationSuppressions(value, resource.positions);
    if (suppressions.length > 0) resource.suppressions = suppressions;
    result.resources.push(resource);
    byPrefix.push({ prefix: pointer, resource });
  };
  visit(doc.value, '');
  documentCommentSuppressions(file, doc, byPrefix, result.notes);
  return result;
}

/** The positions under `prefix`, re-keyed relative to it. */
export function rebase(positions: PositionMap, prefix: string): PositionMap {
  if (prefix === '') return positions;
  const out: PositionMap = Object.create(null) as PositionMap;
  forEachInSubtree(positions, prefix, (k, v) => {
    out[k.slice(prefix.length)] = v;
  });
  return out;
}

/** `podtrust.io/ignore.<rule-id>: "<reason>"` annotations: a reason is required. */
export function annotationSuppressions(obj: JsonObject, positions: PositionMap): InSourceSuppression[] {
  const out: InSourceSuppression[] = [];
  const metadata = obj.metadata;
  if (!isObject(metadata) || !isObject(metadata.annotations)) return out;
  for (const [key, reason] of Object.entries(metadata.annotations)) {
    if (!key.startsWith(IGNORE_ANNOTATION_PREFIX)) continue;
    const ruleId = key.slice(IGNORE_ANNOTATION_PREFIX.length);
    const position = positions[`/metadata/annotations/${escapeToken(key)}`];
    const s: InSourceSuppression = { ruleId, justification: typeof reason === 'string' ? reason.trim() : '', pointer: '' };
    if (position) s.position = position;
    out.push(s);
  }
  return out;
}
