/**
 * AWS managed policies podtrust knows by name and content. The documents are written from AWS's
 * public managed-policy reference as facts about what each grants. AdministratorAccess,
 * PowerUserAccess, IAMFullAccess, AmazonS3FullAccess and the node baseline are complete as
 * published; ReadOnlyAccess and AmazonEC2FullAccess are summaries (AWS revises their long
 * action lists often): they keep every wildcard grant that matters to the rules, not every action.
 */
import type { JsonObject } from '../model/types.js';
import type { Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { own } from '../util/own.js';

const allow = (Action: string[] | string, Resource: string[] | string = '*', extra: JsonObject = {}): JsonObject => ({ Effect: 'Allow', Action, Resource, ...extra });
const doc = (...Statement: JsonObject[]): JsonObject => ({ Version: '2012-10-17', Statement });

/** The worker-node baseline every EKS node role needs (managed node groups attach these). */
export const NODE_BASELINE_POLICIES: readonly string[] = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryReadOnly',
  'AmazonEC2ContainerRegistryPullOnly',
  'AmazonSSMManagedInstanceCore',
];

/** AWS managed policies whose name alone says they are broad. */
export function isBroadManagedPolicyName(name: string): boolean {
  return name === 'AdministratorAccess' || name === 'PowerUserAccess' || name === 'ReadOnlyAccess' || /FullAccess(?:_v\d+)?$/.test(name);
}

const DOCUMENTS: Record<string, JsonObject> = {
  AdministratorAccess: doc(allow('*')),
  PowerUserAccess: doc(
    { Effect: 'Allow', NotAction: ['iam:*', 'organizations:*', 'account:*'], Resource: '*' },
    allow(['iam:CreateServiceLinkedRole', 'iam:DeleteServiceLinkedRole', 'iam:ListRoles', 'organizations:DescribeOrganization', 'account:ListRegions', 'account:GetAccountInformation']),
  ),
  IAMFullAccess: doc(
    allow([
      'iam:*',
      'organizations:DescribeAccount',
      'organizations:DescribeOrganization',
      'organizations:DescribeOrganizationalUnit',
      'organizations:DescribePolicy',
      'organizations:ListChildren',
      'organizations:ListParents',
      'organizations:ListPoliciesForTarget',
      'organizations:ListRoots',
      'organizations:ListPolicies',
      'organizations:ListTargetsForPolicy',
    ]),
  ),
  // Summary: read actions of every service, including object reads (s3:Get*) and parameter reads.
  ReadOnlyAccess: doc(allow(['*:Get*', '*:List*', '*:Describe*', '*:BatchGet*', '*:Search*', '*:Lookup*', '*:View*', '*:Query*', '*:Scan*', '*:Select*'])),
  AmazonS3FullAccess: doc(allow(['s3:*', 's3-object-lambda:*'])),
  // Summary: the service wildcards; the service-linked-role grants are conditioned on the service.
  AmazonEC2FullAccess: doc(
    allow(['ec2:*', 'elasticloadbalancing:*', 'cloudwatch:*', 'autoscaling:*']),
    allow('iam:CreateServiceLinkedRole', '*', { Condition: { StringEquals: { 'iam:AWSServiceName': ['autoscaling.amazonaws.com', 'ec2scheduled.amazonaws.com', 'elasticloadbalancing.amazonaws.com', 'spot.amazonaws.com', 'spotfleet.amazonaws.com', 'transitgateway.amazonaws.com'] } } }),
  ),
  AmazonEKSWorkerNodePolicy: doc(
    allow([
      'ec2:DescribeInstances',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeRouteTables',
      'ec2:DescribeSecurityGroups',
      'ec2:DescribeSubnets',
      'ec2:DescribeVolumes',
      'ec2:DescribeVolumesModifications',
      'ec2:DescribeVpcs',
      'eks:DescribeCluster',
      'eks-auth:AssumeRoleForPodIdentity',
    ]),
  ),
  AmazonEKS_CNI_Policy: doc(
    allow([
      'ec2:AssignPrivateIpAddresses',
      'ec2:AttachNetworkInterface',
      'ec2:CreateNetworkInterface',
      'ec2:DeleteNetworkInterface',
      'ec2:DescribeInstances',
      'ec2:DescribeTags',
      'ec2:DescribeNetworkInterfaces',
      'ec2:DescribeInstanceTypes',
      'ec2:DescribeSubnets',
      'ec2:DetachNetworkInterface',
      'ec2:ModifyNetworkInterfaceAttribute',
      'ec2:UnassignPrivateIpAddresses',
    ]),
    allow('ec2:CreateTags', 'arn:aws:ec2:*:*:network-interface/*'),
  ),
  AmazonEC2ContainerRegistryReadOnly: doc(
    allow([
      'ecr:GetAuthorizationToken',
      'ecr:BatchCheckLayerAvailability',
      'ecr:GetDownloadUrlForLayer',
      'ecr:GetRepositoryPolicy',
      'ecr:DescribeRepositories',
      'ecr:ListImages',
      'ecr:DescribeImages',
      'ecr:BatchGetImage',
      'ecr:GetLifecyclePolicy',
      'ecr:GetLifecyclePolicyPreview',
      'ecr:ListTagsForResource',
      'ecr:DescribeImageScanFindings',
    ]),
  ),
  AmazonEC2ContainerRegistryPullOnly: doc(allow(['ecr:GetAuthorizationToken', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'])),
  AmazonSSMManagedInstanceCore: doc(
    allow([
      'ssm:DescribeAssociation',
      'ssm:GetDeployablePatchSnapshotForInstance',
      'ssm:GetDocument',
      'ssm:DescribeDocument',
      'ssm:GetManifest',
      'ssm:GetParameter',
      'ssm:GetParameters',
      'ssm:ListAssociations',
      'ssm:ListInstanceAssociations',
      'ssm:PutInventory',
      'ssm:PutComplianceItems',
      'ssm:PutConfigurePackageResult',
      'ssm:UpdateAssociationStatus',
      'ssm:UpdateInstanceAssociationStatus',
      'ssm:UpdateInstanceInformation',
    ]),
    allow(['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel']),
    allow(['ec2messages:AcknowledgeMessage', 'ec2messages:DeleteMessage', 'ec2messages:FailMessage', 'ec2messages:GetEndpoint', 'ec2messages:GetMessages', 'ec2messages:SendReply']),
  ),
};

/** The document of an AWS managed policy, when podtrust knows it. */
export function awsManagedPolicyDocument(name: string): JsonObject | undefined {
  return own(DOCUMENTS, name);
}

const AWS_MANAGED_ARN = /^arn:aws[\w-]*:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/;

/**
 * The name of the AWS managed policy an ARN names, or undefined. An ARN built from an unresolved
 * partition (`arn:${partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy`) still names one; so does
 * an unresolved prefix ending in a known managed policy's name, the way popular modules build it.
 */
export function awsManagedPolicyName(arn: string | Unknown | unknown): string | undefined {
  if (typeof arn === 'string') return AWS_MANAGED_ARN.exec(arn)?.[1];
  if (!isUnknown(arn) || !arn.suffix) return undefined;
  const fromSuffix = /:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/.exec(arn.suffix)?.[1];
  if (fromSuffix) return fromSuffix;
  const last = /\/([^/]+)$/.exec(arn.suffix)?.[1];
  return last && (awsManagedPolicyDocument(last) !== undefined || isBroadManagedPolicyName(last)) ? last : undefined;
}
