/** The permission policies of an IAM role: attached (AWS and customer managed), inline, and its boundary. */
import type { JsonValue, Resource } from '../model/types.js';
import type { InventoryIndex } from '../model/model.js';
import { isUnknown } from '../model/unknown.js';
import { join } from '../util/pointer.js';
import { readStatements, type IamStatement } from './policy-statements.js';
import { awsManagedPolicyDocument, awsManagedPolicyName } from './aws-managed-policies.js';

export interface PolicyInput {
  /** The policy's name, or a description of what is unresolved. */
  name: string;
  kind: 'aws-managed' | 'customer-managed' | 'inline' | 'unresolved';
  /** The statements; `null` when the content is not known (never treated as empty). */
  statements: IamStatement[] | null;
  /** Pointer into the role where the user changes this grant: the attachment entry, the inline policy. */
  pointer: string;
  /** The customer managed policy resource whose statements these are. */
  policyResource?: Resource;
}

export interface RolePolicies {
  identity: PolicyInput[];
  /** Absent when the role has no permissions boundary. */
  boundary?: PolicyInput;
}

type Obj = Record<string, JsonValue>;

function asObject(v: JsonValue | undefined): Obj | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Obj) : undefined;
}

/** Finds the customer managed policy an ARN (or reference) names in the inventory. */
function customerPolicy(arn: JsonValue | undefined, index: InventoryIndex): Resource | undefined {
  const policies = index.ofType('aws.iam.Policy');
  if (isUnknown(arn)) {
    const ref = arn.ref ? index.resourceById(arn.ref.id) : undefined;
    return ref?.type === 'aws.iam.Policy' ? ref : undefined;
  }
  if (typeof arn !== 'string') return undefined;
  const exact = policies.find((p) => asObject(p.body)?.['Arn'] === arn);
  if (exact) return exact;
  const name = /^arn:aws[\w-]*:iam::[^:]*:policy\/(?:[^/]+\/)*([^/]+)$/.exec(arn)?.[1];
  if (!name) return undefined;
  const byName = policies.filter((p) => asObject(p.body)?.['PolicyName'] === name);
  return byName.length === 1 ? byName[0] : undefined;
}

/** One policy named by ARN (an attachment or a boundary). */
function policyByArn(arn: JsonValue | undefined, pointer: string, index: InventoryIndex): PolicyInput {
  const managed = awsManagedPolicyName(arn);
  if (managed !== undefined) {
    const document = awsManagedPolicyDocument(managed);
    return { name: managed, kind: 'aws-managed', statements: document ? readStatements(document, '') : null, pointer };
  }
  const customer = customerPolicy(arn, index);
  if (customer) {
    const body = asObject(customer.body) ?? {};
    const name = typeof body['PolicyName'] === 'string' ? body['PolicyName'] : customer.name;
    return { name, kind: 'customer-managed', statements: readStatements(body['PolicyDocument'], '/PolicyDocument'), pointer, policyResource: customer };
  }
  const name = typeof arn === 'string' ? arn : isUnknown(arn) ? arn.$unknown : 'an unresolved policy';
  return { name, kind: 'unresolved', statements: null, pointer };
}

export function rolePolicies(role: Resource, index: InventoryIndex): RolePolicies {
  const body = asObject(role.body) ?? {};
  const identity: PolicyInput[] = [];
  const attached = body['AttachedManagedPolicies'];
  if (Array.isArray(attached)) {
    attached.forEach((entry, i) => {
      const e = asObject(entry);
      identity.push(policyByArn(e ? e['PolicyArn'] : entry, `/AttachedManagedPolicies/${i}`, index));
    });
  } else if (attached !== undefined && attached !== null) {
    identity.push({ name: 'unresolved managed policy list', kind: 'unresolved', statements: null, pointer: '/AttachedManagedPolicies' });
  }
  const inline = body['RolePolicyList'];
  if (Array.isArray(inline)) {
    inline.forEach((entry, i) => {
      const e = asObject(entry);
      const pointer = `/RolePolicyList/${i}`;
      const name = e && typeof e['PolicyName'] === 'string' ? e['PolicyName'] : `inline policy ${i + 1}`;
      identity.push({ name, kind: 'inline', statements: e ? readStatements(e['PolicyDocument'], join(pointer, 'PolicyDocument')) : null, pointer });
    });
  } else if (inline !== undefined && inline !== null) {
    identity.push({ name: 'unresolved inline policies', kind: 'unresolved', statements: null, pointer: '/RolePolicyList' });
  }
  const out: RolePolicies = { identity };
  const boundary = body['PermissionsBoundary'];
  if (boundary !== undefined && boundary !== null) {
    const b = asObject(boundary);
    out.boundary = policyByArn(b ? b['PermissionsBoundaryArn'] : boundary, '/PermissionsBoundary', index);
  }
  return out;
}
