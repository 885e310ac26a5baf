import type { CodeRule, RuleContext } from '../../src/engine/rule-api.js';
import type { JsonValue, Resource, Severity } from '../../src/model/types.js';
import { isUnknown } from '../../src/model/unknown.js';
import { RoleIndex } from '../../src/rules-support/aws.js';
import { hasLaunchTemplate, hasWorkerNodePolicy, launchTemplateOf, launchTemplateRole, nodeGroupRole } from '../../src/rules-support/aws-nodes.js';
import { describeNodeRole } from '../../src/rules-support/node-role-grants.js';

type Obj = Record<string, JsonValue>;

function obj(v: JsonValue | undefined): Obj | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Obj) : undefined;
}

/** AL2023 EKS AMIs are built with `ImdsSupport: v2.0`: IMDSv2 required and a hop limit of 2 unless the launch template says otherwise. */
function isAl2023(amiType: JsonValue | undefined): boolean {
  return typeof amiType === 'string' && amiType.toUpperCase().startsWith('AL2023');
}

interface Exposure {
  at: string;
  severity: Severity;
  what: string;
}

/**
 * What a launch template's metadata options let pods do. Unresolved values are not guessed:
 * the rule stays silent on them.
 */
function exposureOf(lt: Resource, amiType: JsonValue | undefined, broadRole: boolean): Exposure | undefined {
  const data = obj(obj(lt.body)?.['LaunchTemplateData']);
  if (!data) return undefined;
  const md = data['MetadataOptions'];
  if (isUnknown(md)) return undefined;
  const options = obj(md);
  const base = options ? '/LaunchTemplateData/MetadataOptions' : '/LaunchTemplateData';
  const endpoint = options?.['HttpEndpoint'];
  if (isUnknown(endpoint) || (typeof endpoint === 'string' && endpoint.toLowerCase() === 'disabled')) return undefined;
  const tokens = options?.['HttpTokens'];
  if (isUnknown(tokens)) return undefined;
  const al2023 = isAl2023(amiType);
  if (typeof tokens === 'string' && tokens.toLowerCase() === 'optional') {
    return { at: `${base}/HttpTokens`, severity: 'high', what: 'IMDSv1 is allowed (`HttpTokens: optional`)' };
  }
  if (tokens === undefined && !al2023) {
    return { at: base, severity: 'high', what: 'IMDSv1 is allowed (`HttpTokens` is not set to `required`; the default is `optional` unless the AMI requires IMDSv2)' };
  }
  const hopValue = options?.['HttpPutResponseHopLimit'];
  if (isUnknown(hopValue)) return undefined;
  const hop = hopValue === undefined || hopValue === null ? (al2023 ? 2 : 1) : Number(hopValue);
  if (!(hop > 1)) return undefined;
  const at = hopValue === undefined || hopValue === null ? base : `${base}/HttpPutResponseHopLimit`;
  const source = hopValue === undefined || hopValue === null ? 'the AL2023 AMI default' : `\`HttpPutResponseHopLimit: ${hop}\``;
  return { at, severity: broadRole ? 'high' : 'medium', what: `IMDSv2 answers pods (hop limit ${hop}, ${source})` };
}

function report(ctx: RuleContext, resource: Resource, exposure: Exposure, subject: string, role: Resource | undefined, roleText: string): void {
  ctx.report({
    resource,
    at: exposure.at,
    severity: exposure.severity,
    messageId: 'nodeCredentialsReachable', data: { subject, what: exposure.what, role: roleText },
    ...(role ? { related: [{ resource: role, at: '', message: 'the node role pods can reach' }] } : {}),
  });
}

const rule: CodeRule = {
  meta: {
    id: 'aws-node-imds-exposed',
    title: 'Pods can reach the node role through the instance metadata service',
    severity: 'high',
    lowestSeverity: 'medium',
    provider: 'aws',
    tags: ['node-role', 'imds'],
    description: `A worker launch template or node group lets pods read instance metadata, and with it the node role's
credentials: every pod then holds the node role, whatever its own identity.

- IMDSv1 allowed (\`http_tokens\` / \`HttpTokens\` \`optional\`) → high: IMDSv1 needs no token, so the hop limit
  does not stop pods. An unset \`HttpTokens\` is \`optional\` unless the AMI is built with \`ImdsSupport: v2.0\`;
  podtrust treats the node group's \`ami_type\` \`AL2023_*\` as such an AMI (AWS documents that AL2023 requires
  IMDSv2 with a hop limit of 2) and every other or unknown AMI as allowing IMDSv1.
- IMDSv2 required with \`http_put_response_hop_limit\` > 1 → medium, high when the node role grants more than the
  worker baseline. An unset hop limit is 1 (the EC2 default), 2 on AL2023 AMIs.
- A managed node group without a launch template uses the launch template EKS creates: AWS does not let you change
  its metadata options, and it answers pods (hop limit 2), so it is reported like a hop limit of 2 at the node group.

\`HttpEndpoint: disabled\` is never reported. Unresolved values are not guessed. The message names the node role
and what it grants: a hop limit alone is noise when the node role holds only the baseline.`,
    remediation: 'Set `http_tokens = "required"` and `http_put_response_hop_limit = 1` in the node launch template\'s `metadata_options` (CloudFormation: `MetadataOptions: {HttpTokens: required, HttpPutResponseHopLimit: 1}`), and give pods their own identities with IRSA or EKS Pod Identity. Node groups without a launch template need one to change these options.',
    messages: {
      nodeCredentialsReachable: '{{subject}}: {{what}}, so pods can take the credentials of {{role}}.',
    },
    references: [
      'https://docs.aws.amazon.com/eks/latest/best-practices/identity-and-access-management.html#_restrict_access_to_the_instance_profile_assigned_to_the_worker_node',
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html',
      'https://docs.aws.amazon.com/linux/al2023/ug/imdsv2.html',
    ],
    examples: {
      bad: 'metadata_options {\n  http_tokens                 = "optional"\n  http_put_response_hop_limit = 2\n}',
      good: 'metadata_options {\n  http_endpoint               = "enabled"\n  http_tokens                 = "required"\n  http_put_response_hop_limit = 1\n}',
    },
  },
  check(ctx) {
    const roles = RoleIndex.of(ctx.model);
    const seen = new Set<string>();
    for (const ng of ctx.model.ofType('aws.eks.NodeGroup')) {
      const body = obj(ng.body) ?? {};
      const role = nodeGroupRole(ctx.model, ng, roles);
      const described = describeNodeRole(role, ctx.model);
      if (!hasLaunchTemplate(ng)) {
        report(ctx, ng, { at: '', severity: described.broad ? 'high' : 'medium', what: 'it has no launch template, and the one EKS creates answers pods (hop limit 2)' }, `Node group ${ng.name}`, role, described.text);
        continue;
      }
      const lt = launchTemplateOf(ctx.model, ng);
      if (!lt || seen.has(lt.id)) continue;
      seen.add(lt.id);
      const exposure = exposureOf(lt, body['amiType'], described.broad);
      if (exposure) report(ctx, lt, exposure, `Launch template ${lt.name} of node group ${ng.name}`, role, described.text);
    }
    // Launch templates of self-managed nodes: their instance profile holds a worker node role.
    for (const lt of ctx.model.ofType('aws.ec2.LaunchTemplate')) {
      if (seen.has(lt.id)) continue;
      const role = launchTemplateRole(ctx.model, lt, roles);
      if (!role || !hasWorkerNodePolicy(role)) continue;
      const described = describeNodeRole(role, ctx.model);
      const exposure = exposureOf(lt, undefined, described.broad);
      if (exposure) report(ctx, lt, exposure, `Launch template ${lt.name}`, role, described.text);
    }
  },
};

export default rule;
