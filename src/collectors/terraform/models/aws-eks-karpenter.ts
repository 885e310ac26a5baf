/**
 * terraform-aws-modules/eks `//modules/karpenter`, majors 20-21: the AWS side of Karpenter.
 * - The controller role (`create_iam_role`, default true; `iam_role_name` default `KarpenterController`, a name prefix
 *   unless `iam_role_use_name_prefix = false`): trusted by `pods.eks.amazonaws.com` (`sts:AssumeRole`,
 *   `sts:TagSession`; v20 only with `enable_pod_identity`, default true), and in v20 with `enable_irsa` (default
 *   false) by web identity from `irsa_oidc_provider_arn` for `irsa_namespace_service_accounts` (default
 *   `karpenter:karpenter`) under `irsa_assume_role_condition_test` (default StringEquals). v21 merges
 *   `iam_role_source_assume_policy_documents` into that trust; override documents make it unknown. It gets the
 *   controller policy the module writes (content not modelled) and `iam_role_policies`.
 * - A pod identity association for `namespace` (default `kube-system`) / `service_account` (default `karpenter`)
 *   with `create_pod_identity_association` (v21 default true, v20 false).
 * - The node role (`create_node_iam_role`, default true): trusted by EC2, with AmazonEKSWorkerNodePolicy,
 *   AmazonEC2ContainerRegistryPullOnly (v20: ReadOnly), AmazonEKS_CNI_Policy (with
 *   `node_iam_role_attach_cni_policy`, default true, on IPv4) and `node_iam_role_additional_policies`, and with
 *   `create_instance_profile` (default false) an instance profile. Its `EC2_LINUX` access entry is not modelled:
 *   no rule reads access entries of roles without an Auto Scaling group, and AmazonEKSWorkerNodePolicy already
 *   makes the role a node role.
 * - Instance metadata options are not the module's: Karpenter's EC2NodeClass sets them in the cluster.
 */
import { join } from '../../../util/pointer.js';
import { type ObjectValue, type Value, isUnknown, mkUnknown, newObject, unknownText } from '../values.js';
import { ResourceBuilder, flag, has, input, issuerOfProviderArn, obj, policyArnsOf, reference } from './support.js';
import { sourceStatements } from './statements.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';

const CONTROLLER = 'aws_iam_role.controller[0]';
const NODE = 'aws_iam_role.node[0]';
const AWS_POLICY = 'arn:aws:iam::aws:policy/';

function roleName(call: ModelCall, b: ResourceBuilder, nameInput: string, prefixInput: string, fallback: Value): void {
  const name = input(call, nameInput, fallback);
  const at = has(call, nameInput) ? `/${nameInput}` : undefined;
  if (flag(call, prefixInput, true) === false) b.set('name', name, at);
  else b.set('name_prefix', typeof name === 'string' ? `${name}-` : mkUnknown(`${nameInput} + "-"`), at);
}

function irsaStatement(call: ModelCall, b: ResourceBuilder, index: number): ObjectValue {
  const at = join('/assume_role_policy', 'Statement', index);
  const providerArn = input(call, 'irsa_oidc_provider_arn', '');
  const issuer = issuerOfProviderArn(providerArn, 'irsa_oidc_provider_arn');
  const accounts = input(call, 'irsa_namespace_service_accounts', ['karpenter:karpenter']);
  const subjects: Value = Array.isArray(accounts)
    ? accounts.map((sa) => (typeof sa === 'string' ? `system:serviceaccount:${sa}` : mkUnknown(`system:serviceaccount:${isUnknown(sa) ? unknownText(sa) : String(sa)}`, { prefix: 'system:serviceaccount:' })))
    : mkUnknown('irsa_namespace_service_accounts');
  const test = input(call, 'irsa_assume_role_condition_test', 'StringEquals');
  const statement = obj({ Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Principal: obj({ Federated: providerArn }) });
  b.place(at, '/enable_irsa');
  b.place(join(at, 'Principal'), has(call, 'irsa_oidc_provider_arn') ? '/irsa_oidc_provider_arn' : '/enable_irsa');
  if (typeof test !== 'string') {
    statement.Condition = mkUnknown('irsa_assume_role_condition_test');
    return statement;
  }
  statement.Condition = obj({ [test]: obj({ [`${issuer}:sub`]: Array.isArray(subjects) && subjects.length === 1 ? subjects[0]! : subjects, [`${issuer}:aud`]: 'sts.amazonaws.com' }) });
  b.place(join(at, 'Condition'), '/enable_irsa');
  b.place(join(at, 'Condition', test, `${issuer}:sub`), has(call, 'irsa_namespace_service_accounts') ? '/irsa_namespace_service_accounts' : '/enable_irsa');
  b.generated.push(join('/AssumeRolePolicyDocument', 'Statement', index, 'Condition', test, `${issuer}:aud`));
  return statement;
}

function controllerTrust(call: ModelCall, b: ResourceBuilder): Value {
  const base = '/assume_role_policy';
  b.place(base);
  const statements: Value[] = [];
  if (call.major >= 21) {
    const sources = sourceStatements(input(call, 'iam_role_source_assume_policy_documents', []));
    const overrides = input(call, 'iam_role_override_assume_policy_documents', []);
    if (!sources || !(Array.isArray(overrides) && overrides.length === 0)) return mkUnknown('controller assume role policy documents');
    statements.push(...sources);
    sources.forEach((_, i) => b.place(join(base, 'Statement', i), '/iam_role_source_assume_policy_documents'));
  }
  if (call.major >= 21 || flag(call, 'enable_pod_identity', true) !== false) {
    b.place(join(base, 'Statement', statements.length), call.major >= 21 ? undefined : '/enable_pod_identity');
    statements.push(obj({ ...(call.major >= 21 ? { Sid: 'PodIdentity' } : {}), Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Principal: obj({ Service: 'pods.eks.amazonaws.com' }) }));
  }
  if (call.major < 21) {
    const irsa = flag(call, 'enable_irsa', false);
    if (irsa === undefined) statements.push(mkUnknown('enable_irsa'));
    else if (irsa) statements.push(irsaStatement(call, b, statements.length));
  }
  return obj({ Version: '2012-10-17', Statement: statements });
}

function controller(call: ModelCall): ModelledResource[] {
  const b = new ResourceBuilder(call);
  roleName(call, b, 'iam_role_name', 'iam_role_use_name_prefix', 'KarpenterController');
  b.values.assume_role_policy = controllerTrust(call, b);
  const boundary = input(call, 'iam_role_permissions_boundary_arn', null);
  if (boundary !== null) b.set('permissions_boundary', boundary, '/iam_role_permissions_boundary_arn');
  const extra = policyArnsOf(input(call, 'iam_role_policies', newObject()), '/iam_role_policies', 'iam_role_policies');
  b.values.managed_policy_arns = [mkUnknown('Karpenter controller policy written by the module'), ...extra.arns];
  [undefined, ...extra.places].forEach((p, i) => b.place(`/managed_policy_arns/${i}`, p));
  const out: ModelledResource[] = [{ type: 'aws_iam_role', localAddress: CONTROLLER, values: b.values, positions: b.positions, generated: b.generated }];
  const associate = flag(call, 'create_pod_identity_association', call.major >= 21);
  if (associate === true) {
    const a = new ResourceBuilder(call);
    a.place('', '/create_pod_identity_association');
    a.set('cluster_name', input(call, 'cluster_name', ''), '/cluster_name');
    a.set('namespace', input(call, 'namespace', 'kube-system'), has(call, 'namespace') ? '/namespace' : undefined);
    a.set('service_account', input(call, 'service_account', 'karpenter'), has(call, 'service_account') ? '/service_account' : undefined);
    a.set('role_arn', reference(call, CONTROLLER, 'arn', `${CONTROLLER}.arn`), '/create_pod_identity_association');
    out.push({ type: 'aws_eks_pod_identity_association', localAddress: 'aws_eks_pod_identity_association.karpenter[0]', values: a.values, positions: a.positions });
  }
  return out;
}

function node(call: ModelCall): ModelledResource[] {
  const clusterName = input(call, 'cluster_name', '');
  const defaultName: Value = typeof clusterName === 'string' ? `Karpenter-${clusterName}` : mkUnknown('"Karpenter-${cluster_name}"');
  const b = new ResourceBuilder(call);
  roleName(call, b, 'node_iam_role_name', 'node_iam_role_use_name_prefix', defaultName);
  b.set('assume_role_policy', obj({
    Version: '2012-10-17',
    Statement: [obj({ Sid: 'EKSNodeAssumeRole', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: obj({ Service: 'ec2.amazonaws.com' }) })],
  }));
  const registry = call.major >= 21 ? 'AmazonEC2ContainerRegistryPullOnly' : 'AmazonEC2ContainerRegistryReadOnly';
  const arns: Value[] = [`${AWS_POLICY}AmazonEKSWorkerNodePolicy`, `${AWS_POLICY}${registry}`];
  const places: (string | undefined)[] = [undefined, undefined];
  const ipv4 = input(call, 'cluster_ip_family', 'ipv4');
  if (flag(call, 'node_iam_role_attach_cni_policy', true) !== false && ipv4 === 'ipv4') {
    arns.push(`${AWS_POLICY}AmazonEKS_CNI_Policy`);
    places.push(has(call, 'node_iam_role_attach_cni_policy') ? '/node_iam_role_attach_cni_policy' : undefined);
  }
  const extra = policyArnsOf(input(call, 'node_iam_role_additional_policies', newObject()), '/node_iam_role_additional_policies', 'node_iam_role_additional_policies');
  b.values.managed_policy_arns = [...arns, ...extra.arns];
  [...places, ...extra.places].forEach((p, i) => b.place(`/managed_policy_arns/${i}`, p));
  const out: ModelledResource[] = [{ type: 'aws_iam_role', localAddress: NODE, values: b.values, positions: b.positions }];
  if (flag(call, 'create_instance_profile', false) === true) {
    const p = new ResourceBuilder(call);
    p.place('', '/create_instance_profile');
    p.set('role', reference(call, NODE, 'name', `${NODE}.name`), '/create_instance_profile');
    out.push({ type: 'aws_iam_instance_profile', localAddress: 'aws_iam_instance_profile.this[0]', values: p.values, positions: p.positions });
  }
  return out;
}

function resources(call: ModelCall): ModelledResource[] {
  if (flag(call, 'create', true) === false) return [];
  const out: ModelledResource[] = [];
  if (flag(call, 'create_iam_role', true) !== false) out.push(...controller(call));
  if (flag(call, 'create_node_iam_role', true) !== false) out.push(...node(call));
  return out;
}

const model: ModuleModel = {
  address: 'terraform-aws-modules/eks/aws',
  subdirs: { 20: 'modules/karpenter', 21: 'modules/karpenter' },
  documentedAt: [
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/v20.37.0/modules/karpenter/main.tf',
    'https://github.com/terraform-aws-modules/terraform-aws-eks/blob/v21.19.0/modules/karpenter/main.tf',
  ],
  resources,
  output(call, name) {
    if (name === 'iam_role_arn') return reference(call, CONTROLLER, 'arn', 'module output iam_role_arn');
    if (name === 'node_iam_role_arn') return reference(call, NODE, 'arn', 'module output node_iam_role_arn');
    if (name === 'node_iam_role_name') return reference(call, NODE, 'name', 'module output node_iam_role_name');
    return undefined;
  },
};

export default model;
