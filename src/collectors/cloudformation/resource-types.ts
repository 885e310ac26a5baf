/**
 * The CloudFormation resource types podtrust reads, the canonical type each becomes, how
 * `Ref`/`Fn::GetAtt` of it read as canonical attributes, and how its body is built.
 */
import type { JsonValue } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { join } from '../../util/pointer.js';
import { createObject } from '../../util/structured.js';
import type { BodyBuilder } from './body-builder.js';
import { asObject } from './intrinsics.js';
import { own } from '../../util/own.js';

export interface CfnTypeMapping {
  /** Canonical resource type (see `ResourceType`). */
  type: string;
  /** The canonical attribute `Ref` returns. */
  ref: string;
  /** `Fn::GetAtt` attribute → canonical attribute. */
  attributes: Record<string, string>;
  build(b: BodyBuilder): void;
  /** Body key holding the display name, when known. */
  nameKey?: string;
}

const CFN_TYPES: Record<string, CfnTypeMapping> = {
  'AWS::IAM::Role': { type: 'aws.iam.Role', ref: 'RoleName', attributes: { Arn: 'Arn', RoleId: 'RoleId' }, build: buildRole, nameKey: 'RoleName' },
  'AWS::IAM::OIDCProvider': { type: 'aws.iam.OIDCProvider', ref: 'Arn', attributes: { Arn: 'Arn' }, build: buildOidcProvider, nameKey: 'Url' },
  'AWS::IAM::ManagedPolicy': { type: 'aws.iam.Policy', ref: 'Arn', attributes: { PolicyArn: 'Arn' }, build: buildManagedPolicy, nameKey: 'PolicyName' },
  'AWS::IAM::InstanceProfile': { type: 'aws.iam.InstanceProfile', ref: 'InstanceProfileName', attributes: { Arn: 'Arn' }, build: buildInstanceProfile, nameKey: 'InstanceProfileName' },
  'AWS::EKS::Cluster': {
    type: 'aws.eks.Cluster',
    ref: 'name',
    attributes: { Arn: 'arn', OpenIdConnectIssuerUrl: 'identity.oidc.issuer', Endpoint: 'endpoint', CertificateAuthorityData: 'certificateAuthority.data', ClusterSecurityGroupId: 'resourcesVpcConfig.clusterSecurityGroupId' },
    build: buildCluster,
    nameKey: 'name',
  },
  // AWS CDK's `aws-eks` Cluster and OpenIdConnectProvider constructs: custom resources with the API's fields.
  'Custom::AWSCDK-EKS-Cluster': {
    type: 'aws.eks.Cluster',
    ref: 'name',
    attributes: { Arn: 'arn', OpenIdConnectIssuerUrl: 'identity.oidc.issuer', OpenIdConnectIssuer: 'identity.oidc.issuer', Endpoint: 'endpoint', CertificateAuthorityData: 'certificateAuthority.data', ClusterSecurityGroupId: 'resourcesVpcConfig.clusterSecurityGroupId' },
    build: buildCdkCluster,
    nameKey: 'name',
  },
  'Custom::AWSCDKOpenIdConnectProvider': { type: 'aws.iam.OIDCProvider', ref: 'Arn', attributes: {}, build: buildOidcProvider, nameKey: 'Url' },
  'AWS::EKS::Nodegroup': { type: 'aws.eks.NodeGroup', ref: 'nodegroupName', attributes: { Arn: 'nodegroupArn', NodegroupName: 'nodegroupName', ClusterName: 'clusterName' }, build: buildNodeGroup, nameKey: 'nodegroupName' },
  'AWS::EC2::LaunchTemplate': { type: 'aws.ec2.LaunchTemplate', ref: 'LaunchTemplateId', attributes: {}, build: buildLaunchTemplate, nameKey: 'LaunchTemplateName' },
  'AWS::EKS::PodIdentityAssociation': { type: 'aws.eks.PodIdentityAssociation', ref: 'associationArn', attributes: { AssociationArn: 'associationArn', AssociationId: 'associationId' }, build: buildPodIdentityAssociation },
};

/** `AWS::IAM::Policy` is not a resource of its own: it is merged into the roles it names. */
export const INLINE_POLICY_TYPE = 'AWS::IAM::Policy';

/** Canonical attribute for `Ref` (attribute null) or `Fn::GetAtt` of a resource of any type. */
export function canonicalAttribute(cfnType: string, attribute: string | null): string {
  const mapping = cfnTypeMapping(cfnType);
  if (attribute === null) return mapping?.ref ?? 'Ref';
  return (mapping && own(mapping.attributes, attribute)) ?? attribute;
}

/** How a resource type is modelled; types and attribute names come from the template, so `constructor` finds nothing. */
export function cfnTypeMapping(cfnType: string): CfnTypeMapping | undefined {
  return own(CFN_TYPES, cfnType);
}

function buildRole(b: BodyBuilder): void {
  if (b.copy('RoleName') === undefined) b.body['RoleName'] = b.self('RoleName');
  b.body['Arn'] = b.self('Arn');
  b.copy('Path');
  const trust = b.source.properties['AssumeRolePolicyDocument'];
  if (trust !== undefined) b.body['AssumeRolePolicyDocument'] = b.policy(trust, join(b.propsPtr, 'AssumeRolePolicyDocument'), '/AssumeRolePolicyDocument');
  attachedPolicies(b);
  inlinePolicies(b);
  const boundary = b.scratch('PermissionsBoundary');
  if (boundary.value !== undefined) {
    b.body['PermissionsBoundary'] = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary.value };
    b.move(boundary.sink, '', '/PermissionsBoundary/PermissionsBoundaryArn');
    b.pointAt('/PermissionsBoundary', 'PermissionsBoundary');
  }
  b.copy('MaxSessionDuration');
  b.copy('Tags');
}

function attachedPolicies(b: BodyBuilder): void {
  const arns = b.scratch('ManagedPolicyArns');
  if (arns.value === undefined) return;
  b.pointAt('/AttachedManagedPolicies', 'ManagedPolicyArns');
  if (!Array.isArray(arns.value)) {
    b.body['AttachedManagedPolicies'] = arns.value;
    return;
  }
  b.body['AttachedManagedPolicies'] = arns.value.map((arn, i) => {
    const entry = createObject();
    const name = typeof arn === 'string' ? arn.slice(arn.lastIndexOf('/') + 1) : undefined;
    if (name) entry['PolicyName'] = name;
    entry['PolicyArn'] = arn;
    b.move(arns.sink, `/${i}`, `/AttachedManagedPolicies/${i}/PolicyArn`);
    const p = arns.sink.positions[`/${i}`];
    if (p) b.sink.positions[`/AttachedManagedPolicies/${i}`] = p;
    return entry;
  });
}

function inlinePolicies(b: BodyBuilder): void {
  const list = b.rawList('Policies');
  if (list === undefined) {
    if (b.has('Policies')) {
      const v = b.resolve('Policies', '/RolePolicyList');
      if (v !== undefined) b.body['RolePolicyList'] = v;
    }
    return;
  }
  b.pointAt('/RolePolicyList', 'Policies');
  b.body['RolePolicyList'] = list.map((item, i) => policyEntry(b, item, join(b.propsPtr, 'Policies', i), `/RolePolicyList/${i}`));
}

/** One `{PolicyName, PolicyDocument}` entry, its document decoded. */
export function policyEntry(b: BodyBuilder, item: JsonValue, docPtr: string, outPtr: string): JsonValue {
  const ctx = b.env.ctx;
  const obj = asObject(item);
  const p = ctx.docPositions[docPtr];
  if (p) b.sink.positions[outPtr] = p;
  b.sink.sources[outPtr] = docPtr;
  if (!obj || obj['PolicyDocument'] === undefined) return ctx.value(item, docPtr);
  const entry = createObject();
  if (obj['PolicyName'] !== undefined) entry['PolicyName'] = ctx.value(obj['PolicyName'], join(docPtr, 'PolicyName'));
  const namePos = ctx.docPositions[join(docPtr, 'PolicyName')];
  if (namePos) b.sink.positions[`${outPtr}/PolicyName`] = namePos;
  entry['PolicyDocument'] = b.policy(obj['PolicyDocument'], join(docPtr, 'PolicyDocument'), `${outPtr}/PolicyDocument`);
  return entry;
}

function buildOidcProvider(b: BodyBuilder): void {
  b.body['Arn'] = b.self('Arn');
  b.copy('Url');
  b.copy('ClientIdList', 'ClientIDList');
  b.copy('ClientIDList');
  b.copy('ThumbprintList');
  b.copy('Tags');
}

function buildManagedPolicy(b: BodyBuilder): void {
  if (b.copy('ManagedPolicyName', 'PolicyName') === undefined) b.body['PolicyName'] = b.self('PolicyName');
  b.body['Arn'] = b.self('Arn');
  b.copy('Path');
  const doc = b.source.properties['PolicyDocument'];
  if (doc !== undefined) b.body['PolicyDocument'] = b.policy(doc, join(b.propsPtr, 'PolicyDocument'), '/PolicyDocument');
}

function buildInstanceProfile(b: BodyBuilder): void {
  if (b.copy('InstanceProfileName') === undefined) b.body['InstanceProfileName'] = b.self('InstanceProfileName');
  b.body['Arn'] = b.self('Arn');
  const roles = b.scratch('Roles');
  if (Array.isArray(roles.value)) {
    b.pointAt('/Roles', 'Roles');
    b.body['Roles'] = roles.value.map((role, i) => {
      b.move(roles.sink, `/${i}`, `/Roles/${i}/RoleName`);
      const p = roles.sink.positions[`/${i}`];
      if (p) b.sink.positions[`/Roles/${i}`] = p;
      return { RoleName: role };
    });
  }
}

function buildCluster(b: BodyBuilder): void {
  if (b.copy('Name', 'name') === undefined) b.body['name'] = b.self('name', b.source.logicalId);
  b.body['arn'] = b.self('arn', `${b.source.logicalId}.Arn`);
  b.copy('Version', 'version');
  b.copy('RoleArn', 'roleArn');
  b.body['identity'] = { oidc: { issuer: b.self('identity.oidc.issuer', `${b.source.logicalId}.OpenIdConnectIssuerUrl`) } };
  const access = b.scratch('AccessConfig');
  if (access.value !== undefined && asObject(access.value)) {
    const a = asObject(access.value)!;
    const out = createObject();
    if (a['AuthenticationMode'] !== undefined) out['authenticationMode'] = a['AuthenticationMode'];
    if (a['BootstrapClusterCreatorAdminPermissions'] !== undefined) out['bootstrapClusterCreatorAdminPermissions'] = a['BootstrapClusterCreatorAdminPermissions'];
    b.body['accessConfig'] = out;
    b.move(access.sink, '', '/accessConfig');
    b.move(access.sink, '/AuthenticationMode', '/accessConfig/authenticationMode');
  }
}

/** CDK's cluster resource takes the CreateCluster request as `Config` (`name`, `version`, `roleArn`, `accessConfig`, ...). */
function buildCdkCluster(b: BodyBuilder): void {
  const config = b.scratch('Config');
  const c = asObject(config.value ?? null) ?? {};
  for (const key of ['name', 'version', 'roleArn', 'accessConfig']) {
    if (c[key] === undefined) continue;
    b.body[key] = c[key];
    b.move(config.sink, `/${key}`, `/${key}`);
  }
  if (b.body['name'] === undefined) b.body['name'] = b.self('name', b.source.logicalId);
  b.body['arn'] = b.self('arn', `${b.source.logicalId}.Arn`);
  b.body['identity'] = { oidc: { issuer: b.self('identity.oidc.issuer', `${b.source.logicalId}.OpenIdConnectIssuerUrl`) } };
}

function buildNodeGroup(b: BodyBuilder): void {
  if (b.copy('NodegroupName', 'nodegroupName') === undefined) b.body['nodegroupName'] = b.self('nodegroupName', b.source.logicalId);
  b.copy('ClusterName', 'clusterName');
  b.copy('NodeRole', 'nodeRole');
  b.copy('AmiType', 'amiType');
  b.copy('CapacityType', 'capacityType');
  b.copy('Labels', 'labels');
  const lt = b.scratch('LaunchTemplate');
  const spec = asObject(lt.value ?? null);
  if (spec) {
    const out = createObject();
    for (const [from, to] of [['Id', 'id'], ['Name', 'name'], ['Version', 'version']] as const) {
      if (spec[from] !== undefined) {
        out[to] = spec[from];
        b.move(lt.sink, `/${from}`, `/launchTemplate/${to}`);
      }
    }
    b.pointAt('/launchTemplate', 'LaunchTemplate');
    b.body['launchTemplate'] = out;
  } else if (lt.value !== undefined) {
    b.body['launchTemplate'] = lt.value;
    b.pointAt('/launchTemplate', 'LaunchTemplate');
  }
}

function buildLaunchTemplate(b: BodyBuilder): void {
  if (b.copy('LaunchTemplateName') === undefined) b.body['LaunchTemplateName'] = b.self('LaunchTemplateName', b.source.logicalId);
  const data = b.rawObject('LaunchTemplateData');
  const out = createObject();
  if (data) {
    const dataPtr = join(b.propsPtr, 'LaunchTemplateData');
    b.pointAt('/LaunchTemplateData', 'LaunchTemplateData');
    // Only the fields rules read: user data and the rest may hold secrets.
    for (const key of ['MetadataOptions', 'IamInstanceProfile']) {
      if (data[key] === undefined) continue;
      const v = b.env.ctx.resolve(data[key]!, join(dataPtr, key), `/LaunchTemplateData/${key}`, b.sink);
      if (typeof v !== 'symbol') out[key] = v;
    }
  } else if (b.has('LaunchTemplateData')) {
    const v = b.resolve('LaunchTemplateData', '/LaunchTemplateData');
    if (v !== undefined && isUnknown(v)) {
      b.body['LaunchTemplateData'] = v;
      return;
    }
  }
  b.body['LaunchTemplateData'] = out;
}

function buildPodIdentityAssociation(b: BodyBuilder): void {
  b.copy('ClusterName', 'clusterName');
  b.copy('Namespace', 'namespace');
  b.copy('ServiceAccount', 'serviceAccount');
  b.copy('RoleArn', 'roleArn');
  b.copy('TargetRoleArn', 'targetRoleArn');
}
