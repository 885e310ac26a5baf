/**
 * Stable per-object paths for live objects (`k8s/<context>/<namespace>/<kind>/<name>.yaml`):
 * what SARIF shows as the file of a live finding, and where `--objects-dir` writes the object.
 */
import { hash } from 'node:crypto';

/**
 * One path segment: no separators, no `.`/`..`, no control characters, and short enough to be a
 * file name with its extension (file systems take 255 bytes; a Kubernetes name may have 253
 * characters, a context any number): a longer one keeps what fits and ends in a hash of the whole.
 */
export function safeSegment(value: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[/\\\u0000-\u001f\u007f]/g, '_');
  if (Buffer.byteLength(cleaned) > MAX_SEGMENT_BYTES) return shortened(cleaned, value);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? `_${cleaned}` : cleaned;
}

/** A file name's 255 bytes less an extension (`.yaml`, `.json`). */
const MAX_SEGMENT_BYTES = 250;
const HASH_CHARS = 16;

function shortened(cleaned: string, value: string): string {
  const room = MAX_SEGMENT_BYTES - HASH_CHARS - 1;
  let kept = '';
  let bytes = 0;
  for (const ch of cleaned) {
    bytes += Buffer.byteLength(ch);
    if (bytes > room) break;
    kept += ch;
  }
  return `${kept}~${hash('sha256', value, 'hex').slice(0, HASH_CHARS)}`;
}

/** Cluster-scoped objects go under `_cluster`, which no namespace can be named (names are DNS labels). */
export const CLUSTER_SCOPE_SEGMENT = '_cluster';

export function kubernetesObjectPath(context: string, namespace: string | undefined, kind: string, name: string): string {
  return ['k8s', safeSegment(context), namespace === undefined ? CLUSTER_SCOPE_SEGMENT : safeSegment(namespace), safeSegment(kind), `${safeSegment(name)}.yaml`].join('/');
}

/** The API reference of an object, for SARIF logical locations: `/api/v1/namespaces/ns/serviceaccounts/name`. */
export function kubernetesApiReference(group: string, version: string, resource: string, namespace: string | undefined, name: string): string {
  const base = group === '' ? ['/api/', version] : ['/apis/', group, '/', version];
  const ns = namespace === undefined ? [] : ['/namespaces/', encodeURIComponent(namespace)];
  // Joined, not concatenated: one flat string, where a concatenation would hold its parts.
  return [...base, ...ns, '/', resource, '/', encodeURIComponent(name)].join('');
}
