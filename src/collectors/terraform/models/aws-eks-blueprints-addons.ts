/**
 * aws-ia/eks-blueprints-addons, major 1: the IRSA roles it creates for enabled add-ons.
 * Each add-on is a call of `aws-ia/eks-blueprints-addon` whose role (`create_role`, default true while the
 * add-on is enabled) trusts `oidc_provider_arn` with `sts:AssumeRoleWithWebIdentity` under `StringEquals` on
 * `<issuer>:sub` = `system:serviceaccount:<namespace>:<service account>` and `<issuer>:aud` = `sts.amazonaws.com`.
 * Namespace and ServiceAccount come from the add-on's configuration map (`namespace`, `service_account_name`),
 * else from the module's defaults below. The role carries the add-on's own policy (content not modelled) and
 * the map's `role_policies`. Add-ons without a role here are not modelled.
 */
import { escapeToken, join } from '../../../util/pointer.js';
import { type Value, isUnknown, mkUnknown, newObject, unknownText } from '../values.js';
import { ResourceBuilder, field, flag, input, mapEntries, obj, reference, issuerOfProviderArn } from './support.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';

interface AddOn {
  /** Input prefix: `enable_<key>` and the configuration map `<key>`. */
  key: string;
  namespace: string;
  serviceAccount: string;
  roleName: string;
  /** An extra condition for the role besides the add-on being enabled. */
  needs?: (call: ModelCall) => boolean | undefined;
}

const ADD_ONS: AddOn[] = [
  { key: 'aws_load_balancer_controller', namespace: 'kube-system', serviceAccount: 'aws-load-balancer-controller-sa', roleName: 'alb-controller' },
  { key: 'cluster_autoscaler', namespace: 'kube-system', serviceAccount: 'cluster-autoscaler-sa', roleName: 'cluster-autoscaler' },
  {
    key: 'external_dns',
    namespace: 'external-dns',
    serviceAccount: 'external-dns-sa',
    roleName: 'external-dns',
    // The role exists only when the add-on is given Route53 zones.
    needs: (call) => {
      const zones = input(call, 'external_dns_route53_zone_arns', []);
      return Array.isArray(zones) ? zones.length > 0 : undefined;
    },
  },
  { key: 'external_secrets', namespace: 'external-secrets', serviceAccount: 'external-secrets-sa', roleName: 'external-secrets' },
  { key: 'karpenter', namespace: 'karpenter', serviceAccount: 'karpenter', roleName: 'karpenter' },
];

function roleAddress(a: AddOn): string {
  return `module.${a.key}.aws_iam_role.this[0]`;
}

function issuerOf(providerArn: Value): string {
  return issuerOfProviderArn(providerArn, 'oidc_provider_arn');
}

/** A setting of the add-on's configuration map, else its default; `at` is set when the caller wrote it. */
function setting(call: ModelCall, a: AddOn, name: string, fallback: Value): { value: Value; at?: string } {
  const config = input(call, a.key, newObject());
  if (isUnknown(config)) return { value: mkUnknown(`${a.key}.${name}`), at: `/${a.key}` };
  const v = field(config, name);
  if (v === undefined || v === null) return { value: fallback };
  return { value: v, at: `/${a.key}/${name}` };
}

function subject(ns: Value, sa: Value): Value {
  if (typeof ns === 'string' && typeof sa === 'string') return `system:serviceaccount:${ns}:${sa}`;
  const text = (v: Value) => (typeof v === 'string' ? v : isUnknown(v) ? unknownText(v) : String(v));
  return mkUnknown(`system:serviceaccount:${text(ns)}:${text(sa)}`, { prefix: typeof ns === 'string' ? `system:serviceaccount:${ns}:` : 'system:serviceaccount:' });
}

function addOnRole(call: ModelCall, a: AddOn): ModelledResource | undefined {
  if (flag(call, `enable_${a.key}`, false) !== true) return undefined;
  const createRole = setting(call, a, 'create_role', true).value;
  if (createRole === false || (a.needs && a.needs(call) === false)) return undefined;
  const enabledAt = `/enable_${a.key}`;
  const b = new ResourceBuilder(call);
  b.place('', enabledAt);
  const name = setting(call, a, 'role_name', a.roleName);
  const usePrefix = setting(call, a, 'role_name_use_prefix', true).value;
  if (typeof name.value === 'string' && usePrefix === false) b.set('name', name.value, name.at ?? enabledAt);
  else if (typeof name.value === 'string' && usePrefix === true) b.set('name_prefix', `${name.value}-`, name.at ?? enabledAt);
  const path = setting(call, a, 'role_path', '/');
  b.set('path', path.value, path.at ?? enabledAt);

  const providerArn = input(call, 'oidc_provider_arn', mkUnknown('oidc_provider_arn'));
  const issuer = issuerOf(providerArn);
  const ns = setting(call, a, 'namespace', a.namespace);
  const sa = setting(call, a, 'service_account_name', a.serviceAccount);
  const s = '/assume_role_policy/Statement/0';
  const sub = `${issuer}:sub`;
  const aud = `${issuer}:aud`;
  b.values.assume_role_policy = obj({
    Version: '2012-10-17',
    Statement: [
      obj({
        Effect: 'Allow',
        Action: 'sts:AssumeRoleWithWebIdentity',
        Principal: obj({ Federated: providerArn }),
        Condition: obj({ StringEquals: obj({ [sub]: subject(ns.value, sa.value), [aud]: 'sts.amazonaws.com' }) }),
      }),
    ],
  });
  b.place('/assume_role_policy', enabledAt);
  b.place(s, enabledAt);
  b.place(join(s, 'Principal'), '/oidc_provider_arn');
  b.place(join(s, 'Condition', 'StringEquals', sub), sa.at ?? ns.at ?? enabledAt);
  b.place(join(s, 'Condition'), enabledAt);
  const generated = [join('/AssumeRolePolicyDocument', 'Statement', 0, 'Condition', 'StringEquals', aud)];

  const boundary = setting(call, a, 'role_permissions_boundary_arn', null);
  if (boundary.value !== null) b.set('permissions_boundary', boundary.value, boundary.at);
  const arns: Value[] = [mkUnknown(`policy the module writes for ${a.key}`)];
  const places: (string | undefined)[] = [enabledAt];
  const extra = setting(call, a, 'role_policies', newObject());
  const entries = mapEntries(extra.value);
  if (entries) {
    for (const [k, arn] of entries) {
      arns.push(arn);
      places.push(`${extra.at}/${escapeToken(k)}`);
    }
  } else {
    arns.push(mkUnknown(`${a.key}.role_policies`));
    places.push(extra.at);
  }
  b.values.managed_policy_arns = arns;
  places.forEach((p, i) => b.place(`/managed_policy_arns/${i}`, p));
  return { type: 'aws_iam_role', localAddress: roleAddress(a), values: b.values, positions: b.positions, generated };
}

const model: ModuleModel = {
  address: 'aws-ia/eks-blueprints-addons/aws',
  subdirs: { 1: '' },
  documentedAt: [
    'https://github.com/aws-ia/terraform-aws-eks-blueprints-addons/blob/main/main.tf',
    'https://github.com/aws-ia/terraform-aws-eks-blueprints-addon/blob/main/main.tf',
  ],
  resources(call) {
    return ADD_ONS.flatMap((a) => addOnRole(call, a) ?? []);
  },
  output(call, name) {
    const a = ADD_ONS.find((x) => x.key === name);
    if (!a) return undefined;
    return obj({
      iam_role_arn: reference(call, roleAddress(a), 'arn', `module output ${name}.iam_role_arn`),
      iam_role_name: reference(call, roleAddress(a), 'name', `module output ${name}.iam_role_name`),
    });
  },
};

export default model;
