/**
 * `iam.serviceAccounts` (IRSA) and `iam.podIdentityAssociations` of an eksctl ClusterConfig → the roles eksctl
 * creates (with the trust it generates), the ServiceAccounts it creates, and the Pod Identity associations.
 *
 * IRSA trust, as eksctl's `MakeAssumeRolePolicyDocumentWithServiceAccountConditions` (pkg/iam/oidc/api.go) writes it:
 * `sts:AssumeRoleWithWebIdentity` from the cluster's OIDC provider with `StringEquals` on `<issuer>:sub` =
 * `system:serviceaccount:<ns>:<name>` and `<issuer>:aud` = `sts.amazonaws.com`; with `subjectPattern`, `sub` is
 * matched with `StringLike` (`…AllowingWildcard`). Pod Identity trust (`MakeAssumeRolePolicyDocumentForPodIdentity`):
 * `sts:AssumeRole` + `sts:TagSession` from `pods.eks.amazonaws.com`, no condition.
 */
import type { JsonObject, JsonValue, Resource } from '../../model/types.js';
import { AWS_ROLE_ARN_ANNOTATION } from '../../model/annotations.js';
import { createObject } from '../../util/structured.js';
import { escapeToken, join } from '../../util/pointer.js';
import { asObject, type EksctlContext, type Located, type RoleSpec } from './context.js';
import { wellKnownPolicies } from './policies.js';

/** How condition keys name the cluster's issuer, which is only known once the cluster exists. */
function issuerKey(ctx: EksctlContext, region: JsonValue | undefined): string {
  const host = typeof region === 'string' ? `oidc.eks.${region}.amazonaws.com` : 'oidc.eks.${region}.amazonaws.com';
  return `${host}/id/\${${ctx.clusterName}.oidc-id}`;
}

function located(entry: JsonObject, key: string, ptr: string): Located | undefined {
  const v = entry[key];
  return v === undefined || v === null || v === '' ? undefined : { value: v, ptr: join(ptr, key) };
}

function inlineDocument(entry: JsonObject, key: string, ptr: string, name: string): RoleSpec['inline'] {
  const doc = entry[key];
  return doc === undefined || doc === null ? [] : [{ name, document: doc, ptr: join(ptr, key), written: true }];
}

/** The ServiceAccount eksctl creates in the cluster. */
function serviceAccount(ctx: EksctlContext, ns: string, name: string, entryPtr: string, namePtr: string, meta: JsonObject | undefined, roleArn?: JsonValue): Resource {
  const at = ctx.positions().place('', entryPtr).place('/metadata', entryPtr).place('/metadata/name', namePtr);
  const metadata = createObject();
  metadata['name'] = name;
  metadata['namespace'] = ns;
  const labels = asObject(meta?.['labels']);
  if (labels) metadata['labels'] = labels;
  const annotations = createObject();
  for (const [k, v] of Object.entries(asObject(meta?.['annotations']) ?? {})) annotations[k] = v;
  if (roleArn !== undefined) {
    annotations[AWS_ROLE_ARN_ANNOTATION] = roleArn;
    // The line a reviewer changes is the entry's name: it is what puts the role on this ServiceAccount.
    at.place(`/metadata/annotations/${escapeToken(AWS_ROLE_ARN_ANNOTATION)}`, namePtr);
  }
  if (Object.keys(annotations).length > 0) metadata['annotations'] = annotations;
  return ctx.add('k8s-serviceaccount', `${ns}/${name}`, 'k8s.ServiceAccount', `${ns}/${name}`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata }, at, { namespace: ns, cluster: ctx.clusterName });
}

/** `iam.serviceAccounts`: one IRSA role each (unless `attachRoleARN`), and the ServiceAccount (unless `roleOnly`). */
export function serviceAccounts(ctx: EksctlContext, iam: JsonObject | undefined, provider: JsonValue): void {
  const region = asObject(ctx.config['metadata'])?.['region'];
  for (const [entry, ptr] of ctx.entries(iam, 'serviceAccounts', '/iam')) {
    const meta = asObject(entry['metadata']);
    const name = meta?.['name'];
    if (typeof name !== 'string' || name === '') {
      ctx.note('unsupported', 'warning', ptr, 'eksctl ClusterConfig: a service account without metadata.name is not read');
      continue;
    }
    const ns = typeof meta?.['namespace'] === 'string' && meta['namespace'] !== '' ? meta['namespace'] : 'default';
    const namePtr = `${ptr}/metadata/name`;
    const attachRole = located(entry, 'attachRoleARN', ptr);
    let roleArn: JsonValue;
    if (attachRole) {
      roleArn = attachRole.value;
    } else {
      const key = issuerKey(ctx, region);
      const pattern = typeof entry['subjectPattern'] === 'string' && entry['subjectPattern'] !== '' ? entry['subjectPattern'] : undefined;
      const subject = `system:serviceaccount:${ns}:${pattern ?? name}`;
      const condition: JsonObject = pattern
        ? { StringLike: { [`${key}:sub`]: subject }, StringEquals: { [`${key}:aud`]: 'sts.amazonaws.com' } }
        : { StringEquals: { [`${key}:sub`]: subject, [`${key}:aud`]: 'sts.amazonaws.com' } };
      const subTest = pattern ? 'StringLike' : 'StringEquals';
      const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRoleWithWebIdentity'], Principal: { Federated: provider }, Condition: condition }] };
      const known = ctx.flagPolicies(entry, 'wellKnownPolicies', ptr, wellKnownPolicies);
      const role = ctx.role({
        key: `irsa/${ns}/${name}`,
        display: `eksctl-${ctx.clusterName}-addon-iamserviceaccount-${ns}-${name}`,
        entryPtr: ptr,
        ...(located(entry, 'roleName', ptr) ? { roleName: located(entry, 'roleName', ptr)! } : {}),
        trust,
        trustAt: [
          ['/Statement/0', ptr],
          ['/Statement/0/Principal', '/iam/withOIDC'],
          [`/Statement/0/Condition/${subTest}/${escapeToken(`${key}:sub`)}`, pattern ? `${ptr}/subjectPattern` : namePtr],
        ],
        managed: [...ctx.arnList(entry, 'attachPolicyARNs', ptr), ...known.managed],
        inline: [...known.inline, ...inlineDocument(entry, 'attachPolicy', ptr, 'Policy1')],
        ...(located(entry, 'permissionsBoundary', ptr) ? { boundary: located(entry, 'permissionsBoundary', ptr)! } : {}),
      });
      roleArn = ctx.ref(role, 'Arn', `ARN of the role eksctl creates for ServiceAccount ${ns}/${name}`);
    }
    if (entry['roleOnly'] === true) continue;
    serviceAccount(ctx, ns, name, ptr, namePtr, meta, roleArn);
  }
}

/**
 * `iam.podIdentityAssociations` (and an addon's `podIdentityAssociations`, under `parentPtr`): the association, the
 * role eksctl creates when `roleARN` is not given, and the ServiceAccount when `createServiceAccount`.
 */
export function podIdentityAssociations(ctx: EksctlContext, parent: JsonObject | undefined, parentPtr: string): void {
  for (const [entry, ptr] of ctx.entries(parent, 'podIdentityAssociations', parentPtr)) {
    const ns = entry['namespace'];
    const sa = entry['serviceAccountName'];
    if (typeof ns !== 'string' || typeof sa !== 'string' || ns === '' || sa === '') {
      ctx.note('unsupported', 'warning', ptr, 'eksctl ClusterConfig: a pod identity association without namespace and serviceAccountName is not read');
      continue;
    }
    const given = located(entry, 'roleARN', ptr);
    let roleArn: JsonValue;
    if (given) {
      roleArn = given.value;
    } else {
      const known = ctx.flagPolicies(entry, 'wellKnownPolicies', ptr, wellKnownPolicies);
      const policyName = typeof entry['permissionPolicyName'] === 'string' && entry['permissionPolicyName'] !== '' ? entry['permissionPolicyName'] : 'Policy1';
      const role = ctx.role({
        key: `pod-identity/${ns}/${sa}`,
        display: `eksctl-${ctx.clusterName}-podidentityrole-${ns}-${sa}`,
        entryPtr: ptr,
        ...(located(entry, 'roleName', ptr) ? { roleName: located(entry, 'roleName', ptr)! } : {}),
        trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: { Service: 'pods.eks.amazonaws.com' } }] },
        trustAt: [['/Statement/0', ptr]],
        managed: [...ctx.arnList(entry, 'permissionPolicyARNs', ptr), ...known.managed],
        inline: [...known.inline, ...inlineDocument(entry, 'permissionPolicy', ptr, policyName)],
        ...(located(entry, 'permissionsBoundaryARN', ptr) ? { boundary: located(entry, 'permissionsBoundaryARN', ptr)! } : {}),
      });
      roleArn = ctx.ref(role, 'Arn', `ARN of the role eksctl creates for the pod identity association ${ns}/${sa}`);
    }
    const body: JsonObject = { clusterName: ctx.clusterName, namespace: ns, serviceAccount: sa, roleArn: roleArn };
    const at = ctx.positions().place('', ptr).place('/namespace', `${ptr}/namespace`).place('/serviceAccount', `${ptr}/serviceAccountName`).place('/roleArn', given?.ptr ?? ptr);
    const target = located(entry, 'targetRoleARN', ptr);
    if (target) {
      body['targetRoleArn'] = target.value;
      at.place('/targetRoleArn', target.ptr);
    }
    if (entry['disableSessionTags'] === true) body['disableSessionTags'] = true;
    ctx.add('pod-identity-association', `${ns}/${sa}`, 'aws.eks.PodIdentityAssociation', `${ctx.clusterName}/${ns}/${sa}`, body, at);
    if (entry['createServiceAccount'] === true) serviceAccount(ctx, ns, sa, ptr, `${ptr}/serviceAccountName`, undefined);
  }
}
