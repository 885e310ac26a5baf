/**
 * Which Kubernetes objects the rules read. An object of any other kind (an Ingress, a Service) is
 * parsed and checked for stored credentials, but holds nothing about workload identity: the
 * summary counts it as an object of a kind no rule reads, not as a resource.
 */
import type { Resource, UnreadObjects } from './types.js';
import { COLLECTED_TYPES } from '../live/kubernetes/resource-types.js';
import { POD_TEMPLATE_KINDS } from '../rules-support/azure.js';
import { bareObject } from '../util/bare-object.js';

/** What a live scan lists is what the rules read; every kind with a pod template runs workloads. */
const READ_KINDS = new Set<string>([...COLLECTED_TYPES.map((t) => t.kind), ...POD_TEMPLATE_KINDS]);

/**
 * Kubernetes objects no rule reads: of a kind outside {@link READ_KINDS}, holding no credential,
 * and not translated into a canonical resource (Config Connector's translations have ids
 * `<object id>>…`).
 */
export function unreadObjects(resources: readonly Resource[]): { unread: Set<Resource>; objects: UnreadObjects } {
  const translated = new Set<string>();
  for (const r of resources) {
    const at = r.id.indexOf('>');
    if (at > 0) translated.add(r.id.slice(0, at));
  }
  const unread = new Set<Resource>();
  // Kinds come from the input: a kind named `constructor` or `__proto__` is counted like any other.
  const byKind = bareObject<number>();
  for (const r of resources) {
    if (!r.type.startsWith('k8s.')) continue;
    const kind = r.type.slice('k8s.'.length);
    if (READ_KINDS.has(kind) || (r.credentials?.length ?? 0) > 0 || translated.has(r.id)) continue;
    unread.add(r);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  const sorted = Object.fromEntries(Object.entries(byKind).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0)));
  return { unread, objects: { count: unread.size, byKind: sorted } };
}
