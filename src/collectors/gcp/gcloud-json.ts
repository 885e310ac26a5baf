/**
 * `gcloud … --format=json` dumps: `get-iam-policy` (a bare policy: the file does not say whose
 * policy it is, so the resource stays unknown), `gcloud asset search-all-iam-policies` and
 * `gcloud asset list` (IAM policies with their resource; service accounts and clusters as
 * resources), `gcloud iam service-accounts list|describe`, `gcloud container clusters
 * list|describe` and `gcloud container node-pools list|describe`.
 */
import type { JsonObject, JsonValue, Resource } from '../../model/types.js';
import type { ParsedDocument } from '../../util/structured.js';
import type { CollectOptions, CollectResult, SourceFile } from '../types.js';
import { account, emptyResult } from '../types.js';
import { relativeId } from '../ids.js';
import { unresolved } from './unresolved.js';
import { PositionCopier } from './positions.js';

function obj(v: JsonValue | undefined): JsonObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? v : undefined;
}

function isBinding(v: JsonValue): boolean {
  const o = obj(v);
  return !!o && typeof o.role === 'string' && Array.isArray(o.members);
}

function isPolicy(v: JsonValue | undefined): boolean {
  const o = obj(v);
  return !!o && Array.isArray(o.bindings) && o.bindings.every(isBinding) && (o.etag !== undefined || o.version !== undefined || o.bindings.length > 0);
}

function isServiceAccount(o: JsonObject): boolean {
  return typeof o.email === 'string' && typeof o.name === 'string' && /^projects\/[^/]+\/serviceAccounts\//.test(o.name);
}

const CLUSTER_LINK = /container\.googleapis\.com\/v1(?:beta1)?\/projects\/([^/]+)\/(?:locations|zones)\/([^/]+)\/clusters\/([^/]+)$/;
const POOL_LINK = /container\.googleapis\.com\/v1(?:beta1)?\/projects\/([^/]+)\/(?:locations|zones)\/([^/]+)\/clusters\/([^/]+)\/nodePools\/([^/]+)$/;

function isCluster(o: JsonObject): boolean {
  return typeof o.name === 'string' && typeof o.selfLink === 'string' && CLUSTER_LINK.test(o.selfLink);
}

function isNodePool(o: JsonObject): boolean {
  return typeof o.name === 'string' && typeof o.selfLink === 'string' && POOL_LINK.test(o.selfLink);
}

function isAssetEntry(o: JsonObject): boolean {
  return typeof o.name === 'string' && o.name.startsWith('//') && (isPolicy(o.iamPolicy) || typeof obj(o.resource)?.data === 'object')
    || typeof o.resource === 'string' && o.resource.startsWith('//') && isPolicy(o.policy);
}

function isEntry(v: JsonValue): boolean {
  const o = obj(v);
  return !!o && (isAssetEntry(o) || isServiceAccount(o) || isCluster(o) || isNodePool(o));
}

/** True for the gcloud JSON shapes this collector reads. */
export function isGcloudJson(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.length > 0 && value.every(isEntry);
  const o = obj(value);
  return !!o && (isPolicy(o) || isEntry(o));
}

/** `//cloudresourcemanager.googleapis.com/projects/p` → the binding's resource. */
export function resourceOfFullName(name: string, assetType?: string): JsonObject {
  const crm = /^\/\/cloudresourcemanager\.googleapis\.com\/(projects|folders|organizations)\/([^/]+)$/.exec(name);
  if (crm) return { type: crm[1] === 'projects' ? 'project' : crm[1] === 'folders' ? 'folder' : 'organization', name: crm[2]! };
  const sa = /^\/\/iam\.googleapis\.com\/projects\/[^/]+\/serviceAccounts\/([^/]+)$/.exec(name);
  if (sa) return { type: 'serviceAccount', name: sa[1]! };
  return { type: assetType ?? 'unknown', name };
}

class Reader {
  readonly result = emptyResult();
  private readonly rel: string;
  constructor(private readonly file: SourceFile, private readonly doc: ParsedDocument, opts: CollectOptions) {
    this.rel = relativeId(opts.root, file.path);
  }

  private add(pointer: string, type: string, name: string, body: JsonObject, copy: PositionCopier): void {
    copy.set('', pointer);
    const r: Resource = { id: `gcloud:${this.rel}#${this.doc.index}:${pointer}:${type}`, type, name, file: this.file.path, format: 'cli-json', body, positions: copy.positions };
    this.result.resources.push(r);
  }

  private policy(pointer: string, policy: JsonObject, resource: JsonObject, label: string): void {
    const bindings = Array.isArray(policy.bindings) ? policy.bindings : [];
    bindings.forEach((entry, i) => {
      const b = obj(entry)!;
      const at = `${pointer}/bindings/${i}`;
      const copy = new PositionCopier(this.doc.positions);
      copy.move(`${at}/role`, '/role');
      copy.move(`${at}/members`, '/members');
      copy.move(`${at}/condition`, '/condition');
      const body: JsonObject = { resource, role: b.role ?? null, members: (b.members as JsonValue[]) ?? [] };
      if (b.condition !== undefined) body.condition = b.condition;
      this.add(at, 'gcp.iam.Binding', `${label} ${String(b.role)}`, body, copy);
    });
  }

  private serviceAccount(pointer: string, o: JsonObject): void {
    const copy = new PositionCopier(this.doc.positions);
    copy.set('/email', `${pointer}/email`);
    const body: JsonObject = { email: o.email ?? null, name: o.name ?? null };
    if (o.projectId !== undefined) body.projectId = o.projectId;
    if (o.displayName !== undefined) body.displayName = o.displayName;
    this.add(pointer, 'gcp.iam.ServiceAccount', String(o.email), body, copy);
  }

  private cluster(pointer: string, o: JsonObject): void {
    const link = CLUSTER_LINK.exec(String(o.selfLink));
    const copy = new PositionCopier(this.doc.positions);
    copy.move(pointer, '');
    const body: JsonObject = { ...o, project: link?.[1] ?? unresolved('project') };
    this.add(pointer, 'gcp.container.Cluster', String(o.name), body, copy);
  }

  private nodePool(pointer: string, o: JsonObject): void {
    const link = POOL_LINK.exec(String(o.selfLink));
    const copy = new PositionCopier(this.doc.positions);
    copy.move(pointer, '');
    const body: JsonObject = { name: o.name ?? null, cluster: link?.[3] ?? null, project: link?.[1] ?? null, config: obj(o.config) ?? {} };
    this.add(pointer, 'gcp.container.NodePool', String(o.name), body, copy);
  }

  private entry(pointer: string, v: JsonValue): void {
    const o = obj(v);
    if (!o) return;
    if (typeof o.resource === 'string' && isPolicy(o.policy)) {
      const resource = resourceOfFullName(o.resource, typeof o.assetType === 'string' ? o.assetType : undefined);
      this.policy(`${pointer}/policy`, obj(o.policy)!, resource, String(resource.name));
    } else if (typeof o.name === 'string' && o.name.startsWith('//')) {
      const assetType = typeof o.assetType === 'string' ? o.assetType : undefined;
      if (isPolicy(o.iamPolicy)) {
        const resource = resourceOfFullName(o.name, assetType);
        this.policy(`${pointer}/iamPolicy`, obj(o.iamPolicy)!, resource, String(resource.name));
      }
      const data = obj(obj(o.resource)?.data);
      if (data && assetType === 'iam.googleapis.com/ServiceAccount' && isServiceAccount(data)) this.serviceAccount(`${pointer}/resource/data`, data);
      else if (data && assetType === 'container.googleapis.com/Cluster' && isCluster(data)) this.cluster(`${pointer}/resource/data`, data);
      else if (data && assetType === 'container.googleapis.com/NodePool' && isNodePool(data)) this.nodePool(`${pointer}/resource/data`, data);
    } else if (isServiceAccount(o)) this.serviceAccount(pointer, o);
    else if (isCluster(o)) this.cluster(pointer, o);
    else if (isNodePool(o)) this.nodePool(pointer, o);
    else if (isPolicy(o)) this.policy(pointer, o, { type: 'unknown', name: unresolved('the resource this get-iam-policy output belongs to') }, this.rel);
  }

  read(): CollectResult {
    const v = this.doc.value;
    if (Array.isArray(v)) v.forEach((e, i) => this.entry(`/${i}`, e));
    else this.entry('', v);
    return this.result;
  }
}

export function collectGcloudJson(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const result = new Reader(file, doc, opts).read();
  account(result, file.path, 'gcloud JSON');
  return result;
}
