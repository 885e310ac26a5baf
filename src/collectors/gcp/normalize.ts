/**
 * One pass over the collected resources that finishes the GCP shapes every source shares:
 * Config Connector objects translated, authoritative IAM policies split into one
 * `gcp.iam.Binding` per role (a Terraform `policy_data` resolved through its
 * `data.google_iam_policy`), and a ClusterInfo for every GKE cluster.
 */
import type { ClusterInfo, CoverageNote, JsonObject, JsonValue, Resource } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { unresolved } from './unresolved.js';
import { translateConfigConnector } from './config-connector.js';
import { PositionCopier } from './positions.js';
import { errorSummary, internalErrorNote } from '../isolate.js';
import { MAX_DEPTH_CEILING, parseJsonWithin } from '../../util/nesting.js';

const INTERMEDIATE = new Set(['gcp.iam.Policy', 'gcp.iam.PolicyData']);

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v) ? v : undefined;
}

function bindingsOfPolicyJson(text: string): JsonValue[] | undefined {
  let parsed: JsonValue;
  try {
    parsed = parseJsonWithin(text, MAX_DEPTH_CEILING) as JsonValue;
  } catch {
    return undefined;
  }
  const bindings = obj(parsed)?.bindings;
  return Array.isArray(bindings) ? bindings : [];
}

function splitPolicy(policy: Resource, byId: Map<string, Resource>, notes: CoverageNote[]): Resource[] {
  const body = obj(policy.body) ?? {};
  const target = obj(body.resource) ?? { type: 'unknown', name: null };
  const targetName = typeof target.name === 'string' ? target.name : policy.address ?? policy.name;
  const data = body.policyData;
  const source = isUnknown(data) && data.ref ? byId.get(data.ref.id) : undefined;
  let bindings: JsonValue[] | undefined;
  let from: Resource = policy;
  let base = '/policyData';
  if (source?.type === 'gcp.iam.PolicyData') {
    bindings = (obj(source.body)?.bindings as JsonValue[] | undefined) ?? [];
    from = source;
    base = '/bindings';
  } else if (typeof data === 'string') {
    bindings = bindingsOfPolicyJson(data);
  }
  if (bindings === undefined) {
    notes.push({ kind: 'unresolved', level: 'note', message: `the IAM policy of ${policy.address ?? policy.name} could not be resolved; its bindings are not analysed`, file: policy.file, line: policy.positions['']?.line ?? 1 });
    // An unreadable authoritative policy may grant anything: one binding of unknown role and members.
    bindings = [{ role: unresolved('policy_data'), members: [unresolved('policy_data')] }];
  }
  return bindings.flatMap((entry, i): Resource[] => {
    const b = obj(entry);
    if (!b) return [];
    const copy = new PositionCopier(from.positions);
    const prefix = from === policy ? base : `${base}/${i}`;
    copy.move(`${prefix}/role`, '/role');
    copy.move(`${prefix}/members`, '/members');
    copy.move(`${prefix}/condition`, '/condition');
    copy.set('', prefix);
    const resourceCopy = new PositionCopier(policy.positions, from.file === policy.file ? undefined : policy.file);
    resourceCopy.move('/resource', '/resource');
    for (const [p, pos] of Object.entries(resourceCopy.positions)) copy.positions[p] ??= pos;
    if (from === policy && policy.positions['']) copy.positions[''] ??= policy.positions[''];
    const out: JsonObject = { resource: target, role: b.role ?? null, members: Array.isArray(b.members) ? b.members : [] };
    if (b.condition !== undefined) out.condition = b.condition;
    const role = typeof b.role === 'string' ? b.role : String(i);
    const r: Resource = {
      id: `${policy.id}>binding/${i}`,
      type: 'gcp.iam.Binding',
      name: `${targetName} ${role}`,
      file: from.file,
      format: policy.format,
      body: out,
      positions: copy.positions,
    };
    if (policy.address) r.address = policy.address;
    if (policy.via) r.via = policy.via;
    const sup = [...(policy.suppressions ?? []), ...(from !== policy ? from.suppressions ?? [] : [])].filter((s) => s.pointer === '' || s.pointer.startsWith(`/bindings/${i}`));
    if (sup.length > 0) r.suppressions = sup.map((s) => ({ ...s, pointer: '' }));
    return [r];
  });
}

/** The ClusterInfo of a GKE cluster: the project is its account; the workload pool is its identity namespace. */
export function gkeClusterInfo(r: Resource): ClusterInfo {
  const body = obj(r.body) ?? {};
  const name = typeof body.name === 'string' ? body.name : r.address ?? r.name;
  const info: ClusterInfo = { name, provider: 'gcp', resourceId: r.id };
  if (typeof body.project === 'string') info.account = body.project;
  const pool = obj(body.workloadIdentityConfig)?.workloadPool;
  if (typeof pool === 'string') info.workloadPool = pool;
  else if (obj(body.autopilot)?.enabled === true && typeof body.project === 'string') info.workloadPool = `${body.project}.svc.id.goog`;
  return info;
}

export interface GcpNormalized {
  resources: Resource[];
  clusters: ClusterInfo[];
  notes: CoverageNote[];
}

/** Runs the GCP pass over everything collected. Never throws: trouble becomes a note. */
export function normalizeGcp(resources: Resource[]): GcpNormalized {
  const notes: CoverageNote[] = [];
  let all = resources;
  try {
    all = [...resources, ...translateConfigConnector(resources)];
  } catch (e) {
    notes.push(internalErrorNote(errorSummary(e), undefined, undefined, 'Config Connector objects are not translated'));
  }
  if (!all.some((r) => r.type.startsWith('gcp.'))) return { resources: all, clusters: [], notes };
  const byId = new Map(all.map((r) => [r.id, r]));
  const out: Resource[] = [];
  for (const r of all) {
    if (r.type === 'gcp.iam.Policy') {
      try {
        out.push(...splitPolicy(r, byId, notes));
      } catch (e) {
        notes.push(internalErrorNote(errorSummary(e), r.file, r.positions['']?.line, `IAM policy ${r.name} is not analysed`));
      }
    } else if (!INTERMEDIATE.has(r.type)) out.push(r);
  }
  const clusters = out.filter((r) => r.type === 'gcp.container.Cluster').map(gkeClusterInfo);
  return { resources: out, clusters, notes };
}
