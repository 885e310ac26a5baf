/**
 * AWS IAM JSON: bare policy documents and the outputs of `aws iam get-role`, `list-roles`,
 * `get-account-authorization-details`, `get-open-id-connect-provider` and
 * `list-open-id-connect-providers`, in the canonical shapes (roles as `RoleDetail`).
 */
import { basename, extname, relative, sep } from 'node:path';
import type { CoverageNote, JsonValue, Position, PositionMap, Resource } from '../model/types.js';
import { createObject, lenientJsonNote, parseJson, type ParsedDocument, type StructuredLimits } from '../util/structured.js';
import { account, emptyResult, type CollectOptions, type CollectResult, type SourceFile } from './types.js';
import { forEachInSubtree } from '../util/position-subtree.js';
import { readPolicy } from '../iam/policy-statements.js';

type Obj = Record<string, JsonValue>;

function asObject(v: JsonValue | undefined): Obj | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function objects(v: JsonValue | undefined): Obj[] | undefined {
  return Array.isArray(v) && v.every((x) => asObject(x) !== undefined) ? (v as Obj[]) : undefined;
}

function isPolicyDocument(v: JsonValue | undefined): boolean {
  const o = asObject(v);
  if (!o || o['Statement'] === undefined) return false;
  const s = o['Statement'];
  return o['Version'] !== undefined || asObject(s)?.['Effect'] !== undefined || (Array.isArray(s) && s.some((x) => asObject(x)?.['Effect'] !== undefined));
}

function isRole(v: JsonValue | undefined): boolean {
  const o = asObject(v);
  return !!o && typeof o['RoleName'] === 'string';
}

/** True for the IAM JSON shapes this collector reads. */
export function isIamJson(value: JsonValue): boolean {
  const o = asObject(value);
  if (!o) return false;
  if (isPolicyDocument(o)) return true;
  if (isRole(o['Role'])) return true;
  if (objects(o['Roles'])?.every(isRole) && Array.isArray(o['Roles'])) return true;
  if (Array.isArray(o['RoleDetailList'])) return true;
  if (Array.isArray(o['Policies']) && (Array.isArray(o['UserDetailList']) || Array.isArray(o['GroupDetailList']))) return true;
  if (typeof o['Url'] === 'string' && (Array.isArray(o['ClientIDList']) || Array.isArray(o['ThumbprintList']))) return true;
  if (Array.isArray(o['OpenIDConnectProviderList'])) return true;
  return false;
}

interface Env {
  file: SourceFile;
  doc: ParsedDocument;
  relPath: string;
  limits: StructuredLimits;
  result: CollectResult;
}

export function collectIamJson(file: SourceFile, doc: ParsedDocument, opts: CollectOptions): CollectResult {
  const result = emptyResult();
  account(result, file.path, 'IAM policy JSON');
  const relPath = file.path.startsWith('<') ? file.path : relative(opts.root, file.path).split(sep).join('/');
  const env: Env = { file, doc, relPath, limits: opts.limits, result };
  collect(env);
  return result;
}

function collect(env: Env): void {
  const root = asObject(env.doc.value);
  if (!root) return;
  if (isPolicyDocument(root)) return bareDocument(env, root);
  if (isRole(root['Role'])) role(env, asObject(root['Role'])!, '/Role');
  (objects(root['Roles']) ?? []).forEach((r, i) => role(env, r, `/Roles/${i}`));
  (objects(root['RoleDetailList']) ?? []).forEach((r, i) => role(env, r, `/RoleDetailList/${i}`));
  (objects(root['Policies']) ?? []).forEach((p, i) => managedPolicy(env, p, `/Policies/${i}`));
  if (typeof root['Url'] === 'string') oidcProvider(env, root, '');
  (objects(root['OpenIDConnectProviderList']) ?? []).forEach((p, i) => {
    if (typeof p['Url'] === 'string') oidcProvider(env, p, `/OpenIDConnectProviderList/${i}`);
  });
}

/** Positions of the document below `from`, re-keyed under `to`. */
function copyPositions(env: Env, from: string, to: string, into: PositionMap): void {
  forEachInSubtree(env.doc.positions, from, (ptr, pos) => {
    into[to + ptr.slice(from.length)] = pos;
  });
}

function accountOf(arn: JsonValue | undefined): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' ? parts[4] : undefined;
}

function baseResource(env: Env, id: string, type: string, name: string, body: Obj, positions: PositionMap, arn?: JsonValue): Resource {
  const r: Resource = { id, type, name, file: env.file.path, format: 'iam-json', body, positions };
  if (typeof arn === 'string') r.logicalLocation = arn;
  return r;
}

function bareDocument(env: Env, root: Obj): void {
  const positions = Object.create(null) as PositionMap;
  const name = basename(env.file.path, extname(env.file.path));
  const id = `file:${env.relPath}#`;
  const wholeFile = env.doc.positions[''];
  if (wholeFile) positions[''] = wholeFile;
  if (isTrustPolicy(root)) {
    copyPositions(env, '', '/AssumeRolePolicyDocument', positions);
    const body = createObject();
    body['RoleName'] = name;
    body['AssumeRolePolicyDocument'] = root;
    env.result.resources.push(baseResource(env, id, 'aws.iam.Role', name, body, positions));
  } else {
    copyPositions(env, '', '/PolicyDocument', positions);
    const body = createObject();
    body['PolicyName'] = name;
    body['PolicyDocument'] = root;
    env.result.resources.push(baseResource(env, id, 'aws.iam.Policy', name, body, positions));
  }
  if (wholeFile) positions[''] = wholeFile;
}

/** A statement with a Principal and an `sts:AssumeRole*` action. */
function isTrustPolicy(doc: Obj): boolean {
  return readPolicy(doc, '').statements.some(
    (s) => s.principal !== undefined && !s.notPrincipal && !s.notAction && s.actions.known.some((a) => /^sts:assumerole/i.test(a.value)),
  );
}

function role(env: Env, src: Obj, ptr: string): void {
  const positions = Object.create(null) as PositionMap;
  copyPositions(env, ptr, '', positions);
  const body = createObject();
  for (const [k, v] of Object.entries(src)) body[k] = v;
  if (src['AssumeRolePolicyDocument'] !== undefined) {
    body['AssumeRolePolicyDocument'] = decodedDocument(env, src['AssumeRolePolicyDocument'], `${ptr}/AssumeRolePolicyDocument`, '/AssumeRolePolicyDocument', positions);
  }
  const inline = objects(src['RolePolicyList']);
  if (inline) {
    body['RolePolicyList'] = inline.map((p, i) => {
      const entry = createObject();
      for (const [k, v] of Object.entries(p)) entry[k] = v;
      if (p['PolicyDocument'] !== undefined) {
        entry['PolicyDocument'] = decodedDocument(env, p['PolicyDocument'], `${ptr}/RolePolicyList/${i}/PolicyDocument`, `/RolePolicyList/${i}/PolicyDocument`, positions);
      }
      return entry;
    });
  }
  const name = String(src['RoleName']);
  const account = accountOf(src['Arn']);
  const id = account !== undefined ? `file:${env.relPath}#aws:${account}:role/${name}` : `file:${env.relPath}#${ptr}`;
  env.result.resources.push(baseResource(env, id, 'aws.iam.Role', name, body, positions, src['Arn']));
}

function managedPolicy(env: Env, src: Obj, ptr: string): void {
  const positions = Object.create(null) as PositionMap;
  const own = env.doc.positions[ptr];
  if (own) positions[''] = own;
  const body = createObject();
  const name = typeof src['PolicyName'] === 'string' ? src['PolicyName'] : '';
  body['PolicyName'] = name;
  for (const key of ['Arn', 'PolicyId', 'Path', 'DefaultVersionId', 'AttachmentCount']) {
    if (src[key] !== undefined) {
      body[key] = src[key]!;
      copyPositions(env, `${ptr}/${key}`, `/${key}`, positions);
    }
  }
  const versions = objects(src['PolicyVersionList']) ?? [];
  const index = versions.findIndex((v) => v['IsDefaultVersion'] === true || (src['DefaultVersionId'] !== undefined && v['VersionId'] === src['DefaultVersionId']));
  const version = versions[index];
  if (version && version['Document'] !== undefined) {
    body['PolicyDocument'] = decodedDocument(env, version['Document'], `${ptr}/PolicyVersionList/${index}/Document`, '/PolicyDocument', positions);
  } else if (src['PolicyDocument'] !== undefined) {
    body['PolicyDocument'] = decodedDocument(env, src['PolicyDocument'], `${ptr}/PolicyDocument`, '/PolicyDocument', positions);
  }
  const account = accountOf(src['Arn']);
  const id = account !== undefined && name ? `file:${env.relPath}#aws:${account}:policy/${name}` : `file:${env.relPath}#${ptr}`;
  env.result.resources.push(baseResource(env, id, 'aws.iam.Policy', name || ptr, body, positions, src['Arn']));
}

function oidcProvider(env: Env, src: Obj, ptr: string): void {
  const positions = Object.create(null) as PositionMap;
  copyPositions(env, ptr, '', positions);
  const body = createObject();
  for (const key of ['Arn', 'Url', 'ClientIDList', 'ThumbprintList', 'CreateDate', 'Tags']) if (src[key] !== undefined) body[key] = src[key]!;
  const url = String(src['Url']).replace(/^https:\/\//, '');
  const account = accountOf(src['Arn']);
  const id = account !== undefined ? `file:${env.relPath}#aws:${account}:oidc-provider/${url}` : `file:${env.relPath}#${ptr}`;
  env.result.resources.push(baseResource(env, id, 'aws.iam.OIDCProvider', url, body, positions, src['Arn']));
}

/**
 * A policy document as the IAM API returns it: an object, a JSON string or a URL-encoded
 * JSON string. Positions inside a decoded string stay at the string itself.
 */
function decodedDocument(env: Env, value: JsonValue, docPtr: string, outPtr: string, positions: PositionMap): JsonValue {
  if (typeof value !== 'string') return value;
  const at = env.doc.positions[docPtr];
  let text = value;
  if (/^\s*%7B/i.test(text) || (!/^\s*[{[]/.test(text) && /%[0-9a-f]{2}/i.test(text))) {
    try {
      text = decodeURIComponent(text);
    } catch {
      note(env.result.notes, env, at, 'policy document is not valid URL-encoded text');
      return value;
    }
  }
  const parsed = parseJson(text, env.limits);
  const parsedDoc = parsed.documents[0];
  if (!parsedDoc) {
    const err = parsed.errors[0];
    if (err?.limit) note(env.result.notes, env, at, `policy document: ${err.message}`, 'limit');
    else note(env.result.notes, env, at, `policy document is not valid JSON: ${err?.message ?? 'empty'}`);
    return value;
  }
  if (parsed.lenient) env.result.notes.push(lenientJsonNote(env.file.path, { ...parsed.lenient, line: at?.line ?? 1, column: at?.column ?? 1 }));
  for (const ptr of Object.keys(positions)) if (ptr.startsWith(outPtr + '/')) delete positions[ptr];
  if (at) {
    for (const ptr of Object.keys(parsedDoc.positions)) positions[outPtr + ptr] = at;
    positions[outPtr] = at;
  }
  return parsedDoc.value;
}

function note(notes: CoverageNote[], env: Env, at: Position | undefined, message: string, kind: 'parse-error' | 'limit' = 'parse-error'): void {
  notes.push({ kind, level: 'error', message, file: env.file.path, line: at?.line ?? 1, column: at?.column ?? 1 });
}
