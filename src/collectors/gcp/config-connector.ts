/**
 * Config Connector objects (`*.cnrm.cloud.google.com`) arrive from the Kubernetes collector as
 * `k8s.<Kind>`; this translates the identity-relevant kinds into the canonical `gcp.*` shapes, in
 * the same file and with positions, so the GCP rules serve Config Connector like Terraform.
 * The Kubernetes objects stay in the inventory as they are.
 */
import type { JsonObject, JsonValue, Resource } from '../../model/types.js';
import { unresolved } from './unresolved.js';
import { PositionCopier } from './positions.js';

const PROJECT_ANNOTATION = 'cnrm.cloud.google.com/project-id';
const REMOVE_DEFAULT_POOL_ANNOTATION = 'cnrm.cloud.google.com/remove-default-node-pool';

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

function str(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function isConfigConnector(r: Resource): boolean {
  const apiVersion = obj(r.body)?.apiVersion;
  return r.type.startsWith('k8s.') && typeof apiVersion === 'string' && apiVersion.split('/')[0]!.endsWith('.cnrm.cloud.google.com');
}

interface Kcc {
  resource: Resource;
  kind: string;
  name: string;
  namespace: string | undefined;
  metadata: JsonObject;
  spec: JsonObject;
}

function read(r: Resource): Kcc {
  const body = obj(r.body) ?? {};
  const metadata = obj(body.metadata) ?? {};
  return { resource: r, kind: r.type.slice('k8s.'.length), name: str(metadata.name) ?? r.name, namespace: str(metadata.namespace), metadata, spec: obj(body.spec) ?? {} };
}

function annotation(metadata: JsonObject, key: string): string | undefined {
  return str(obj(metadata.annotations)?.[key]);
}

class Translator {
  private readonly out: Resource[] = [];
  private readonly namespaceProjects = new Map<string, string>();
  private readonly accounts = new Map<string, Resource>();

  constructor(private readonly objects: Kcc[], all: Resource[]) {
    for (const r of all) {
      if (r.type !== 'k8s.Namespace') continue;
      const md = obj(obj(r.body)?.metadata) ?? {};
      const project = annotation(md, PROJECT_ANNOTATION);
      if (project && str(md.name)) this.namespaceProjects.set(str(md.name)!, project);
    }
  }

  private project(o: Kcc): JsonValue {
    return annotation(o.metadata, PROJECT_ANNOTATION) ?? (o.namespace ? this.namespaceProjects.get(o.namespace) : undefined) ?? unresolved(`project of ${o.kind} ${o.name}`);
  }

  private emit(o: Kcc, type: string, name: string, body: JsonObject, copy: PositionCopier): Resource {
    copy.set('', '');
    const r: Resource = { id: `${o.resource.id}>${type}`, type, name, file: o.resource.file, format: o.resource.format, body, positions: copy.positions };
    if (o.resource.suppressions) r.suppressions = o.resource.suppressions.filter((s) => s.pointer === '');
    if (o.resource.logicalLocation) r.logicalLocation = o.resource.logicalLocation;
    this.out.push(r);
    return r;
  }

  run(): Resource[] {
    for (const o of this.objects) if (o.kind === 'IAMServiceAccount') this.serviceAccount(o);
    for (const o of this.objects) {
      if (o.kind === 'IAMPolicyMember') this.policyMember(o);
      else if (o.kind === 'IAMPolicy' || o.kind === 'IAMPartialPolicy') this.policy(o);
      else if (o.kind === 'ContainerCluster') this.cluster(o);
      else if (o.kind === 'ContainerNodePool') this.nodePool(o);
    }
    return this.out;
  }

  private serviceAccount(o: Kcc): void {
    const copy = new PositionCopier(o.resource.positions);
    const accountId = str(o.spec.resourceID) ?? o.name;
    const project = this.project(o);
    const email: JsonValue = typeof project === 'string' ? `${accountId}@${project}.iam.gserviceaccount.com` : unresolved(`email of IAMServiceAccount ${o.name}`, { prefix: `${accountId}@` });
    const body: JsonObject = { email, accountId, projectId: project };
    if (o.spec.displayName !== undefined) body.displayName = o.spec.displayName;
    copy.set('/email', o.spec.resourceID !== undefined ? '/spec/resourceID' : '/metadata/name');
    copy.set('/accountId', o.spec.resourceID !== undefined ? '/spec/resourceID' : '/metadata/name');
    const r = this.emit(o, 'gcp.iam.ServiceAccount', typeof email === 'string' ? email : accountId, body, copy);
    this.accounts.set(`${o.namespace ?? ''}/${o.name}`, r);
  }

  /** An `IAMServiceAccount` reference: the scanned account's email, or unknown. */
  private accountRef(o: Kcc, ref: JsonObject | undefined): JsonValue {
    if (!ref) return null;
    const external = str(ref.external);
    if (external) return external;
    const name = str(ref.name);
    if (!name) return null;
    const account = this.accounts.get(`${str(ref.namespace) ?? o.namespace ?? ''}/${name}`);
    const email = obj(account?.body)?.email;
    if (typeof email === 'string') return email;
    return unresolved(`IAMServiceAccount ${name}`, account ? { ref: { id: account.id, attribute: 'email' } } : {});
  }

  private target(o: Kcc): JsonObject {
    const ref = obj(o.spec.resourceRef) ?? {};
    const kind = str(ref.kind) ?? '';
    const external = str(ref.external);
    const name = str(ref.name);
    switch (kind) {
      case 'IAMServiceAccount':
        return { type: 'serviceAccount', name: this.accountRef(o, ref) };
      case 'Project':
        return { type: 'project', name: external?.replace(/^projects\//, '') ?? name ?? null };
      case 'Folder':
        return { type: 'folder', name: external?.replace(/^folders\//, '') ?? name ?? null };
      case 'Organization':
        return { type: 'organization', name: external?.replace(/^organizations\//, '') ?? name ?? null };
      default:
        return { type: kind || 'unknown', name: external ?? name ?? null };
    }
  }

  private memberOf(o: Kcc, entry: JsonValue | undefined): JsonValue {
    if (typeof entry === 'string') return entry;
    const e = obj(entry);
    if (!e) return null;
    if (typeof e.member === 'string') return e.member;
    const from = obj(e.memberFrom);
    const sa = obj(from?.serviceAccountRef);
    if (sa) {
      const email = this.accountRef(o, sa);
      return typeof email === 'string' ? `serviceAccount:${email}` : unresolved(`serviceAccount:\${${str(sa.name) ?? 'ref'}}`, { prefix: 'serviceAccount:' });
    }
    return unresolved(`memberFrom of ${o.kind} ${o.name}`);
  }

  private policyMember(o: Kcc): void {
    const copy = new PositionCopier(o.resource.positions);
    const resource = this.target(o);
    const role = o.spec.role ?? null;
    const memberValue = o.spec.member !== undefined ? o.spec.member : this.memberOf(o, { memberFrom: o.spec.memberFrom ?? null });
    const body: JsonObject = { resource, role, members: [memberValue] };
    if (o.spec.condition !== undefined) body.condition = o.spec.condition;
    copy.set('/resource', '/spec/resourceRef');
    copy.set('/role', '/spec/role');
    copy.set('/members/0', o.spec.member !== undefined ? '/spec/member' : '/spec/memberFrom');
    copy.set('/condition', '/spec/condition');
    this.emit(o, 'gcp.iam.Binding', o.resource.name, body, copy);
  }

  private policy(o: Kcc): void {
    const bindings = Array.isArray(o.spec.bindings) ? o.spec.bindings : [];
    bindings.forEach((entry, i) => {
      const b = obj(entry);
      if (!b) return;
      const copy = new PositionCopier(o.resource.positions);
      const members = Array.isArray(b.members) ? b.members.map((m) => this.memberOf(o, m)) : [];
      const body: JsonObject = { resource: this.target(o), role: b.role ?? null, members };
      if (b.condition !== undefined) body.condition = b.condition;
      copy.set('/resource', '/spec/resourceRef');
      copy.set('/role', `/spec/bindings/${i}/role`);
      copy.set('/members', `/spec/bindings/${i}/members`);
      members.forEach((_, j) => copy.set(`/members/${j}`, `/spec/bindings/${i}/members/${j}`));
      copy.set('', `/spec/bindings/${i}`);
      const r = this.emit(o, 'gcp.iam.Binding', `${o.resource.name} ${typeof b.role === 'string' ? b.role : i}`, body, copy);
      r.id = `${o.resource.id}>gcp.iam.Binding/${i}`;
    });
  }

  private nodeConfig(o: Kcc, nc: JsonObject | undefined, from: string, to: string, copy: PositionCopier): JsonObject {
    const config: JsonObject = {};
    if (!nc) return config;
    copy.set(to, from);
    const saRef = obj(nc.serviceAccountRef);
    if (saRef) {
      config.serviceAccount = this.accountRef(o, saRef);
      copy.set(`${to}/serviceAccount`, `${from}/serviceAccountRef`);
    } else if (nc.serviceAccount !== undefined) {
      config.serviceAccount = nc.serviceAccount;
      copy.set(`${to}/serviceAccount`, `${from}/serviceAccount`);
    }
    if (nc.imageType !== undefined) {
      config.imageType = nc.imageType;
      copy.set(`${to}/imageType`, `${from}/imageType`);
    }
    const wmc = obj(nc.workloadMetadataConfig);
    if (wmc) {
      config.workloadMetadataConfig = { ...wmc };
      copy.move(`${from}/workloadMetadataConfig`, `${to}/workloadMetadataConfig`);
    }
    return config;
  }

  private cluster(o: Kcc): void {
    const copy = new PositionCopier(o.resource.positions);
    const body: JsonObject = { name: str(o.spec.resourceID) ?? o.name, project: this.project(o) };
    copy.set('/name', '/metadata/name');
    if (o.spec.location !== undefined) body.location = o.spec.location;
    const labels = obj(o.metadata.labels);
    if (labels) {
      body.resourceLabels = labels;
      copy.move('/metadata/labels', '/resourceLabels');
    }
    if (o.spec.enableAutopilot !== undefined) {
      body.autopilot = { enabled: o.spec.enableAutopilot };
      copy.set('/autopilot/enabled', '/spec/enableAutopilot');
    }
    const wic = obj(o.spec.workloadIdentityConfig);
    if (wic) {
      body.workloadIdentityConfig = { workloadPool: wic.workloadPool ?? wic.identityNamespace ?? null };
      copy.set('/workloadIdentityConfig', '/spec/workloadIdentityConfig');
      copy.set('/workloadIdentityConfig/workloadPool', wic.workloadPool !== undefined ? '/spec/workloadIdentityConfig/workloadPool' : '/spec/workloadIdentityConfig/identityNamespace');
    }
    const nc = obj(o.spec.nodeConfig);
    if (nc) body.nodeConfig = this.nodeConfig(o, nc, '/spec/nodeConfig', '/nodeConfig', copy);
    else copy.set('/nodeConfig', '/spec');
    const remove = annotation(o.metadata, REMOVE_DEFAULT_POOL_ANNOTATION);
    if (remove !== undefined) {
      body.removeDefaultNodePool = remove === 'true';
      copy.set('/removeDefaultNodePool', `/metadata/annotations/${REMOVE_DEFAULT_POOL_ANNOTATION.replace(/~/g, '~0').replace(/\//g, '~1')}`);
    }
    this.emit(o, 'gcp.container.Cluster', String(body.name), body, copy);
  }

  private nodePool(o: Kcc): void {
    const copy = new PositionCopier(o.resource.positions);
    const clusterRef = obj(o.spec.clusterRef) ?? {};
    const body: JsonObject = {
      name: str(o.spec.resourceID) ?? o.name,
      cluster: str(clusterRef.external) ?? str(clusterRef.name) ?? null,
      project: this.project(o),
      config: this.nodeConfig(o, obj(o.spec.nodeConfig), '/spec/nodeConfig', '/config', copy),
    };
    copy.set('/name', '/metadata/name');
    copy.set('/cluster', '/spec/clusterRef');
    copy.set('/config', '/spec');
    this.emit(o, 'gcp.container.NodePool', String(body.name), body, copy);
  }
}

/** The `gcp.*` resources the Config Connector objects among `resources` describe. */
export function translateConfigConnector(resources: Resource[]): Resource[] {
  const objects = resources.filter(isConfigConnector).map(read);
  if (objects.length === 0) return [];
  return new Translator(objects, resources).run();
}
