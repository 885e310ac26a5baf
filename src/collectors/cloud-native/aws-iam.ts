/**
 * IAM resources managed from Kubernetes → the canonical AWS shapes the rules read:
 * ACK (`iam.services.k8s.aws`: `Role`, `Policy`, `OpenIDConnectProvider`), Crossplane's classic
 * provider (`iam.aws.crossplane.io`) and Upbound's provider family (`iam.aws.upbound.io`, namespaced
 * `iam.aws.m.upbound.io`): `Role`, `Policy`, `OpenIDConnectProvider`, `RolePolicyAttachment`,
 * `RolePolicy`. Policy documents are JSON strings; their positions are mapped into the manifest.
 * Attachments and inline policies of separate objects (and ACK `policyRefs`) become intermediate
 * resources that links.ts folds into their roles.
 */
import type { JsonObject, JsonValue } from '../../model/types.js';
import { join } from '../../util/pointer.js';
import { createObject } from '../../util/structured.js';
import { unresolved } from '../gcp/unresolved.js';
import type { PositionCopier } from '../gcp/positions.js';
import { annotation, annotationPointer, EXTERNAL_NAME_ANNOTATION, obj, str, type CloudObject, type Emitter } from './source.js';
import { jsonInString } from './string-json.js';

export type AwsFamily = 'ack' | 'crossplane' | 'upbound';

/** Intermediate: a policy attached to a role by another object; folded into the role by links.ts. */
export const ROLE_ATTACHMENT_TYPE = 'aws.iam.RolePolicyAttachment';
/** Intermediate: an inline policy written as its own object; folded into the role by links.ts. */
export const ROLE_INLINE_POLICY_TYPE = 'aws.iam.RolePolicy';

export const AWS_FORMATS: Record<AwsFamily, string> = {
  ack: 'ACK (AWS Controllers for Kubernetes)',
  crossplane: 'Crossplane AWS provider',
  upbound: 'Crossplane AWS provider (Upbound)',
};

export function awsFamily(group: string): AwsFamily | undefined {
  if (group === 'iam.services.k8s.aws') return 'ack';
  if (group === 'iam.aws.crossplane.io') return 'crossplane';
  if (group === 'iam.aws.upbound.io' || group === 'iam.aws.m.upbound.io') return 'upbound';
  return undefined;
}

/** How one object refers to another of its family: `<family>/<namespace>/<name>`. */
export function objectKey(family: AwsFamily, namespace: string | undefined, name: string): string {
  return `${family}/${namespace ?? ''}/${name}`;
}

interface Ctx {
  o: CloudObject;
  family: AwsFamily;
  em: Emitter;
  copy: PositionCopier;
  /** `/spec` (ACK) or `/spec/forProvider` (Crossplane). */
  base: string;
  params: JsonObject;
}

/** Translates one object; false when its kind is not one podtrust reads. */
export function translateAwsIam(o: CloudObject, family: AwsFamily, em: Emitter): boolean {
  const base = family === 'ack' ? '/spec' : '/spec/forProvider';
  const params = family === 'ack' ? o.spec : obj(o.spec['forProvider']) ?? {};
  const c: Ctx = { o, family, em, copy: em.copier(o), base, params };
  switch (o.kind) {
    case 'Role':
      role(c);
      return true;
    case 'Policy':
      policy(c);
      return true;
    case 'OpenIDConnectProvider':
      oidcProvider(c);
      return true;
    case 'RolePolicyAttachment':
      if (family === 'ack') return false;
      attachment(c);
      return true;
    case 'RolePolicy':
      if (family === 'ack') return false;
      inlinePolicy(c);
      return true;
    default:
      return false;
  }
}

/** The AWS name of the object: ACK's `spec.name`, Crossplane's external name, else the object's name. */
function awsName(c: Ctx, field: string): string {
  const own = c.family === 'ack' ? str(c.params[field]) : annotation(c.o, EXTERNAL_NAME_ANNOTATION) ?? str(c.params[field]);
  return own ?? c.o.name;
}

function awsNamePointer(c: Ctx, field: string): string {
  if (c.family !== 'ack' && annotation(c.o, EXTERNAL_NAME_ANNOTATION)) return annotationPointer(EXTERNAL_NAME_ANNOTATION);
  return c.params[field] !== undefined ? `${c.base}/${field}` : '/metadata/name';
}

function selfRef(c: Ctx, type: string, attribute: string): JsonValue {
  return unresolved(`${attribute} of ${c.o.kind} ${c.o.name}`, { ref: { id: `${c.o.resource.id}>${type}`, attribute } });
}

/** A policy document field of the object's parameters. */
function document(c: Ctx, field: string, outPtr: string): JsonValue {
  return documentAt(c, c.params[field], `${c.base}/${field}`, outPtr, field);
}

/** A policy document: a JSON string (positions mapped into it), or a mapping written in YAML. */
function documentAt(c: Ctx, value: JsonValue | undefined, ptr: string, outPtr: string, what: string): JsonValue {
  c.copy.set(outPtr, ptr);
  if (typeof value === 'string') {
    return jsonInString(c.em.text, value, c.o.resource.positions[ptr], outPtr, c.copy.positions, `${c.o.kind} ${c.o.name} ${what}`) ?? unresolved(`invalid ${what} of ${c.o.kind} ${c.o.name}`);
  }
  if (value !== undefined && value !== null) {
    c.copy.move(ptr, outPtr);
    return value;
  }
  return unresolved(`${what} of ${c.o.kind} ${c.o.name}`);
}

function tags(c: Ctx, body: JsonObject): void {
  const value = c.params['tags'];
  const list: JsonValue[] = [];
  if (Array.isArray(value)) {
    for (const t of value) {
      const tag = obj(t);
      if (tag) list.push({ Key: tag['key'] ?? null, Value: tag['value'] ?? null });
    }
  } else if (obj(value)) {
    for (const [k, v] of Object.entries(obj(value)!)) list.push({ Key: k, Value: v });
  }
  if (list.length > 0) {
    body['Tags'] = list;
    c.copy.set('/Tags', `${c.base}/tags`);
  }
}

function role(c: Ctx): void {
  const type = 'aws.iam.Role';
  const body = createObject();
  const name = awsName(c, 'name');
  body['RoleName'] = name;
  c.copy.set('/RoleName', awsNamePointer(c, 'name'));
  body['Arn'] = selfRef(c, type, 'Arn');
  if (c.params['path'] !== undefined) {
    body['Path'] = c.params['path']!;
    c.copy.set('/Path', `${c.base}/path`);
  }
  const trustField = c.family === 'upbound' ? 'assumeRolePolicy' : 'assumeRolePolicyDocument';
  body['AssumeRolePolicyDocument'] = document(c, trustField, '/AssumeRolePolicyDocument');
  const arnsField = c.family === 'ack' ? 'policies' : c.family === 'upbound' ? 'managedPolicyArns' : undefined;
  const arns = arnsField ? c.params[arnsField] : undefined;
  if (Array.isArray(arns)) {
    c.copy.set('/AttachedManagedPolicies', `${c.base}/${arnsField}`);
    body['AttachedManagedPolicies'] = arns.map((arn, i) => {
      c.copy.set(`/AttachedManagedPolicies/${i}`, `${c.base}/${arnsField}/${i}`);
      c.copy.set(`/AttachedManagedPolicies/${i}/PolicyArn`, `${c.base}/${arnsField}/${i}`);
      const entry = createObject();
      if (typeof arn === 'string') entry['PolicyName'] = arn.slice(arn.lastIndexOf('/') + 1);
      entry['PolicyArn'] = arn;
      return entry;
    });
  }
  const inline = inlinePolicies(c);
  if (inline.length > 0) body['RolePolicyList'] = inline;
  const boundary = c.params['permissionsBoundary'];
  if (boundary !== undefined && boundary !== null) {
    body['PermissionsBoundary'] = { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary };
    c.copy.set('/PermissionsBoundary', `${c.base}/permissionsBoundary`);
    c.copy.set('/PermissionsBoundary/PermissionsBoundaryArn', `${c.base}/permissionsBoundary`);
  }
  if (c.params['maxSessionDuration'] !== undefined) {
    body['MaxSessionDuration'] = c.params['maxSessionDuration']!;
    c.copy.set('/MaxSessionDuration', `${c.base}/maxSessionDuration`);
  }
  tags(c, body);
  const r = c.em.emit(c.o, type, name, body, c.copy.positions);
  if (c.family === 'ack') policyRefs(c, r.id);
}

/** ACK `inlinePolicies` (name → JSON string) and Upbound `inlinePolicy` (`[{name, policy}]`). */
function inlinePolicies(c: Ctx): JsonValue[] {
  const out: JsonValue[] = [];
  const add = (name: JsonValue, entryPtr: string, doc: JsonValue | undefined, docPtr: string) => {
    const outPtr = `/RolePolicyList/${out.length}`;
    c.copy.set(outPtr, entryPtr);
    c.copy.set(`${outPtr}/PolicyName`, entryPtr);
    out.push({ PolicyName: name, PolicyDocument: documentAt(c, doc, docPtr, `${outPtr}/PolicyDocument`, 'inline policy') });
  };
  if (c.family === 'ack') {
    const map = obj(c.params['inlinePolicies']);
    for (const [key, doc] of Object.entries(map ?? {})) add(key, join(`${c.base}/inlinePolicies`, key), doc, join(`${c.base}/inlinePolicies`, key));
  } else if (c.family === 'upbound' && Array.isArray(c.params['inlinePolicy'])) {
    c.params['inlinePolicy'].forEach((entry, i) => {
      const e = obj(entry);
      if (e && e['policy'] !== undefined) add(e['name'] ?? null, `${c.base}/inlinePolicy/${i}`, e['policy'], `${c.base}/inlinePolicy/${i}/policy`);
    });
  }
  return out;
}

/** ACK `policyRefs`: each names an ACK `Policy` object; links.ts resolves it to that policy. */
function policyRefs(c: Ctx, roleId: string): void {
  const refs = c.params['policyRefs'];
  if (!Array.isArray(refs)) return;
  refs.forEach((entry, i) => {
    const from = obj(obj(entry)?.['from']);
    const name = str(from?.['name']);
    if (!name) return;
    const copy = c.em.copier(c.o);
    copy.set('', `${c.base}/policyRefs/${i}`);
    copy.set('/PolicyArn', `${c.base}/policyRefs/${i}`);
    const body: JsonObject = { role: unresolved(`Role ${c.o.name}`, { ref: { id: roleId, attribute: 'RoleName' } }), policyObject: objectKey('ack', str(from?.['namespace']) ?? c.o.namespace, name) };
    const r = c.em.emit(c.o, ROLE_ATTACHMENT_TYPE, `${c.o.name} ${name}`, body, copy.positions);
    r.id = `${c.o.resource.id}>${ROLE_ATTACHMENT_TYPE}/${i}`;
  });
}

function policy(c: Ctx): void {
  const type = 'aws.iam.Policy';
  const name = awsName(c, 'name');
  const field = c.family === 'upbound' ? 'policy' : c.family === 'ack' ? 'policyDocument' : 'document';
  const body: JsonObject = { PolicyName: name, Arn: selfRef(c, type, 'Arn'), PolicyDocument: document(c, field, '/PolicyDocument') };
  c.copy.set('/PolicyName', awsNamePointer(c, 'name'));
  c.em.emit(c.o, type, name, body, c.copy.positions);
}

function oidcProvider(c: Ctx): void {
  const [url, clients, thumbprints] = c.family === 'ack' ? ['url', 'clientIDs', 'thumbprints'] : c.family === 'crossplane' ? ['url', 'clientIDList', 'thumbprintList'] : ['url', 'clientIdList', 'thumbprintList'];
  const body: JsonObject = { Arn: selfRef(c, 'aws.iam.OIDCProvider', 'Arn'), Url: c.params[url!] ?? unresolved(`url of ${c.o.kind} ${c.o.name}`) };
  c.copy.set('/Url', `${c.base}/${url}`);
  if (c.params[clients!] !== undefined) {
    body['ClientIDList'] = c.params[clients!]!;
    c.copy.move(`${c.base}/${clients}`, '/ClientIDList');
  }
  if (c.params[thumbprints!] !== undefined) body['ThumbprintList'] = c.params[thumbprints!]!;
  c.em.emit(c.o, 'aws.iam.OIDCProvider', typeof body['Url'] === 'string' ? body['Url'] : c.o.name, body, c.copy.positions);
}

/** A Crossplane selector: the objects of the family (and namespace) whose labels include `matchLabels`. */
function selector(c: Ctx, field: string): JsonObject | undefined {
  const labels = obj(obj(c.params[field])?.['matchLabels']);
  return labels ? { scope: objectKey(c.family, c.o.namespace, ''), matchLabels: labels } : undefined;
}

/** The role an attachment or inline policy object names: by AWS name, by reference to a Role object, or by selector. */
function roleTarget(c: Ctx, body: JsonObject): void {
  const [nameField, refField, selectorField] = c.family === 'crossplane' ? ['roleName', 'roleNameRef', 'roleNameSelector'] : ['role', 'roleRef', 'roleSelector'];
  const name = str(c.params[nameField]);
  const ref = str(obj(c.params[refField])?.['name']);
  const select = selector(c, selectorField);
  if (name) body['role'] = name;
  else if (ref) body['roleObject'] = objectKey(c.family, c.o.namespace, ref);
  else if (select) body['roleSelector'] = select;
  else body['role'] = null;
}

function attachment(c: Ctx): void {
  const body = createObject();
  roleTarget(c, body);
  const arn = c.params['policyArn'];
  const ref = str(obj(c.params['policyArnRef'])?.['name']);
  if (arn !== undefined) {
    body['PolicyArn'] = arn;
    c.copy.set('/PolicyArn', `${c.base}/policyArn`);
  } else if (ref) {
    body['policyObject'] = objectKey(c.family, c.o.namespace, ref);
    c.copy.set('/PolicyArn', `${c.base}/policyArnRef`);
  } else if (selector(c, 'policyArnSelector')) {
    body['policySelector'] = selector(c, 'policyArnSelector')!;
    c.copy.set('/PolicyArn', `${c.base}/policyArnSelector`);
  } else {
    body['PolicyArn'] = unresolved(`policyArn of ${c.o.kind} ${c.o.name}`);
    c.copy.set('/PolicyArn', c.base);
  }
  c.em.emit(c.o, ROLE_ATTACHMENT_TYPE, c.o.name, body, c.copy.positions);
}

function inlinePolicy(c: Ctx): void {
  const body = createObject();
  roleTarget(c, body);
  body['PolicyName'] = awsName(c, 'name');
  body['PolicyDocument'] = document(c, c.family === 'crossplane' ? 'document' : 'policy', '/PolicyDocument');
  c.em.emit(c.o, ROLE_INLINE_POLICY_TYPE, c.o.name, body, c.copy.positions);
}
