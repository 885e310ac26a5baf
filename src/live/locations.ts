/**
 * Stable per-object paths for live objects (`k8s/<context>/<namespace>/<kind>/<name>.yaml`):
 * what SARIF shows as the file of a live finding, and where `--objects-dir` writes the object.
 */

/** One path segment: no separators, no `.`/`..`, no control characters. */
export function safeSegment(value: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = value.replace(/[/\\\u0000-\u001f\u007f]/g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? `_${cleaned}` : cleaned;
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
