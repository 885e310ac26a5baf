/**
 * eksctl `ClusterConfig` files (`apiVersion: eksctl.io/v1alpha5`) → the resources eksctl creates from them: the
 * cluster, its IAM OIDC provider (`iam.withOIDC`), IRSA roles and ServiceAccounts (`iam.serviceAccounts`), Pod
 * Identity associations and their roles (`iam.podIdentityAssociations`), node groups with their launch templates and
 * node roles. What the file leaves out takes eksctl's defaults (see policies.ts, identities.ts, node-groups.ts), and
 * every resource points at the line of the file that a reviewer would change.
 */
import type { JsonValue } from '../../model/types.js';
import type { ParsedDocument } from '../../util/structured.js';
import { relativeId } from '../ids.js';
import { account, type CollectOptions, type CollectResult, type SourceFile } from '../types.js';
import { asObject, EksctlContext } from './context.js';
import { podIdentityAssociations, serviceAccounts } from './identities.js';
import { nodeGroups } from './node-groups.js';
import { partitionOf } from './policies.js';

export const EKSCTL_FORMAT = 'eksctl ClusterConfig';
const SUPPORTED_VERSION = 'eksctl.io/v1alpha5';

export function isEksctlConfig(value: JsonValue): boolean {
  const o = asObject(value);
  return typeof o?.['apiVersion'] === 'string' && o['apiVersion'].startsWith('eksctl.io/') && o['kind'] === 'ClusterConfig';
}

export function collectEksctl(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const config = asObject(doc.value)!;
  const metadata = asObject(config['metadata']);
  const ctx = new EksctlContext(file, doc, relativeId(opts.root, file.path), config, partitionOf(metadata?.['region']));
  if (config['apiVersion'] !== SUPPORTED_VERSION) {
    ctx.note('unsupported', 'warning', '/apiVersion', `eksctl ClusterConfig: apiVersion ${String(config['apiVersion'])} is not read (podtrust reads ${SUPPORTED_VERSION}); convert the file with a current eksctl`);
    account(ctx.result, file.path, EKSCTL_FORMAT, 'not-analysed');
    return ctx.result;
  }
  account(ctx.result, file.path, EKSCTL_FORMAT);
  if (ctx.clusterName === '(unnamed)') ctx.note('unsupported', 'warning', '/metadata', 'eksctl ClusterConfig: metadata.name is not set: the cluster is read as (unnamed)');

  const cluster = ctx.add('cluster', ctx.clusterName, 'aws.eks.Cluster', ctx.clusterName, { name: ctx.clusterName }, ctx.positions().place('', '/metadata').place('/name', '/metadata/name'));
  ctx.clusterId = cluster.id;
  const body = cluster.body as Record<string, JsonValue>;
  body['arn'] = ctx.ref(cluster, 'arn', `ARN of cluster ${ctx.clusterName}`);
  body['identity'] = { oidc: { issuer: ctx.ref(cluster, 'identity.oidc.issuer', `OIDC issuer of cluster ${ctx.clusterName}`) } };
  ctx.result.clusters.push({ name: ctx.clusterName, provider: 'aws', resourceId: cluster.id });

  const iam = asObject(config['iam']);
  if (config['iam'] !== undefined && config['iam'] !== null && !iam) ctx.note('unsupported', 'warning', '/iam', 'eksctl ClusterConfig: `iam` is not a mapping: it is not read');
  const withOidc = iam?.['withOIDC'] === true;
  // The IRSA trust names the cluster's OIDC provider: the one `withOIDC` creates, else the cluster's (associated out of band).
  let provider = ctx.ref(cluster, 'identity.oidc.issuer', `OIDC provider of cluster ${ctx.clusterName}`);
  if (withOidc) {
    const oidc = ctx.add('oidc-provider', ctx.clusterName, 'aws.iam.OIDCProvider', `OIDC provider of ${ctx.clusterName}`, {
      Url: ctx.ref(cluster, 'identity.oidc.issuer', `OIDC issuer of cluster ${ctx.clusterName}`),
      ClientIDList: ['sts.amazonaws.com'],
    }, ctx.positions().place('', '/iam/withOIDC'));
    (oidc.body as Record<string, JsonValue>)['Arn'] = ctx.ref(oidc, 'Arn', `ARN of the OIDC provider of cluster ${ctx.clusterName}`);
    provider = ctx.ref(oidc, 'Arn', `ARN of the OIDC provider of cluster ${ctx.clusterName}`);
  }
  serviceAccounts(ctx, iam, provider);
  podIdentityAssociations(ctx, iam, '/iam');
  nodeGroups(ctx, withOidc);
  addons(ctx);
  ctx.commentSuppressions();
  return ctx.result;
}

/**
 * `addons`: their `podIdentityAssociations` are read like `iam.podIdentityAssociations` (eksctl builds their roles the
 * same way); their other IAM settings, and Karpenter's roles, are not modelled: a note says so.
 */
function addons(ctx: EksctlContext): void {
  if (asObject(ctx.config['karpenter'])) ctx.note('unsupported', 'note', '/karpenter', 'eksctl ClusterConfig: the roles eksctl creates for Karpenter (its controller and its nodes) are not analysed');
  for (const [addon, ptr] of ctx.entries(ctx.config, 'addons', '')) {
    podIdentityAssociations(ctx, addon, ptr);
    const iamKeys = ['serviceAccountRoleARN', 'attachPolicyARNs', 'attachPolicy', 'wellKnownPolicies', 'useDefaultPodIdentityAssociations'].filter((k) => addon[k] !== undefined);
    if (iamKeys.length > 0) ctx.note('unsupported', 'note', ptr, `eksctl ClusterConfig: the IAM settings of addon ${String(addon['name'])} (${iamKeys.join(', ')}) are not analysed`);
  }
}
