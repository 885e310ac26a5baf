/**
 * What changes names and namespaces: `namespace`, `namePrefix`/`nameSuffix`, and afterwards the
 * references Kustomize updates to follow them (the ServiceAccount a pod runs as, RoleBinding
 * subjects and role references), as identity needs them.
 */
import type { JsonObject, JsonValue, Position } from '../../model/types.js';
import { ensurePath, setChild } from './located.js';
import { isObject } from '../../util/json-object.js';
import { groupVersionOf, idOf, isClusterScoped, kindOf, metadataOf, rememberId, type KObject } from './objects.js';

export function setNamespace(objects: KObject[], namespace: string, at: Position | undefined): void {
  for (const o of objects) {
    // A Namespace object of the core API is the namespace itself: Kustomize renames it.
    if (kindOf(o) === 'Namespace' && o.body.apiVersion === 'v1') {
      const meta = ensurePath(o.body, ['metadata'], at);
      if (meta) (rememberId(o), setChild(meta, 'name', namespace, at));
    }
    if (!isClusterScoped(o)) {
      const meta = ensurePath(o.body, ['metadata'], at);
      if (!meta) continue;
      rememberId(o);
      setChild(meta, 'namespace', namespace, at);
    }
    // Kustomize sets the namespace of RoleBinding subjects named `default` (its `defaultOnly` mode).
    if (kindOf(o) === 'RoleBinding' || kindOf(o) === 'ClusterRoleBinding') {
      const subjects = o.body.subjects;
      if (Array.isArray(subjects)) for (const s of subjects) if (isObject(s) && s.name === 'default') setChild(s, 'namespace', namespace, at);
    }
  }
}

/** Kinds Kustomize never renames. */
const NOT_RENAMED = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

export function addNameAffixes(objects: KObject[], prefix: string, suffix: string, at: { prefix?: Position; suffix?: Position }): void {
  for (const o of objects) {
    if (NOT_RENAMED.has(kindOf(o))) continue;
    const meta = metadataOf(o);
    if (!meta || typeof meta.name !== 'string') continue;
    rememberId(o);
    setChild(meta, 'name', `${prefix}${meta.name}${suffix}`, at.prefix ?? at.suffix);
  }
}

/** The pod spec whose `serviceAccountName` Kustomize updates: exactly the kinds of its name-reference field specs. */
function podSpec(o: KObject): JsonObject | undefined {
  const spec = o.body.spec;
  if (!isObject(spec)) return undefined;
  const kind = kindOf(o);
  const path = kind === 'Pod' ? [] : kind === 'CronJob' ? ['jobTemplate', 'spec', 'template', 'spec'] : ['Deployment', 'StatefulSet', 'ReplicationController', 'Job', 'DaemonSet', 'ReplicaSet'].includes(kind) ? ['template', 'spec'] : undefined;
  if (!path) return undefined;
  let cur: JsonValue | undefined = spec;
  for (const k of path) cur = isObject(cur) ? cur[k] : undefined;
  return isObject(cur) ? cur : undefined;
}

/** The referral a name points at, as Kustomize picks it: one object of the kind that ever had that name. */
function referral(objects: KObject[], kinds: readonly string[], name: string, referrer: KObject, namespace?: string): KObject | undefined {
  let candidates = objects.filter((o) => kinds.includes(kindOf(o)) && o.previous.concat(idOf(o)).some((id) => id.name === name));
  if (namespace !== undefined) {
    // An object without a namespace is in `default`, as Kustomize groups them.
    const orig = candidates.filter((o) => ((o.previous[0] ?? idOf(o)).namespace ?? 'default') === namespace);
    candidates = orig.length > 0 ? orig : candidates.filter((o) => (idOf(o).namespace ?? 'default') === namespace);
  }
  if (!isClusterScoped(referrer)) candidates = candidates.filter((o) => isClusterScoped(o) || kindOf(o) === 'ServiceAccount' || idOf(o).namespace === idOf(referrer).namespace);
  if (candidates.length === 0) return undefined;
  const first = idOf(candidates[0]!);
  return candidates.every((c) => idOf(c).name === first.name && idOf(c).namespace === first.namespace) ? candidates[0] : undefined;
}

/** Updates the references to objects whose name or namespace changed. */
export function fixReferences(objects: KObject[]): void {
  if (!objects.some((o) => o.previous.length > 0)) return;
  for (const o of objects) {
    const pod = podSpec(o);
    if (pod && typeof pod.serviceAccountName === 'string') {
      const sa = referral(objects, ['ServiceAccount'], pod.serviceAccountName, o);
      if (sa) setChild(pod, 'serviceAccountName', idOf(sa).name, undefined);
    }
    const kind = kindOf(o);
    if (kind !== 'RoleBinding' && kind !== 'ClusterRoleBinding') continue;
    const subjects = o.body.subjects;
    if (Array.isArray(subjects)) {
      for (const s of subjects) {
        if (!isObject(s) || s.kind !== 'ServiceAccount' || typeof s.name !== 'string') continue;
        const sa = referral(objects, ['ServiceAccount'], s.name, o, typeof s.namespace === 'string' ? s.namespace : undefined);
        if (!sa) continue;
        const id = idOf(sa);
        setChild(s, 'name', id.name, undefined);
        if (id.namespace !== undefined) setChild(s, 'namespace', id.namespace, undefined);
      }
    }
    const ref = o.body.roleRef;
    if (isObject(ref) && typeof ref.name === 'string' && typeof ref.kind === 'string') {
      const role = referral(objects, [ref.kind], ref.name, o);
      if (role && groupVersionOf(role).group === (typeof ref.apiGroup === 'string' ? ref.apiGroup : 'rbac.authorization.k8s.io')) setChild(ref, 'name', idOf(role).name, undefined);
    }
  }
}
