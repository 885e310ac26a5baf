/** Kubernetes facts several rules share: identity-bearing ServiceAccounts, annotations, RBAC shapes. */
import type { JsonObject, JsonValue, Resource } from '../model/types.js';
import type { Model } from '../model/model.js';
import { escapeToken } from '../util/pointer.js';
import { IDENTITY_ANNOTATIONS } from '../model/annotations.js';
import { isUnknown, valueText } from '../model/unknown.js';

export function asObject(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('$unknown' in v) ? v : undefined;
}

/** Pod specs of a Pod, a workload's pod template, or a CronJob's job template, with their pointers. */
export function podSpecsOf(obj: JsonObject): { spec: JsonObject; pointer: string }[] {
  const out: { spec: JsonObject; pointer: string }[] = [];
  const spec = asObject(obj.spec);
  if (!spec) return out;
  if (obj.kind === 'Pod') out.push({ spec, pointer: '/spec' });
  const template = asObject(spec.template);
  const templateSpec = asObject(template?.spec);
  if (templateSpec) out.push({ spec: templateSpec, pointer: '/spec/template/spec' });
  const jobSpec = asObject(asObject(spec.jobTemplate)?.spec);
  const jobPodSpec = asObject(asObject(jobSpec?.template)?.spec);
  if (jobPodSpec) out.push({ spec: jobPodSpec, pointer: '/spec/jobTemplate/spec/template/spec' });
  return out;
}

export function metadataOf(r: Resource): JsonObject {
  return asObject(asObject(r.body)?.metadata) ?? {};
}

export function namespaceOf(r: Resource): string {
  const ns = metadataOf(r).namespace;
  return typeof ns === 'string' ? ns : 'default';
}

/**
 * The namespace a join on this object must use: the one written (or the collector's, else `default` when
 * unset), and `undefined` when it is written but unresolved (`kubernetes_namespace.x.metadata[0].name`):
 * a rule joining on it is then undecided, never guessing `default`.
 */
export function joinNamespaceOf(r: Resource): string | undefined {
  const ns = metadataOf(r).namespace;
  if (ns === undefined || ns === null || ns === '') return r.namespace ?? 'default';
  return typeof ns === 'string' ? ns : undefined;
}

/**
 * The namespace two objects are joined on: {@link joinNamespaceOf}, or when that is unresolved the
 * expression it came from, which only the same expression matches (never a guess of `default`).
 */
export function namespaceJoinKey(r: Resource): string {
  return joinNamespaceOf(r) ?? valueText(metadataOf(r).namespace);
}

export function nameOf(r: Resource): string | undefined {
  const n = metadataOf(r).name;
  return typeof n === 'string' ? n : undefined;
}

/** A ServiceAccount (or association) that gives pods a cloud identity, with where that is written. */
export interface CloudIdentity {
  namespace: string;
  serviceAccount: string;
  resource: Resource;
  at: string;
  what: string;
}

/** Every ServiceAccount annotated with a cloud identity, and every EKS Pod Identity association. */
export function cloudIdentities(model: Model): CloudIdentity[] {
  const out: CloudIdentity[] = [];
  for (const sa of model.ofType('k8s.ServiceAccount')) {
    const name = nameOf(sa);
    const annotations = asObject(metadataOf(sa).annotations) ?? {};
    // A value Terraform resolves only at apply time (`aws_iam_role.x.arn`) is still an identity.
    const key = IDENTITY_ANNOTATIONS.find((k) => (typeof annotations[k] === 'string' && annotations[k] !== '') || isUnknown(annotations[k]));
    if (!name || !key) continue;
    out.push({ namespace: namespaceJoinKey(sa), serviceAccount: name, resource: sa, at: `/metadata/annotations/${escapeToken(key)}`, what: `${key}: ${valueText(annotations[key])}` });
  }
  for (const assoc of model.ofType('aws.eks.PodIdentityAssociation')) {
    const body = asObject(assoc.body) ?? {};
    if (typeof body.namespace !== 'string' || typeof body.serviceAccount !== 'string') continue;
    out.push({ namespace: body.namespace, serviceAccount: body.serviceAccount, resource: assoc, at: '/roleArn', what: 'EKS Pod Identity association' });
  }
  return out;
}
