/**
 * The IAM policies eksctl generates for what a ClusterConfig leaves to it, as eksctl's source writes them
 * (eksctl-io/eksctl, pkg/cfn/builder: iam.go, iam_helper.go, statement.go):
 * - a node group's instance role: its AWS managed policies (`makeManagedPolicies`) and the inline policies of
 *   `iam.withAddonPolicies` (`createRole`);
 * - an IRSA or Pod Identity role: the policies of `wellKnownPolicies` (`createWellKnownPolicies`).
 * Partition-prefixed ARNs (`arn:${AWS::Partition}:...`) are written with the partition of the config's region.
 */
import type { JsonObject } from '../../model/types.js';

export interface GeneratedPolicy {
  name: string;
  statements: JsonObject[];
}

const allow = (Action: string[], Resource: string | string[] = '*', Condition?: JsonObject): JsonObject => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });

/** The partition of a region, as eksctl's `Partitions.ForRegion`. */
export function partitionOf(region: unknown): string {
  if (typeof region !== 'string') return 'aws';
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('us-iso-')) return 'aws-iso';
  if (region.startsWith('us-isob-')) return 'aws-iso-b';
  return 'aws';
}

export function managedPolicyArn(partition: string, name: string): string {
  return `arn:${partition}:iam::aws:policy/${name}`;
}

function autoScaler(): JsonObject[] {
  return [
    allow(['autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeAutoScalingInstances', 'autoscaling:DescribeLaunchConfigurations', 'autoscaling:DescribeScalingActivities', 'autoscaling:DescribeTags', 'ec2:DescribeInstanceTypes', 'ec2:DescribeLaunchTemplateVersions']),
    allow(['autoscaling:SetDesiredCapacity', 'autoscaling:TerminateInstanceInAutoScalingGroup', 'ec2:DescribeImages', 'ec2:GetInstanceTypesFromInstanceRequirements', 'eks:DescribeNodegroup']),
  ];
}

const changeSet = (p: string): JsonObject[] => [allow(['route53:ChangeResourceRecordSets'], `arn:${p}:route53:::hostedzone/*`)];
const externalDnsHostedZones = (): JsonObject[] => [allow(['route53:ListHostedZones', 'route53:ListResourceRecordSets', 'route53:ListTagsForResource'])];
const certManagerHostedZones = (): JsonObject[] => [allow(['route53:ListResourceRecordSets', 'route53:ListHostedZonesByName'])];
const certManagerGetChange = (p: string): JsonObject[] => [allow(['route53:GetChange'], `arn:${p}:route53:::change/*`)];

function appMesh(extra: string): JsonObject[] {
  const discovery = ['CreateService', 'DeleteService', 'GetService', 'GetInstance', 'RegisterInstance', 'DeregisterInstance', 'ListInstances', 'ListNamespaces', 'ListServices', 'GetInstancesHealthStatus', 'UpdateInstanceCustomHealthStatus', 'GetOperation'];
  const route53 = ['GetHealthCheck', 'CreateHealthCheck', 'UpdateHealthCheck', 'ChangeResourceRecordSets', 'DeleteHealthCheck'];
  return [allow([...discovery.map((a) => `servicediscovery:${a}`), ...route53.map((a) => `route53:${a}`), extra])];
}

const efsCsiController = (): JsonObject[] => [
  allow(['elasticfilesystem:DescribeAccessPoints', 'elasticfilesystem:DescribeFileSystems']),
  allow(['elasticfilesystem:CreateAccessPoint'], '*', { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } }),
  allow(['elasticfilesystem:TagResource'], '*', { StringLike: { 'aws:RequestTag/efs.csi.aws.com/cluster': 'true' } }),
  allow(['elasticfilesystem:DeleteAccessPoint'], '*', { StringLike: { 'aws:ResourceTag/efs.csi.aws.com/cluster': 'true' } }),
];

function loadBalancerController(p: string): JsonObject[] {
  const elb = (...actions: string[]) => actions.map((a) => `elasticloadbalancing:${a}`);
  const clusterTag = (request: string, resource?: string): JsonObject => ({ Null: { 'aws:RequestTag/elbv2.k8s.aws/cluster': request, ...(resource ? { 'aws:ResourceTag/elbv2.k8s.aws/cluster': resource } : {}) } });
  const resourceTagged: JsonObject = { Null: { 'aws:ResourceTag/elbv2.k8s.aws/cluster': 'false' } };
  const sg = `arn:${p}:ec2:*:*:security-group/*`;
  const targets = [`arn:${p}:elasticloadbalancing:*:*:targetgroup/*/*`, `arn:${p}:elasticloadbalancing:*:*:loadbalancer/net/*/*`, `arn:${p}:elasticloadbalancing:*:*:loadbalancer/app/*/*`];
  const ec2Describe = ['DescribeAccountAttributes', 'DescribeAddresses', 'DescribeAvailabilityZones', 'DescribeInternetGateways', 'DescribeVpcs', 'DescribeVpcPeeringConnections', 'DescribeSubnets', 'DescribeSecurityGroups', 'DescribeInstances', 'DescribeNetworkInterfaces', 'DescribeTags', 'GetCoipPoolUsage', 'DescribeCoipPools', 'GetSecurityGroupsForVpc', 'DescribeIpamPools', 'DescribeRouteTables'];
  const elbDescribe = ['DescribeLoadBalancers', 'DescribeLoadBalancerAttributes', 'DescribeListeners', 'DescribeListenerCertificates', 'DescribeSSLPolicies', 'DescribeRules', 'DescribeTargetGroups', 'DescribeTargetGroupAttributes', 'DescribeTargetHealth', 'DescribeTags', 'DescribeTrustStores', 'DescribeListenerAttributes', 'DescribeCapacityReservation'];
  return [
    allow(['iam:CreateServiceLinkedRole'], '*', { StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' } }),
    allow([...ec2Describe.map((a) => `ec2:${a}`), ...elb(...elbDescribe)]),
    allow(['cognito-idp:DescribeUserPoolClient', 'acm:ListCertificates', 'acm:DescribeCertificate', 'iam:ListServerCertificates', 'iam:GetServerCertificate', 'waf-regional:GetWebACL', 'waf-regional:GetWebACLForResource', 'waf-regional:AssociateWebACL', 'waf-regional:DisassociateWebACL', 'wafv2:GetWebACL', 'wafv2:GetWebACLForResource', 'wafv2:AssociateWebACL', 'wafv2:DisassociateWebACL', 'shield:GetSubscriptionState', 'shield:DescribeProtection', 'shield:CreateProtection', 'shield:DeleteProtection']),
    allow(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress']),
    allow(['ec2:CreateSecurityGroup']),
    allow(['ec2:CreateTags'], sg, { StringEquals: { 'ec2:CreateAction': 'CreateSecurityGroup' }, ...clusterTag('false') }),
    allow(['ec2:CreateTags', 'ec2:DeleteTags'], sg, clusterTag('true', 'false')),
    allow(['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress', 'ec2:DeleteSecurityGroup'], '*', resourceTagged),
    allow(elb('CreateLoadBalancer', 'CreateTargetGroup'), '*', clusterTag('false')),
    allow(elb('CreateListener', 'DeleteListener', 'CreateRule', 'DeleteRule')),
    allow(elb('AddTags', 'RemoveTags'), targets, clusterTag('true', 'false')),
    allow(elb('AddTags', 'RemoveTags'), ['listener/net/*/*/*', 'listener/app/*/*/*', 'listener-rule/net/*/*/*', 'listener-rule/app/*/*/*'].map((r) => `arn:${p}:elasticloadbalancing:*:*:${r}`)),
    allow(elb('ModifyLoadBalancerAttributes', 'SetIpAddressType', 'SetSecurityGroups', 'SetSubnets', 'DeleteLoadBalancer', 'ModifyTargetGroup', 'ModifyTargetGroupAttributes', 'DeleteTargetGroup', 'ModifyListenerAttributes', 'ModifyCapacityReservation', 'ModifyIpPools'), '*', resourceTagged),
    allow(elb('AddTags'), targets, { StringEquals: { 'elasticloadbalancing:CreateAction': ['CreateTargetGroup', 'CreateLoadBalancer'] }, ...clusterTag('false') }),
    allow(elb('RegisterTargets', 'DeregisterTargets'), `arn:${p}:elasticloadbalancing:*:*:targetgroup/*/*`),
    allow(elb('SetWebAcl', 'ModifyListener', 'AddListenerCertificates', 'RemoveListenerCertificates', 'ModifyRule', 'SetRulePriorities')),
  ];
}

export interface PolicySet {
  managed: string[];
  inline: GeneratedPolicy[];
}

/** `wellKnownPolicies` of an IRSA or Pod Identity role (`createWellKnownPolicies`), keyed by the field that asks for it. */
export function wellKnownPolicies(key: string, p: string): PolicySet | undefined {
  switch (key) {
    case 'imageBuilder': return { managed: ['AmazonEC2ContainerRegistryPowerUser'], inline: [] };
    case 'autoScaler': return { managed: [], inline: [{ name: 'PolicyAutoScaling', statements: autoScaler() }] };
    case 'awsLoadBalancerController': return { managed: [], inline: [{ name: 'PolicyAWSLoadBalancerController', statements: loadBalancerController(p) }] };
    case 'externalDNS': return { managed: [], inline: [{ name: 'PolicyExternalDNSChangeSet', statements: changeSet(p) }, { name: 'PolicyExternalDNSHostedZones', statements: externalDnsHostedZones() }] };
    case 'certManager': return { managed: [], inline: [{ name: 'PolicyCertManagerChangeSet', statements: changeSet(p) }, { name: 'PolicyCertManagerGetChange', statements: certManagerGetChange(p) }, { name: 'PolicyCertManagerHostedZones', statements: certManagerHostedZones() }] };
    case 'ebsCSIController': return { managed: ['service-role/AmazonEBSCSIDriverPolicy'], inline: [] };
    case 'efsCSIController': return { managed: [], inline: [{ name: 'PolicyEFSCSIController', statements: efsCsiController() }] };
    default: return undefined;
  }
}

/** `iam.withAddonPolicies` of a node group (`createRole` / `makeManagedPolicies`), keyed by the field that asks for it. */
export function nodeAddonPolicies(key: string, p: string): PolicySet | undefined {
  switch (key) {
    case 'imageBuilder': return { managed: ['AmazonEC2ContainerRegistryPowerUser'], inline: [] };
    case 'cloudWatch': return { managed: ['CloudWatchAgentServerPolicy'], inline: [] };
    case 'ebs': return { managed: ['service-role/AmazonEBSCSIDriverPolicy'], inline: [] };
    case 'autoScaler': return { managed: [], inline: [{ name: 'PolicyAutoScaling', statements: autoScaler() }] };
    case 'certManager': return { managed: [], inline: [{ name: 'PolicyCertManagerChangeSet', statements: changeSet(p) }, { name: 'PolicyCertManagerHostedZones', statements: certManagerHostedZones() }, { name: 'PolicyCertManagerGetChange', statements: certManagerGetChange(p) }] };
    case 'externalDNS': return { managed: [], inline: [{ name: 'PolicyExternalDNSChangeSet', statements: changeSet(p) }, { name: 'PolicyExternalDNSHostedZones', statements: externalDnsHostedZones() }] };
    case 'appMesh': return { managed: [], inline: [{ name: 'PolicyAppMesh', statements: appMesh('appmesh:*') }] };
    case 'appMeshPreview': return { managed: [], inline: [{ name: 'PolicyAppMeshPreview', statements: appMesh('appmesh-preview:*') }] };
    case 'fsx': return { managed: [], inline: [{ name: 'PolicyFSX', statements: [allow(['fsx:*'])] }, { name: 'PolicyServiceLinkRole', statements: [allow(['iam:CreateServiceLinkedRole', 'iam:AttachRolePolicy', 'iam:PutRolePolicy'], `arn:${p}:iam::*:role/aws-service-role/*`)] }] };
    case 'efs': return { managed: [], inline: [{ name: 'PolicyEFS', statements: [allow(['elasticfilesystem:*'])] }, { name: 'PolicyEFSEC2', statements: [allow(['ec2:DescribeSubnets', 'ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:ModifyNetworkInterfaceAttribute', 'ec2:DescribeNetworkInterfaceAttribute'])] }] };
    case 'awsLoadBalancerController':
    case 'albIngress': return { managed: [], inline: [{ name: 'PolicyAWSLoadBalancerController', statements: loadBalancerController(p) }] };
    case 'xRay': return { managed: [], inline: [{ name: 'PolicyXRay', statements: [allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:GetSamplingStatisticSummaries'])] }] };
    default: return undefined;
  }
}

/**
 * The AWS managed policies eksctl attaches to a node role it creates when `iam.attachPolicyARNs` is empty
 * (`makeManagedPolicies`): the worker policy, the CNI policy unless the cluster has OIDC (then aws-node gets its own
 * role), ECR pull-only on managed node groups, and SSM. Unmanaged node groups always get ECR pull-only unless
 * `imageBuilder` gives them ECR power-user.
 */
export function defaultNodePolicies(opts: { explicitArns: boolean; withOidc: boolean; managed: boolean; imageBuilder: boolean }): string[] {
  const names: string[] = [];
  if (!opts.explicitArns) {
    names.push('AmazonEKSWorkerNodePolicy');
    if (!opts.withOidc) names.push('AmazonEKS_CNI_Policy');
    if (opts.managed) names.push('AmazonEC2ContainerRegistryPullOnly');
    names.push('AmazonSSMManagedInstanceCore');
  }
  if (!opts.imageBuilder && !opts.managed && !names.includes('AmazonEC2ContainerRegistryPullOnly')) names.push('AmazonEC2ContainerRegistryPullOnly');
  return names;
}
