/**
 * Which cluster each Kubernetes object belongs to, and the scan's list of clusters: those defined
 * in IaC or found live, merged with the `clusters` map of the configuration.
 */
import { dirname, relative, sep } from 'node:path';
import type { ClusterInfo, Resource } from './types.js';
import type { ClusterMapping } from '../engine/config.js';
import { globMatch } from '../util/glob.js';
import { rootRelative } from '../util/paths.js';

/** Clusters from IaC merged with the config's cluster map (which may add issuer and environment). */
export function mergeClusters(found: ClusterInfo[], clusterMap: readonly ClusterMapping[], root: string): ClusterInfo[] {
  const byName = new Map<string, ClusterInfo>();
  const ordered = [...found].sort((a, b) => ((a.resourceId ?? '') < (b.resourceId ?? '') ? -1 : (a.resourceId ?? '') > (b.resourceId ?? '') ? 1 : 0));
  for (const c of ordered) {
    const prev = byName.get(c.name);
    if (prev?.resourceId && c.resourceId && prev.resourceId !== c.resourceId) {
      // Two different IaC definitions with one name (unrelated estates scanned together): keep both.
      const named = { ...c, name: `${c.name} (${definedIn(c.resourceId, root)})` };
      byName.set(named.name, named);
      continue;
    }
    byName.set(c.name, prev ? { ...prev, ...definedOnly(c) } : { ...c });
  }
  for (const m of clusterMap) {
    const prev = byName.get(m.name) ?? { name: m.name };
    const merged: ClusterInfo = { ...prev };
    if (m.provider) merged.provider = m.provider;
    if (m.issuer) merged.issuer = m.issuer;
    if (m.environment) merged.environment = m.environment;
    const account = m.account ?? m.project ?? m.subscription;
    if (account) merged.account = account;
    byName.set(m.name, merged);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `tf:infra/eks:aws_eks_cluster.main` → `infra/eks`: where a cluster's definition lives, for telling two apart. */
function definedIn(resourceId: string, root: string): string {
  const parts = resourceId.split(':');
  return parts.length >= 3 ? parts[1]! : relative(root, resourceId);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Which cluster a Kubernetes object belongs to: (1) the config's cluster map, (2) the cluster
 * defined in IaC in its nearest ancestor directory that defines exactly one, (3) none (the
 * scan's one unnamed cluster).
 */
export function assignClusters(resources: Resource[], clusters: ClusterInfo[], clusterMap: readonly ClusterMapping[], root: string): void {
  const clusterDirs = new Map<string, string[]>();
  const byId = new Map(resources.map((r) => [r.id, r]));
  for (const c of clusters) {
    const def = c.resourceId ? byId.get(c.resourceId) : undefined;
    if (!def) continue;
    const dir = dirname(def.file);
    const list = clusterDirs.get(dir) ?? [];
    list.push(c.name);
    clusterDirs.set(dir, list);
  }
  for (const r of resources) {
    if (!r.type.startsWith('k8s.') || r.cluster !== undefined || r.format === 'live') continue;
    const rel = clusterMap.length > 0 ? rootRelative(root, r.file) : '';
    const mapped = clusterMap.find((m) => m.paths.some((g) => globMatch(g, rel)));
    if (mapped) {
      r.cluster = mapped.name;
      continue;
    }
    for (let dir = dirname(r.file); ; dir = dirname(dir)) {
      const names = clusterDirs.get(dir);
      if (names && names.length === 1) {
        r.cluster = names[0]!;
        break;
      }
      if (names && names.length > 1) break;
      if (dir === dirname(dir) || !(dir + sep).startsWith(root + sep) && dir !== root) break;
    }
  }
}
