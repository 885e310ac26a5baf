/**
 * terraform-aws-modules/eks-pod-identity, majors 1-2 (the same inputs; v2 typed them and added `region`).
 * - One `aws_iam_role` (`name`, `use_name_prefix` default true → `name_prefix = "<name>-"`) whose trust has one
 *   statement: `sts:AssumeRole` + `sts:TagSession` from the service principal `pods.eks.amazonaws.com`, with the
 *   `trust_policy_conditions` entries as its conditions, then one statement per `trust_policy_statements` entry.
 * - `additional_policy_arns` (map) attached to it; `attach_custom_policy` adds a customer managed policy built
 *   from `source_policy_documents` and `policy_statements`; each `attach_*_policy` flag attaches a policy the
 *   module writes for a known controller (its content is not modelled).
 * - One `aws_eks_pod_identity_association` per `associations` entry: `cluster_name`, `namespace`,
 *   `service_account` from the entry, else from `association_defaults`; `role_arn` = the role. From v2, also
 *   `target_role_arn` (entry, else defaults): the role, usually in another account, that EKS assumes with the
 *   module's role and hands to the pod.
 */
import { escapeToken, join } from '../../../util/pointer.js';
import { type ObjectValue, type Value, isUnknown, mkUnknown, newObject } from '../values.js';
import { ResourceBuilder, field, flag, has, input, mapEntries, obj, reference } from './support.js';
import { renderConditions, renderStatements, sourceStatements } from './statements.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';

const ROLE = 'aws_iam_role.this[0]';
const CUSTOM_POLICY = 'aws_iam_policy.custom[0]';
const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

function roleName(call: ModelCall, b: ResourceBuilder): void {
  const name = input(call, 'name', '');
  const prefix = flag(call, 'use_name_prefix', true);
  if (typeof name !== 'string') return;
  if (prefix === false) b.set('name', name, '/name');
  else if (prefix === true) b.set('name_prefix', `${name}-`, '/name');
}

function trustDocument(call: ModelCall, b: ResourceBuilder): Value {
  const base = '/assume_role_policy';
  b.place(base);
  const s0 = join(base, 'Statement', 0);
  const statement: ObjectValue = obj({ Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: obj({ Service: POD_IDENTITY_PRINCIPAL }) });
  b.place(s0);
  const condition = renderConditions(call.inputs.trust_policy_conditions, '/trust_policy_conditions', b, join(s0, 'Condition'));
  if (condition !== undefined) statement.Condition = condition;
  const extra = renderStatements(call.inputs.trust_policy_statements, '/trust_policy_statements', b, base, 1);
  const statements: Value[] = [statement, ...(extra ?? [mkUnknown('trust_policy_statements')])];
  return obj({ Version: '2012-10-17', Statement: statements });
}

function customPolicy(call: ModelCall): ModelledResource {
  const b = new ResourceBuilder(call);
  b.place('', '/attach_custom_policy');
  const name = input(call, 'name', '');
  if (typeof name === 'string') b.set(flag(call, 'use_name_prefix', true) === false ? 'name' : 'name_prefix', flag(call, 'use_name_prefix', true) === false ? name : `${name}-`, '/name');
  const sources = sourceStatements(input(call, 'source_policy_documents', []));
  const own = renderStatements(call.inputs.policy_statements, '/policy_statements', b, '/policy', sources?.length ?? 0);
  const overrides = input(call, 'override_policy_documents', []);
  const overridden = !(Array.isArray(overrides) && overrides.length === 0);
  b.place('/policy', has(call, 'policy_statements') ? '/policy_statements' : '/attach_custom_policy');
  b.values.policy = !sources || !own || overridden ? mkUnknown('custom policy document') : obj({ Version: '2012-10-17', Statement: [...sources, ...own] });
  return { type: 'aws_iam_policy', localAddress: CUSTOM_POLICY, values: b.values, positions: b.positions };
}

/** Policies the role gets: `additional_policy_arns`, the custom policy, and the module's controller policies. */
function attachments(call: ModelCall, b: ResourceBuilder, custom: boolean): void {
  const arns: Value[] = [];
  const places: (string | undefined)[] = [];
  const extra = mapEntries(input(call, 'additional_policy_arns', newObject()));
  if (extra) {
    for (const [k, arn] of extra) {
      arns.push(arn);
      places.push(`/additional_policy_arns/${escapeToken(k)}`);
    }
  } else {
    arns.push(mkUnknown('additional_policy_arns'));
    places.push('/additional_policy_arns');
  }
  if (custom) {
    arns.push(reference(call, CUSTOM_POLICY, 'arn', `${CUSTOM_POLICY}.arn`));
    places.push(has(call, 'policy_statements') ? '/policy_statements' : '/attach_custom_policy');
  }
  for (const name of Object.keys(call.inputs).sort()) {
    if (!/^attach_.+_policy$/.test(name) || name === 'attach_custom_policy') continue;
    if (flag(call, name, false) === false) continue;
    arns.push(mkUnknown(`policy written by the module for ${name}`));
    places.push(`/${name}`);
  }
  b.values.managed_policy_arns = arns;
  places.forEach((p, i) => b.place(`/managed_policy_arns/${i}`, p));
}

function role(call: ModelCall, custom: boolean): ModelledResource {
  const b = new ResourceBuilder(call);
  roleName(call, b);
  if (has(call, 'path')) b.set('path', call.inputs.path!, '/path');
  b.values.assume_role_policy = trustDocument(call, b);
  const boundary = input(call, 'permissions_boundary_arn', null);
  if (boundary !== null) b.set('permissions_boundary', boundary, '/permissions_boundary_arn');
  attachments(call, b, custom);
  if (has(call, 'tags')) b.set('tags', call.inputs.tags!, '/tags');
  return { type: 'aws_iam_role', localAddress: ROLE, values: b.values, positions: b.positions };
}

/** An association field: the entry's value, else `association_defaults`' value. */
function associationField(call: ModelCall, entry: Value, entryAt: string, name: string): { value: Value; at: string } {
  const own = field(entry, name);
  if (own !== undefined && own !== null) return { value: own, at: `${entryAt}/${name}` };
  const defaults = input(call, 'association_defaults', newObject());
  const shared = field(defaults, name);
  if (shared !== undefined && shared !== null) return { value: shared, at: `/association_defaults/${name}` };
  if (isUnknown(defaults) || isUnknown(entry)) return { value: mkUnknown(`associations.${name}`), at: entryAt };
  return { value: null, at: entryAt };
}

function associations(call: ModelCall): ModelledResource[] {
  const entries = mapEntries(input(call, 'associations', newObject()));
  if (!entries) return [];
  return entries.map(([key, entry]) => {
    const at = `/associations/${escapeToken(key)}`;
    const b = new ResourceBuilder(call);
    b.place('', at);
    for (const name of ['cluster_name', 'namespace', 'service_account']) {
      const f = associationField(call, entry, at, name);
      b.set(name, f.value, f.at);
    }
    b.set('role_arn', reference(call, ROLE, 'arn', `${ROLE}.arn`), at);
    if (call.major >= 2) {
      const target = associationField(call, entry, at, 'target_role_arn');
      if (target.value !== null) b.set('target_role_arn', target.value, target.at);
    }
    return { type: 'aws_eks_pod_identity_association', localAddress: `aws_eks_pod_identity_association.this[${JSON.stringify(key)}]`, values: b.values, positions: b.positions };
  });
}

function resources(call: ModelCall): ModelledResource[] {
  if (flag(call, 'create', true) === false) return [];
  const custom = flag(call, 'attach_custom_policy', false) === true;
  const out: ModelledResource[] = [role(call, custom)];
  if (custom) out.push(customPolicy(call));
  out.push(...associations(call));
  return out;
}

const model: ModuleModel = {
  address: 'terraform-aws-modules/eks-pod-identity/aws',
  subdirs: { 1: '', 2: '' },
  documentedAt: [
    'https://github.com/terraform-aws-modules/terraform-aws-eks-pod-identity/blob/v1.12.0/main.tf',
    'https://github.com/terraform-aws-modules/terraform-aws-eks-pod-identity/blob/v2.0.0/main.tf',
  ],
  resources,
  output(call, name) {
    if (name === 'iam_role_arn') return reference(call, ROLE, 'arn', 'module output iam_role_arn');
    if (name === 'iam_role_name') return reference(call, ROLE, 'name', 'module output iam_role_name');
    return undefined;
  },
};

export default model;
