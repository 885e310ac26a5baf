/** The permission policies of an IAM role: attached (AWS and customer managed), inline, and its boundary. */
import type { JsonValue, Resource } from '../model/types.js';
import type { InventoryIndex } from '../model/types.js';
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

interface PolicyLookups {
  byArn: Map<string, Resource>;
  /** Every customer managed policy of a name (a name found once is the policy; twice, ambiguous). */
  byName: Map<string, Resource[]>;
}

const lookups = new WeakMap<InventoryIndex, PolicyLookups>();

function policyLookups(index: InventoryIndex): PolicyLookups {
  let found = lookups.get(index);
  if (found) return found;
  found = { byArn: new Map(), byName: new Map() };
  for (const p of index.ofType('aws.iam.Policy')) {
    const body = asObject(p.body);
    const arn = body?.['Arn'];
    if (typeof arn === 'string' && !found.byArn.has(arn)) found.byArn.set(arn, p);
    const name = body?.['PolicyName'];
    if (typeof name === 'string') {
      const list = found.byName.get(name);
      if (list) list.push(p);
      else found.byName.set(name, [p]);
    }
  }
  lookups.set(index, found);
  return found;
}

/** Finds the customer managed policy an ARN (or reference) names in the inventory. */
function customerPolicy(arn: JsonValue | undefined, index: InventoryIndex): Resource | undefined {
  if (isUnknown(arn)) {
    const ref = arn.ref ? index.resourceById(arn.ref.id) : undefined;
    return ref?.type === 'aws.iam.Policy' ? ref : undefined;
  }
  if (typeof arn !== 'string') return undefined;
  const { byArn, byName } = policyLookups(index);
  const exact = byArn.get(arn);
  if (exact) return exact;
  const name = /^arn:aws[\w-]*:iam::[^:]*:policy\/(?:[^/]+\/)*([^/]+)$/.exec(arn)?.[1];
  if (!name) return undefined;
  const named = byName.get(name);
  return named?.length === 1 ? named[0] : undefined;
}

/** AWS managed policies are attached to many roles: read each one's statements once (they are never changed). */
const managedStatements = new Map<string, IamStatement[] | null>();

function awsManagedStatements(name: string): IamStatement[] | null {
  let statements = managedStatements.get(name);
  if (statements === undefined) {
    const document = awsManagedPolicyDocument(name);
    statements = document ? readStatements(document, '') : null;
    managedStatements.set(name, statements);
  }
  return statements;
}

/** One policy named by ARN (an attachment or a boundary). */
function policyByArn(arn: JsonValue | undefined, pointer: string, index: InventoryIndex): PolicyInput {
  const managed = awsManagedPolicyName(arn);
  if (managed !== undefined) {
    return { name: managed, kind: 'aws-managed', statements: awsManagedStatements(managed), pointer };
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
