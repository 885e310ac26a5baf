/**
 * The references between cloud objects managed from Kubernetes, resolved once every file is read
 * (they may lie in different files): a Crossplane `RolePolicyAttachment` or `RolePolicy` and ACK
 * `policyRefs` are folded into their role as IAM reports it; an ASO credential's owner becomes the
 * identity it belongs to, and an assignment's `principalIdFromConfig` the identity that writes that
 * ConfigMap key.
 */
import type { CoverageNote, JsonObject, JsonValue, Position, Resource } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { forEachInSubtree } from '../../util/position-subtree.js';
import { unresolved } from '../gcp/unresolved.js';
import { errorSummary, internalErrorNote } from '../isolate.js';
import { awsFamily, objectKey, ROLE_ATTACHMENT_TYPE, ROLE_INLINE_POLICY_TYPE } from './aws-iam.js';
import { IDENTITY_GROUP } from './azure.js';
import { obj, readObject, sourceIdOf, str, type CloudObject } from './source.js';

const INTERMEDIATE = new Set([ROLE_ATTACHMENT_TYPE, ROLE_INLINE_POLICY_TYPE]);

interface Translated {
  resource: Resource;
  source: CloudObject;
}

/** Resolves the references; returns the resources without the intermediate ones, and notes. Never throws. */
export function linkCloudNative(resources: Resource[]): { resources: Resource[]; notes: CoverageNote[] } {
  const notes: CoverageNote[] = [];
  if (!resources.some((r) => INTERMEDIATE.has(r.type) || r.type.startsWith('azure.'))) return { resources, notes };
  try {
    link(resources, notes);
  } catch (e) {
    notes.push(internalErrorNote(errorSummary(e), undefined, undefined, 'references between ACK, Crossplane and Azure Service Operator objects are not resolved'));
  }
  return { resources: resources.filter((r) => !INTERMEDIATE.has(r.type)), notes };
}

function link(resources: Resource[], notes: CoverageNote[]): void {
  const byId = new Map(resources.map((r) => [r.id, r]));
  const translated: Translated[] = [];
  for (const r of resources) {
    const sourceId = sourceIdOf(r);
    const source = sourceId ? byId.get(sourceId) : undefined;
    const o = source ? readObject(source) : undefined;
    if (o) translated.push({ resource: r, source: o });
  }
  foldRolePolicies(translated, resources, notes);
  linkAsoIdentities(translated, resources);
}

function keyOf(t: Translated): string | undefined {
  const family = awsFamily(t.source.group);
  return family ? objectKey(family, t.source.namespace, t.source.name) : undefined;
}

function positionFor(target: Resource, from: Resource, pointer: string): Position | undefined {
  const pos = from.positions[pointer] ?? from.positions[''];
  if (!pos) return undefined;
  return from.file === target.file || pos.file !== undefined ? pos : { ...pos, file: from.file };
}

function foldRolePolicies(translated: Translated[], resources: Resource[], notes: CoverageNote[]): void {
  const roles = new Map<string, Resource>();
  const rolesByName = new Map<string, Resource[]>();
  const policies = new Map<string, Resource>();
  for (const t of translated) {
    const key = keyOf(t);
    if (t.resource.type === 'aws.iam.Role' && key) roles.set(key, t.resource);
    if (t.resource.type === 'aws.iam.Policy' && key) policies.set(key, t.resource);
  }
  for (const r of resources) {
    const name = obj(r.body)?.['RoleName'];
    if (r.type === 'aws.iam.Role' && typeof name === 'string') rolesByName.set(name, [...(rolesByName.get(name) ?? []), r]);
  }
  const byId = new Map(resources.map((r) => [r.id, r]));
  /** The one object of a type a selector picks (Crossplane picks any of several: then none is assumed). */
  const selected = (type: string, select: JsonObject | undefined): Resource | undefined => {
    const scope = str(select?.['scope']);
    const labels = Object.entries(obj(select?.['matchLabels']) ?? {});
    if (scope === undefined) return undefined;
    const found = translated.filter((t) => {
      const own = obj(t.source.metadata['labels']) ?? {};
      return t.resource.type === type && keyOf(t)?.startsWith(scope) && labels.every(([k, v]) => own[k] === v);
    });
    return found.length === 1 ? found[0]!.resource : undefined;
  };
  for (const t of translated) {
    if (!INTERMEDIATE.has(t.resource.type)) continue;
    const body = obj(t.resource.body) ?? {};
    const roleValue = body['role'];
    const named = typeof roleValue === 'string' ? rolesByName.get(roleValue) : undefined;
    const role = typeof body['roleObject'] === 'string'
      ? roles.get(body['roleObject'])
      : body['roleSelector'] !== undefined ? selected('aws.iam.Role', obj(body['roleSelector']))
      : isUnknown(roleValue) && roleValue.ref ? byId.get(roleValue.ref.id) : named?.length === 1 ? named[0] : undefined;
    if (!role) {
      const at = t.resource.positions[''];
      notes.push({
        kind: 'skipped',
        level: 'note',
        message: `${t.source.kind} ${t.source.name} names no role defined in the scan; its permissions are not attributed`,
        file: t.resource.file,
        ...(at ? { line: at.line, column: at.column } : {}),
      });
      continue;
    }
    const roleBody = obj(role.body)!;
    if (t.resource.type === ROLE_ATTACHMENT_TYPE) {
      const list = (Array.isArray(roleBody['AttachedManagedPolicies']) ? roleBody['AttachedManagedPolicies'] : (roleBody['AttachedManagedPolicies'] = [])) as JsonValue[];
      const policyKey = str(body['policyObject']);
      const bySelector = body['policySelector'] !== undefined;
      const policy = policyKey ? policies.get(policyKey) : bySelector ? selected('aws.iam.Policy', obj(body['policySelector'])) : undefined;
      const arn: JsonValue = policy
        ? unresolved(`${policy.name}.Arn`, { ref: { id: policy.id, attribute: 'Arn' } })
        : policyKey || bySelector ? unresolved(`Policy ${policyKey ?? 'selected by labels'}`) : body['PolicyArn'] ?? null;
      const entry: JsonObject = { PolicyArn: arn };
      if (typeof arn === 'string') entry['PolicyName'] = arn.slice(arn.lastIndexOf('/') + 1);
      const at = positionFor(role, t.resource, '/PolicyArn');
      if (at) role.positions[`/AttachedManagedPolicies/${list.length}`] = at;
      list.push(entry);
    } else {
      const list = (Array.isArray(roleBody['RolePolicyList']) ? roleBody['RolePolicyList'] : (roleBody['RolePolicyList'] = [])) as JsonValue[];
      const prefix = `/RolePolicyList/${list.length}`;
      list.push({ PolicyName: body['PolicyName'] ?? null, PolicyDocument: body['PolicyDocument'] ?? null });
      const at = positionFor(role, t.resource, '');
      if (at) role.positions[prefix] = at;
      forEachInSubtree(t.resource.positions, '/PolicyDocument', (p, pos) => {
        role.positions[prefix + p] = t.resource.file === role.file || pos.file !== undefined ? pos : { ...pos, file: t.resource.file };
      });
    }
  }
}

function linkAsoIdentities(translated: Translated[], resources: Resource[]): void {
  const identities = translated.filter((t) => t.resource.type === 'azure.msi.UserAssignedIdentity' && t.source.group === IDENTITY_GROUP);
  const configMaps = resources.filter((r) => r.type === 'k8s.ConfigMap');
  for (const t of translated) {
    const body = obj(t.resource.body);
    if (!body) continue;
    if (t.resource.type === 'azure.msi.FederatedIdentityCredential' && isUnknown(body['identityId'])) {
      const owner = str(obj(t.source.spec['owner'])?.['name']);
      const identity = identities.find((i) => i.source.name === owner && i.source.namespace === t.source.namespace);
      if (identity) body['identityId'] = unresolved(`${identity.source.name}.id`, { ref: { id: identity.resource.id, attribute: 'id' } });
    }
    const properties = obj(body['properties']);
    const fromConfig = obj(t.source.spec['principalIdFromConfig']);
    if (t.resource.type === 'azure.authorization.RoleAssignment' && properties && fromConfig && isUnknown(properties['principalId'])) {
      const [name, key] = [str(fromConfig['name']), str(fromConfig['key'])];
      const writer = identities.find((i) => {
        const dest = obj(obj(obj(i.source.spec['operatorSpec'])?.['configMaps'])?.['principalId']);
        return i.source.namespace === t.source.namespace && str(dest?.['name']) === name && str(dest?.['key']) === key;
      });
      if (writer) {
        properties['principalId'] = unresolved(`${writer.source.name}.principalId`, { ref: { id: writer.resource.id, attribute: 'principalId' } });
        continue;
      }
      const map = configMaps.find((m) => m.namespace === t.source.namespace && obj(obj(m.body)?.['metadata'])?.['name'] === name);
      const literal = key ? obj(obj(map?.body)?.['data'])?.[key] : undefined;
      if (typeof literal === 'string') properties['principalId'] = literal;
    }
  }
}
