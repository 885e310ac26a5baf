/**
 * Terraform resource types → canonical inventory shapes. One table, so more types are one entry each.
 * Input values are Terraform's attribute values (nested blocks as lists), as in plan JSON.
 */
import type { JsonValue } from '../../model/types.js';
import { escapeToken } from '../../util/pointer.js';
import { decodeJsonPieces } from './json-template.js';
import { type ObjectValue, type Value, encodedValue, isObject, isUnknown, mkUnknown, newObject, parseJsonValue, templatePieces } from './values.js';
import { AZURE_MAPPERS, mapAzapiResource } from './mappings-azure.js';
import { GCP_MAPPERS } from './mappings-gcp.js';
import { KUBERNETES_DATA_MAPPERS } from './mappings-kubernetes-data.js';
import { Builder, type MappedResource, type Mapper, type MappingContext } from './mapper.js';
import { own } from '../../util/own.js';

function get(values: ObjectValue, name: string): Value | undefined {
  return values[name];
}

function firstBlock(values: ObjectValue, name: string): ObjectValue | undefined {
  const v = values[name];
  if (Array.isArray(v) && isObject(v[0])) return v[0];
  if (isObject(v)) return v;
  return undefined;
}

/** A policy document as IAM returns it decoded: from a JSON string, jsonencode(...) or a data source. */
export function decodeDocument(v: Value | undefined): Value {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') return parseJsonValue(v) ?? mkUnknown(v.length > 80 ? 'invalid JSON policy' : v);
  if (isUnknown(v)) {
    const encoded = encodedValue.get(v);
    if (encoded !== undefined) return encoded;
    const pieces = templatePieces.get(v);
    const decoded = pieces ? decodeJsonPieces(pieces) : undefined;
    return decoded ? decoded.value : v;
  }
  return v;
}

function nameOr(v: Value | undefined, address: string): string {
  return typeof v === 'string' ? v : address;
}

function arnName(v: Value): Value {
  if (typeof v !== 'string') return v;
  const i = v.lastIndexOf('/');
  return i >= 0 ? v.slice(i + 1) : v;
}

function withOptional(o: ObjectValue, key: string, v: Value | undefined): void {
  if (v !== undefined) o[key] = v;
}

const MAPPERS: Record<string, Mapper> = {
  aws_iam_role(ctx, b) {
    const v = ctx.values;
    const body = newObject();
    body.RoleName = ownOrRef(ctx, 'name');
    b.set('/RoleName', '/name');
    body.AssumeRolePolicyDocument = decodeDocument(get(v, 'assume_role_policy'));
    b.move('/assume_role_policy', '/AssumeRolePolicyDocument');
    const managed = get(v, 'managed_policy_arns');
    const attached: Value[] = [];
    if (Array.isArray(managed)) {
      managed.forEach((arn, i) => {
        attached.push(Object.assign(newObject(), { PolicyArn: arn, PolicyName: arnName(arn) }));
        b.set(`/AttachedManagedPolicies/${i}`, `/managed_policy_arns/${i}`);
      });
    }
    b.set('/AttachedManagedPolicies', '/managed_policy_arns');
    body.AttachedManagedPolicies = attached;
    const inline = get(v, 'inline_policy');
    const inlineList: Value[] = [];
    if (Array.isArray(inline)) {
      inline.forEach((p, i) => {
        if (!isObject(p)) return;
        inlineList.push(Object.assign(newObject(), { PolicyName: p.name ?? null, PolicyDocument: decodeDocument(p.policy) }));
        b.set(`/RolePolicyList/${i}`, `/inline_policy/${i}`);
        b.move(`/inline_policy/${i}/policy`, `/RolePolicyList/${i}/PolicyDocument`);
      });
    }
    body.RolePolicyList = inlineList;
    const boundary = get(v, 'permissions_boundary');
    if (boundary !== undefined && boundary !== null) {
      body.PermissionsBoundary = Object.assign(newObject(), { PermissionsBoundaryArn: boundary });
      b.set('/PermissionsBoundary', '/permissions_boundary');
    }
    withOptional(body, 'Tags', get(v, 'tags'));
    body.Arn = mkUnknown(`${ctx.address}.arn`, { ref: { id: ctx.id, attribute: 'arn' } });
    return { type: 'aws.iam.Role', name: nameOr(body.RoleName, ctx.address), body };
  },
  aws_iam_openid_connect_provider(ctx, b) {
    const v = ctx.values;
    const body = newObject();
    body.Url = get(v, 'url') ?? null;
    body.ClientIDList = get(v, 'client_id_list') ?? [];
    body.ThumbprintList = get(v, 'thumbprint_list') ?? [];
    body.Arn = mkUnknown(`${ctx.address}.arn`, { ref: { id: ctx.id, attribute: 'arn' } });
    b.set('/Url', '/url');
    b.move('/client_id_list', '/ClientIDList');
    b.move('/thumbprint_list', '/ThumbprintList');
    return { type: 'aws.iam.OIDCProvider', name: typeof body.Url === 'string' ? body.Url : ctx.address, body };
  },
  aws_iam_policy(ctx, b) {
    const v = ctx.values;
    const body = newObject();
    body.PolicyName = ownOrRef(ctx, 'name');
    body.PolicyDocument = decodeDocument(get(v, 'policy'));
    body.Arn = mkUnknown(`${ctx.address}.arn`, { ref: { id: ctx.id, attribute: 'arn' } });
    b.set('/PolicyName', '/name');
    b.move('/policy', '/PolicyDocument');
    return { type: 'aws.iam.Policy', name: nameOr(body.PolicyName, ctx.address), body };
  },
  aws_eks_cluster(ctx, b) {
    const body = newObject();
    body.name = ownOrRef(ctx, 'name');
    body.arn = ownOrRef(ctx, 'arn');
    // Known only in state or plan JSON of an existing cluster.
    const knownIssuer = firstBlock(firstBlock(ctx.values, 'identity') ?? newObject(), 'oidc')?.issuer;
    const oidc = Object.assign(newObject(), {
      issuer: typeof knownIssuer === 'string' ? knownIssuer : mkUnknown(`${ctx.address}.identity[0].oidc[0].issuer`, { ref: { id: ctx.id, attribute: 'identity.oidc.issuer' } }),
    });
    body.identity = Object.assign(newObject(), { oidc });
    b.set('/name', '/name');
    return { type: 'aws.eks.Cluster', name: nameOr(body.name, ctx.address), body };
  },
  aws_eks_node_group(ctx, b) {
    const v = ctx.values;
    const body = newObject();
    body.nodegroupName = ownOrRef(ctx, 'node_group_name');
    body.clusterName = get(v, 'cluster_name') ?? null;
    body.nodeRole = get(v, 'node_role_arn') ?? null;
    b.set('/nodegroupName', '/node_group_name');
    b.set('/clusterName', '/cluster_name');
    b.set('/nodeRole', '/node_role_arn');
    const lt = firstBlock(v, 'launch_template');
    if (lt) {
      body.launchTemplate = launchTemplateRef(lt.id, lt.name, lt.version);
      b.move('/launch_template/0', '/launchTemplate');
    }
    withOptional(body, 'amiType', get(v, 'ami_type'));
    b.set('/amiType', '/ami_type');
    return { type: 'aws.eks.NodeGroup', name: nameOr(body.nodegroupName, ctx.address), body };
  },
  aws_launch_template(ctx, b) {
    const v = ctx.values;
    const data = launchData(v, b);
    const profile = firstBlock(v, 'iam_instance_profile');
    if (profile) {
      const p = newObject();
      withOptional(p, 'Arn', profile.arn);
      withOptional(p, 'Name', profile.name);
      data.IamInstanceProfile = p;
      b.move('/iam_instance_profile/0', '/LaunchTemplateData/IamInstanceProfile');
    }
    withOptional(data, 'UserData', get(v, 'user_data'));
    b.set('/LaunchTemplateData/UserData', '/user_data');
    return launchTemplate(ctx, b, data);
  },
  // A launch configuration sets the same instance options: it is kept in the launch template shape the node rules read.
  aws_launch_configuration(ctx, b) {
    const v = ctx.values;
    const data = launchData(v, b);
    const profile = get(v, 'iam_instance_profile');
    if (profile !== undefined && profile !== null) {
      data.IamInstanceProfile = Object.assign(newObject(), { Name: profile });
      b.set('/LaunchTemplateData/IamInstanceProfile', '/iam_instance_profile');
      b.set('/LaunchTemplateData/IamInstanceProfile/Name', '/iam_instance_profile');
    }
    const userData = get(v, 'user_data');
    if (typeof userData === 'string') data.UserData = Buffer.from(userData, 'utf8').toString('base64');
    else withOptional(data, 'UserData', userData ?? get(v, 'user_data_base64'));
    return launchTemplate(ctx, b, data);
  },
  // Every group is mapped; only those tied to a cluster stay in the inventory (self-managed-nodes.ts).
  aws_autoscaling_group(ctx, b) {
    const v = ctx.values;
    const body = newObject();
    body.nodegroupName = ownOrRef(ctx, 'name');
    body.clusterName = null;
    body.nodeRole = null;
    b.set('/nodegroupName', '/name');
    const lt = firstBlock(v, 'launch_template');
    const spec = firstBlock(firstBlock(firstBlock(v, 'mixed_instances_policy') ?? newObject(), 'launch_template') ?? newObject(), 'launch_template_specification');
    const lc = get(v, 'launch_configuration');
    if (lt) {
      body.launchTemplate = launchTemplateRef(lt.id, lt.name, lt.version);
      b.move('/launch_template/0', '/launchTemplate');
    } else if (spec) {
      body.launchTemplate = launchTemplateRef(spec.launch_template_id, spec.launch_template_name, spec.version);
      const at = '/mixed_instances_policy/0/launch_template/0/launch_template_specification/0';
      b.set('/launchTemplate', at);
      b.set('/launchTemplate/id', `${at}/launch_template_id`);
      b.set('/launchTemplate/name', `${at}/launch_template_name`);
    } else if (lc !== undefined && lc !== null) {
      // A reference to the configuration names it by its resource; a string by its name.
      body.launchTemplate = isUnknown(lc) ? launchTemplateRef(lc, undefined, undefined) : launchTemplateRef(undefined, lc, undefined);
      b.set('/launchTemplate', '/launch_configuration');
    } else {
      // Instances always start from a template or configuration: one not known here is not EKS's default template.
      body.launchTemplate = mkUnknown(`${ctx.address} launch template`);
    }
    const tags = newObject();
    const tagList = [...(Array.isArray(v.tag) ? v.tag : []), ...(Array.isArray(v.tags) ? v.tags : [])];
    for (const t of tagList) if (isObject(t) && typeof t.key === 'string') tags[t.key] = t.value ?? null;
    body.tags = tags;
    return { type: 'aws.eks.NodeGroup', name: nameOr(body.nodegroupName, ctx.address), body };
  },
  aws_eks_pod_identity_association(ctx, b) {
    const v = ctx.values;
    const body = newObject();
    body.clusterName = get(v, 'cluster_name') ?? null;
    body.namespace = get(v, 'namespace') ?? null;
    body.serviceAccount = get(v, 'service_account') ?? null;
    body.roleArn = get(v, 'role_arn') ?? null;
    const target = get(v, 'target_role_arn');
    if (target !== undefined && target !== null) body.targetRoleArn = target;
    b.set('/clusterName', '/cluster_name');
    b.set('/namespace', '/namespace');
    b.set('/serviceAccount', '/service_account');
    b.set('/roleArn', '/role_arn');
    b.set('/targetRoleArn', '/target_role_arn');
    return { type: 'aws.eks.PodIdentityAssociation', name: ctx.address, body };
  },
  aws_iam_instance_profile(ctx, b) {
    const v = ctx.values;
    const body = newObject();
    body.InstanceProfileName = ownOrRef(ctx, 'name');
    const role = get(v, 'role');
    body.Roles = role === undefined || role === null ? [] : [role];
    b.set('/InstanceProfileName', '/name');
    b.set('/Roles/0', '/role');
    return { type: 'aws.iam.InstanceProfile', name: nameOr(body.InstanceProfileName, ctx.address), body };
  },
  kubernetes_service_account: serviceAccount,
  kubernetes_service_account_v1: serviceAccount,
  // The namespace's `default` ServiceAccount, which Kubernetes creates and these resources take over.
  kubernetes_default_service_account: (ctx, b) => serviceAccount(ctx, b, 'default'),
  kubernetes_default_service_account_v1: (ctx, b) => serviceAccount(ctx, b, 'default'),
  kubernetes_annotations(ctx, b) {
    const v = ctx.values;
    if (get(v, 'kind') !== 'ServiceAccount') throw new Unmapped();
    const meta = firstBlock(v, 'metadata') ?? newObject();
    const values = Object.assign(newObject(), v);
    values.metadata = [Object.assign(newObject(), meta, { annotations: get(v, 'annotations') ?? newObject() })];
    b.move('/annotations', '/metadata/annotations');
    return serviceAccount({ ...ctx, values }, b);
  },
  kubernetes_manifest(ctx, b) {
    const manifest = get(ctx.values, 'manifest');
    if (!isObject(manifest) || typeof manifest.kind !== 'string') throw new Unmapped();
    b.move('/manifest', '');
    const meta = isObject(manifest.metadata) ? manifest.metadata : newObject();
    const ns = typeof meta.namespace === 'string' ? meta.namespace : undefined;
    const name = typeof meta.name === 'string' ? meta.name : ctx.address;
    const result: ReturnType<Mapper> = { type: `k8s.${manifest.kind}`, name: ns ? `${ns}/${name}` : name, body: manifest };
    if (ns) result.namespace = ns;
    return result;
  },
  azapi_resource(ctx, b) {
    const mapped = mapAzapiResource(ctx, b);
    if (!mapped) throw new Unmapped();
    return mapped;
  },
  ...AZURE_MAPPERS,
  ...GCP_MAPPERS,
  ...KUBERNETES_DATA_MAPPERS,
};

/** How a node group names its launch template: `{ id?, name?, version? }`. */
function launchTemplateRef(id: Value | undefined, name: Value | undefined, version: Value | undefined): ObjectValue {
  const ref = newObject();
  withOptional(ref, 'id', id);
  withOptional(ref, 'name', name);
  withOptional(ref, 'version', version);
  return ref;
}

/** An attribute the configuration sets, else the resource's own attribute, known once it exists. */
function ownOrRef(ctx: MappingContext, key: string): Value {
  return get(ctx.values, key) ?? mkUnknown(`${ctx.address}.${key}`, { ref: { id: ctx.id, attribute: key } });
}

function launchTemplate(ctx: MappingContext, b: Builder, data: ObjectValue): ReturnType<Mapper> {
  const body = newObject();
  body.LaunchTemplateName = ownOrRef(ctx, 'name');
  b.set('/LaunchTemplateName', '/name');
  body.LaunchTemplateData = data;
  return { type: 'aws.ec2.LaunchTemplate', name: nameOr(body.LaunchTemplateName, ctx.address), body };
}

/** The instance options a launch template or launch configuration sets: its metadata options. */
function launchData(v: ObjectValue, b: Builder): ObjectValue {
  const data = newObject();
  const md = firstBlock(v, 'metadata_options');
  if (md) {
    const m = newObject();
    withOptional(m, 'HttpTokens', md.http_tokens);
    withOptional(m, 'HttpPutResponseHopLimit', md.http_put_response_hop_limit);
    withOptional(m, 'HttpEndpoint', md.http_endpoint);
    data.MetadataOptions = m;
    b.set('/LaunchTemplateData/MetadataOptions', '/metadata_options/0');
    b.set('/LaunchTemplateData/MetadataOptions/HttpTokens', '/metadata_options/0/http_tokens');
    b.set('/LaunchTemplateData/MetadataOptions/HttpPutResponseHopLimit', '/metadata_options/0/http_put_response_hop_limit');
    b.set('/LaunchTemplateData/MetadataOptions/HttpEndpoint', '/metadata_options/0/http_endpoint');
  }
  return data;
}

function serviceAccount(ctx: MappingContext, b: Builder, defaultName?: string): ReturnType<Mapper> {
  const meta = firstBlock(ctx.values, 'metadata') ?? newObject();
  const metadata = newObject();
  metadata.name = meta.name ?? defaultName ?? null;
  metadata.namespace = meta.namespace ?? 'default';
  metadata.annotations = isObject(meta.annotations) ? meta.annotations : meta.annotations ?? newObject();
  metadata.labels = isObject(meta.labels) ? meta.labels : meta.labels ?? newObject();
  b.move('/metadata/0', '/metadata');
  const body = Object.assign(newObject(), { apiVersion: 'v1', kind: 'ServiceAccount', metadata });
  const auto = get(ctx.values, 'automount_service_account_token');
  if (auto !== undefined) {
    body.automountServiceAccountToken = auto;
    b.set('/automountServiceAccountToken', '/automount_service_account_token');
  }
  const name = typeof metadata.name === 'string' ? metadata.name : ctx.address;
  const ns = typeof metadata.namespace === 'string' ? metadata.namespace : undefined;
  const result: ReturnType<Mapper> = { type: 'k8s.ServiceAccount', name: ns ? `${ns}/${name}` : name, body };
  if (ns) result.namespace = ns;
  return result;
}

class Unmapped extends Error {}

/**
 * Maps one Terraform resource (type, address, attribute values, positions keyed by pointers into
 * the values) to its canonical shape; undefined for types not in the table.
 */
export function mapTerraformResource(type: string, ctx: MappingContext): MappedResource | undefined {
  const mapper = own(MAPPERS, type);
  if (!mapper) return undefined;
  const builder = new Builder(ctx.positions);
  try {
    const mapped = mapper(ctx, builder);
    if (ctx.positions[''] && builder.positions[''] === undefined) builder.positions[''] = ctx.positions[''];
    const result: MappedResource = { type: mapped.type, name: mapped.name, body: mapped.body as JsonValue, positions: builder.positions };
    if (mapped.namespace !== undefined) result.namespace = mapped.namespace;
    return result;
  } catch (e) {
    if (e instanceof Unmapped) return undefined;
    throw e;
  }
}

export { escapeToken };
