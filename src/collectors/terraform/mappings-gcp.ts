/**
 * Terraform `google` provider types → canonical GCP shapes (see ResourceType in src/model/types.ts).
 * IAM policies (`*_iam_policy`, `data.google_iam_policy`) map to intermediate shapes that
 * src/collectors/gcp/normalize.ts splits into one `gcp.iam.Binding` per role.
 */
import type { MappingContext } from './mapper.js';
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown, newObject, templatePieces } from './values.js';
import { blocksUnresolved } from './body.js';

/** The part of the mapping table's position builder these mappers use. */
export interface BodyPositions {
  move(from: string, to: string): void;
  set(pointer: string, from: string): void;
}

type GcpMapper = (ctx: MappingContext, b: BodyPositions) => { type: string; name: string; body: ObjectValue };

function firstBlock(values: ObjectValue, name: string): ObjectValue | undefined {
  const v = values[name];
  if (Array.isArray(v) && isObject(v[0])) return v[0];
  if (isObject(v)) return v;
  return undefined;
}

function blocks(values: ObjectValue, name: string): ObjectValue[] {
  const v = values[name];
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

function attr(ctx: MappingContext, name: string): Value {
  return ctx.values[name] ?? mkUnknown(`${ctx.address}.${name}`, { ref: { id: ctx.id, attribute: name } });
}

function str(v: Value | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/**
 * An interpolated value keeps the reference of its one referenced part, so
 * `"serviceAccount:${google_service_account.app.email}"` or
 * `"projects/${var.project}/serviceAccounts/${google_service_account.app.email}"` still joins to the account.
 */
function member(v: Value): Value {
  if (!isUnknown(v) || v.ref) return v;
  const pieces = templatePieces.get(v);
  if (!pieces) return v;
  const refs = pieces.flatMap((p) => ('unknown' in p && p.unknown.ref ? [p.unknown.ref] : []));
  const ref = refs.length === 1 ? refs[0] : undefined;
  if (!ref) return v;
  return mkUnknown(v.$unknown, { ...(v.prefix ? { prefix: v.prefix } : {}), ...(v.suffix ? { suffix: v.suffix } : {}), ref });
}

/** `node_config` → the GKE API `NodeConfig` fields rules read. */
function nodeConfig(nc: ObjectValue | undefined, from: string, to: string, b: BodyPositions): ObjectValue {
  const config = newObject();
  if (!nc) return config;
  b.set(to, from);
  if (nc.service_account !== undefined) {
    config.serviceAccount = nc.service_account;
    b.set(`${to}/serviceAccount`, `${from}/service_account`);
  }
  if (nc.image_type !== undefined) {
    config.imageType = nc.image_type;
    b.set(`${to}/imageType`, `${from}/image_type`);
  }
  const wmc = firstBlock(nc, 'workload_metadata_config');
  if (wmc) {
    const out = newObject();
    b.set(`${to}/workloadMetadataConfig`, `${from}/workload_metadata_config/0`);
    if (wmc.mode !== undefined) {
      out.mode = wmc.mode;
      b.set(`${to}/workloadMetadataConfig/mode`, `${from}/workload_metadata_config/0/mode`);
    }
    if (wmc.node_metadata !== undefined) {
      out.nodeMetadata = wmc.node_metadata;
      b.set(`${to}/workloadMetadataConfig/nodeMetadata`, `${from}/workload_metadata_config/0/node_metadata`);
    }
    config.workloadMetadataConfig = out;
  }
  if (nc.labels !== undefined) config.labels = nc.labels;
  return config;
}

function optional(o: ObjectValue, key: string, v: Value | undefined, b: BodyPositions, from: string): void {
  if (v === undefined) return;
  o[key] = v;
  b.set(`/${key}`, from);
}

function container_cluster(ctx: MappingContext, b: BodyPositions): ReturnType<GcpMapper> {
  const v = ctx.values;
  const body = newObject();
  body.name = attr(ctx, 'name');
  b.set('/name', '/name');
  optional(body, 'location', v.location, b, '/location');
  optional(body, 'project', v.project, b, '/project');
  optional(body, 'resourceLabels', v.resource_labels, b, '/resource_labels');
  if (v.enable_autopilot !== undefined) {
    body.autopilot = Object.assign(newObject(), { enabled: v.enable_autopilot });
    b.set('/autopilot/enabled', '/enable_autopilot');
  }
  const wic = firstBlock(v, 'workload_identity_config');
  if (wic) {
    const pool = wic.workload_pool ?? wic.identity_namespace ?? null;
    body.workloadIdentityConfig = Object.assign(newObject(), { workloadPool: pool });
    b.set('/workloadIdentityConfig', '/workload_identity_config/0');
    b.set('/workloadIdentityConfig/workloadPool', wic.workload_pool !== undefined ? '/workload_identity_config/0/workload_pool' : '/workload_identity_config/0/identity_namespace');
  }
  const nc = firstBlock(v, 'node_config');
  if (nc) body.nodeConfig = nodeConfig(nc, '/node_config/0', '/nodeConfig', b);
  const pools = blocks(v, 'node_pool');
  if (pools.length > 0) {
    body.nodePools = pools.map((p, i) => {
      b.set(`/nodePools/${i}`, `/node_pool/${i}`);
      b.set(`/nodePools/${i}/name`, `/node_pool/${i}/name`);
      const pool = newObject();
      pool.name = p.name ?? mkUnknown(`${ctx.address}.node_pool[${i}].name`);
      pool.config = nodeConfig(firstBlock(p, 'node_config'), `/node_pool/${i}/node_config/0`, `/nodePools/${i}/config`, b);
      return pool;
    });
  }
  if (blocksUnresolved.has(v)) {
    // A dynamic block over an unresolved collection: the missing blocks may exist.
    body.workloadIdentityConfig ??= mkUnknown(`${ctx.address}.workload_identity_config`);
    body.nodeConfig ??= mkUnknown(`${ctx.address}.node_config`);
    body.nodePools ??= mkUnknown(`${ctx.address}.node_pool`);
  }
  if (v.remove_default_node_pool !== undefined) {
    body.removeDefaultNodePool = v.remove_default_node_pool;
    b.set('/removeDefaultNodePool', '/remove_default_node_pool');
  }
  return { type: 'gcp.container.Cluster', name: str(body.name) ?? ctx.address, body };
}

function container_node_pool(ctx: MappingContext, b: BodyPositions): ReturnType<GcpMapper> {
  const v = ctx.values;
  const body = newObject();
  body.name = v.name ?? mkUnknown(`${ctx.address}.name`, { ref: { id: ctx.id, attribute: 'name' } });
  b.set('/name', '/name');
  body.cluster = v.cluster ?? null;
  b.set('/cluster', '/cluster');
  optional(body, 'location', v.location, b, '/location');
  optional(body, 'project', v.project, b, '/project');
  const nc = firstBlock(v, 'node_config');
  body.config = !nc && blocksUnresolved.has(v) ? mkUnknown(`${ctx.address}.node_config`) : nodeConfig(nc, '/node_config/0', '/config', b);
  return { type: 'gcp.container.NodePool', name: str(body.name) ?? ctx.address, body };
}

function service_account(ctx: MappingContext, b: BodyPositions): ReturnType<GcpMapper> {
  const v = ctx.values;
  const body = newObject();
  const accountId = v.account_id ?? null;
  const project = v.project;
  body.accountId = accountId;
  b.set('/accountId', '/account_id');
  if (project !== undefined) {
    body.projectId = project;
    b.set('/projectId', '/project');
  }
  body.email =
    typeof accountId === 'string' && typeof project === 'string'
      ? `${accountId}@${project}.iam.gserviceaccount.com`
      : mkUnknown(`${ctx.address}.email`, { ref: { id: ctx.id, attribute: 'email' }, ...(typeof accountId === 'string' ? { prefix: `${accountId}@` } : {}) });
  b.set('/email', '/account_id');
  optional(body, 'displayName', v.display_name, b, '/display_name');
  return { type: 'gcp.iam.ServiceAccount', name: typeof body.email === 'string' ? body.email : typeof accountId === 'string' ? accountId : ctx.address, body };
}

/** What an IAM resource grants on: a resource-manager level, a service account, or another resource (its Cloud Asset type). */
type Target = { type: string; attribute: string };

function condition(v: ObjectValue, b: BodyPositions, to: string, from: string): Value | undefined {
  const c = firstBlock(v, 'condition');
  if (!c) return undefined;
  b.set(to, `${from}/condition/0`);
  return Object.assign(newObject(), { title: c.title ?? null, expression: c.expression ?? null });
}

function targetOf(ctx: MappingContext, target: Target, b: BodyPositions): ObjectValue {
  b.set('/resource/name', `/${target.attribute}`);
  const name = ctx.values[target.attribute];
  return Object.assign(newObject(), { type: target.type, name: name === undefined ? null : member(name) });
}

function bindingName(resource: ObjectValue, role: Value, ctx: MappingContext): string {
  return typeof resource.name === 'string' && typeof role === 'string' ? `${resource.name} ${role}` : ctx.address;
}

function iamBinding(target: Target): GcpMapper {
  return (ctx, b) => {
    const v = ctx.values;
    const body = newObject();
    body.resource = targetOf(ctx, target, b);
    body.role = v.role ?? null;
    b.set('/role', '/role');
    const members = Array.isArray(v.members) ? v.members : v.members === undefined ? [] : [v.members];
    body.members = members.map(member);
    b.set('/members', '/members');
    members.forEach((_, i) => b.set(`/members/${i}`, `/members/${i}`));
    const cond = condition(v, b, '/condition', '');
    if (cond !== undefined) body.condition = cond;
    return { type: 'gcp.iam.Binding', name: bindingName(body.resource as ObjectValue, body.role, ctx), body };
  };
}

function iamMember(target: Target): GcpMapper {
  return (ctx, b) => {
    const v = ctx.values;
    const body = newObject();
    body.resource = targetOf(ctx, target, b);
    body.role = v.role ?? null;
    b.set('/role', '/role');
    body.members = v.member === undefined ? [] : [member(v.member)];
    b.set('/members', '/member');
    b.set('/members/0', '/member');
    const cond = condition(v, b, '/condition', '');
    if (cond !== undefined) body.condition = cond;
    return { type: 'gcp.iam.Binding', name: bindingName(body.resource as ObjectValue, body.role, ctx), body };
  };
}

function iamPolicy(target: Target): GcpMapper {
  return (ctx, b) => {
    const body = newObject();
    body.resource = targetOf(ctx, target, b);
    body.policyData = ctx.values.policy_data ?? null;
    b.set('/policyData', '/policy_data');
    return { type: 'gcp.iam.Policy', name: ctx.address, body };
  };
}

/** `data "google_iam_policy"`: its `binding` blocks, referenced by `policy_data`. */
function iamPolicyData(ctx: MappingContext, b: BodyPositions): ReturnType<GcpMapper> {
  const bindings = blocks(ctx.values, 'binding').map((bl, i) => {
    const from = `/binding/${i}`;
    b.set(`/bindings/${i}`, from);
    b.set(`/bindings/${i}/role`, `${from}/role`);
    b.set(`/bindings/${i}/members`, `${from}/members`);
    const members = Array.isArray(bl.members) ? bl.members : [];
    members.forEach((_, j) => b.set(`/bindings/${i}/members/${j}`, `${from}/members/${j}`));
    const out = Object.assign(newObject(), { role: bl.role ?? null, members: members.map(member) });
    const cond = condition(bl, b, `/bindings/${i}/condition`, from);
    if (cond !== undefined) out.condition = cond;
    return out;
  });
  return { type: 'gcp.iam.PolicyData', name: ctx.address, body: Object.assign(newObject(), { bindings }) };
}

const PROJECT: Target = { type: 'project', attribute: 'project' };
const FOLDER: Target = { type: 'folder', attribute: 'folder' };
const ORGANIZATION: Target = { type: 'organization', attribute: 'org_id' };
const SERVICE_ACCOUNT: Target = { type: 'serviceAccount', attribute: 'service_account_id' };

/**
 * Resource-level IAM (`google_<x>_iam_binding|member|policy`): the attribute naming the resource, and its
 * Cloud Asset type, so a `principalSet` on a bucket or a secret reads like one on a project.
 */
const RESOURCE_IAM: Record<string, Target> = {
  google_storage_bucket: { type: 'storage.googleapis.com/Bucket', attribute: 'bucket' },
  google_storage_managed_folder: { type: 'storage.googleapis.com/ManagedFolder', attribute: 'managed_folder' },
  google_bigquery_dataset: { type: 'bigquery.googleapis.com/Dataset', attribute: 'dataset_id' },
  google_bigquery_table: { type: 'bigquery.googleapis.com/Table', attribute: 'table_id' },
  google_secret_manager_secret: { type: 'secretmanager.googleapis.com/Secret', attribute: 'secret_id' },
  google_pubsub_topic: { type: 'pubsub.googleapis.com/Topic', attribute: 'topic' },
  google_pubsub_subscription: { type: 'pubsub.googleapis.com/Subscription', attribute: 'subscription' },
  google_kms_key_ring: { type: 'cloudkms.googleapis.com/KeyRing', attribute: 'key_ring_id' },
  google_kms_crypto_key: { type: 'cloudkms.googleapis.com/CryptoKey', attribute: 'crypto_key_id' },
  google_artifact_registry_repository: { type: 'artifactregistry.googleapis.com/Repository', attribute: 'repository' },
  google_cloud_run_service: { type: 'run.googleapis.com/Service', attribute: 'service' },
  google_cloud_run_v2_service: { type: 'run.googleapis.com/Service', attribute: 'name' },
  google_cloud_run_v2_job: { type: 'run.googleapis.com/Job', attribute: 'name' },
  google_cloudfunctions_function: { type: 'cloudfunctions.googleapis.com/CloudFunction', attribute: 'cloud_function' },
  google_cloudfunctions2_function: { type: 'cloudfunctions.googleapis.com/Function', attribute: 'cloud_function' },
  google_spanner_instance: { type: 'spanner.googleapis.com/Instance', attribute: 'instance' },
  google_spanner_database: { type: 'spanner.googleapis.com/Database', attribute: 'database' },
  google_bigtable_instance: { type: 'bigtableadmin.googleapis.com/Instance', attribute: 'instance' },
  google_compute_instance: { type: 'compute.googleapis.com/Instance', attribute: 'instance_name' },
  google_sourcerepo_repository: { type: 'sourcerepo.googleapis.com/Repo', attribute: 'repository' },
  google_billing_account: { type: 'cloudbilling.googleapis.com/BillingAccount', attribute: 'billing_account_id' },
  google_cloud_tasks_queue: { type: 'cloudtasks.googleapis.com/Queue', attribute: 'name' },
  google_iap_web_backend_service: { type: 'iap.googleapis.com/WebBackendService', attribute: 'web_backend_service' },
  google_compute_subnetwork: { type: 'compute.googleapis.com/Subnetwork', attribute: 'subnetwork' },
  google_compute_image: { type: 'compute.googleapis.com/Image', attribute: 'image' },
  google_compute_disk: { type: 'compute.googleapis.com/Disk', attribute: 'name' },
  google_dataproc_cluster: { type: 'dataproc.googleapis.com/Cluster', attribute: 'cluster' },
  google_healthcare_dataset: { type: 'healthcare.googleapis.com/Dataset', attribute: 'dataset_id' },
  google_secret_manager_regional_secret: { type: 'secretmanager.googleapis.com/RegionalSecret', attribute: 'secret_id' },
  google_tags_tag_key: { type: 'cloudresourcemanager.googleapis.com/TagKey', attribute: 'tag_key' },
  google_tags_tag_value: { type: 'cloudresourcemanager.googleapis.com/TagValue', attribute: 'tag_value' },
};

function resourceIamMappers(): Record<string, GcpMapper> {
  const out: Record<string, GcpMapper> = {};
  for (const [prefix, target] of Object.entries(RESOURCE_IAM)) {
    out[`${prefix}_iam_binding`] = iamBinding(target);
    out[`${prefix}_iam_member`] = iamMember(target);
    out[`${prefix}_iam_policy`] = iamPolicy(target);
  }
  return out;
}

export const GCP_MAPPERS: Record<string, GcpMapper> = {
  ...resourceIamMappers(),
  google_container_cluster: container_cluster,
  google_container_node_pool: container_node_pool,
  google_service_account: service_account,
  google_service_account_iam_binding: iamBinding(SERVICE_ACCOUNT),
  google_service_account_iam_member: iamMember(SERVICE_ACCOUNT),
  google_service_account_iam_policy: iamPolicy(SERVICE_ACCOUNT),
  google_project_iam_binding: iamBinding(PROJECT),
  google_project_iam_member: iamMember(PROJECT),
  google_project_iam_policy: iamPolicy(PROJECT),
  google_folder_iam_binding: iamBinding(FOLDER),
  google_folder_iam_member: iamMember(FOLDER),
  google_folder_iam_policy: iamPolicy(FOLDER),
  google_organization_iam_binding: iamBinding(ORGANIZATION),
  google_organization_iam_member: iamMember(ORGANIZATION),
  google_organization_iam_policy: iamPolicy(ORGANIZATION),
  google_iam_policy: iamPolicyData,
};
