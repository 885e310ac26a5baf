/**
 * Finds cloud credentials in one key/value pair: the value itself, key=value lines inside it
 * (`.env` files, AWS shared-credentials files) and JSON documents inside it. Every scan is a
 * linear pass; nothing here backtracks on untrusted input.
 */
import type { CredentialKind, Detection } from './types.js';
import { findAccessKeyIds, isAccessKeyId, isSecretAccessKey, namesAccessKeyId, namesSecretAccessKey } from './aws.js';
import { SP_ID_KEYS, SP_MARKER_KEYS, SP_SECRET_KEYS, containsEntraSecret, isPlausibleClientSecret, namesAzureClientId, namesAzureClientSecret } from './azure.js';
import { isServiceAccountKey, serviceAccountClientId } from './gcp.js';

/** Values larger than this are not parsed as JSON (still scanned for key ids and secrets). */
const MAX_JSON = 1024 * 1024;
const MAX_DEPTH = 32;

/** `AWS_Secret-Access.Key` → `awssecretaccesskey`. */
export function normalizeKeyName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 122)) out += name[i];
    else if (c >= 65 && c <= 90) out += String.fromCharCode(c + 32);
  }
  return out;
}

class Collector {
  private readonly byKind = new Map<CredentialKind, Detection>();
  private clientIdPrefix: string | undefined;

  add(kind: CredentialKind, form: string, idPrefix?: string): void {
    const prev = this.byKind.get(kind);
    if (!prev) {
      const d: Detection = { kind, form };
      if (idPrefix) d.idPrefix = idPrefix;
      this.byKind.set(kind, d);
    } else if (idPrefix && !prev.idPrefix) {
      prev.idPrefix = idPrefix;
    }
  }

  /** Names the more telling form (a shared-credentials file rather than the key id inside it). */
  preferForm(kind: CredentialKind, form: string): void {
    const d = this.byKind.get(kind);
    if (d) d.form = form;
  }

  noteClientId(id: string): void {
    if (id.length >= 4 && this.clientIdPrefix === undefined) this.clientIdPrefix = id.slice(0, 4);
  }

  result(): Detection[] {
    const azure = this.byKind.get('azure-client-secret');
    if (azure && !azure.idPrefix && this.clientIdPrefix) azure.idPrefix = this.clientIdPrefix;
    return [...this.byKind.values()];
  }
}

/** One named value (an env variable, a JSON field, a `key = value` line). */
function checkPair(name: string, value: string, out: Collector): void {
  const n = normalizeKeyName(name);
  const v = unquote(value.trim());
  if (namesAccessKeyId(n) && isAccessKeyId(v)) out.add('aws-access-key', 'access key id', v.slice(0, 4));
  else if (namesSecretAccessKey(n) && isSecretAccessKey(v)) out.add('aws-access-key', 'secret access key');
  else if (namesAzureClientSecret(n) && isPlausibleClientSecret(v)) out.add('azure-client-secret', 'client secret');
  else if (namesAzureClientId(n)) out.noteClientId(v);
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/** `key = value`, `key: value`, `export KEY=value` lines. */
function checkLines(text: string, out: Collector): void {
  let sharedCredentials = false;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end).trim();
    start = end + 1;
    if (line.startsWith('export ')) line = line.slice(7);
    const eq = line.indexOf('=');
    const colon = line.indexOf(':');
    const at = eq >= 0 && (colon < 0 || eq < colon) ? eq : colon;
    if (at <= 0) continue;
    const name = line.slice(0, at).trim();
    const before = normalizeKeyName(name);
    if (before === 'awsaccesskeyid' || before === 'awssecretaccesskey') sharedCredentials ||= name === name.toLowerCase();
    checkPair(name, line.slice(at + 1), out);
  }
  if (sharedCredentials) {
    const ids = findAccessKeyIds(text);
    if (ids.length > 0 || isSecretLineIn(text)) {
      out.add('aws-access-key', 'shared credentials file', ids[0]?.slice(0, 4));
      out.preferForm('aws-access-key', 'shared credentials file');
    }
  }
}

function isSecretLineIn(text: string): boolean {
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && normalizeKeyName(line.slice(0, eq)) === 'awssecretaccesskey' && isSecretAccessKey(line.slice(eq + 1).trim())) return true;
  }
  return false;
}

function checkJson(doc: unknown, out: Collector, depth: number): void {
  if (depth > MAX_DEPTH || doc === null || typeof doc !== 'object') return;
  if (Array.isArray(doc)) {
    for (const item of doc) checkJson(item, out, depth + 1);
    return;
  }
  const obj = doc as Record<string, unknown>;
  if (isServiceAccountKey(obj)) {
    const id = serviceAccountClientId(obj);
    out.add('gcp-service-account-key', 'service account key JSON', id && id.length >= 4 ? id.slice(0, 4) : undefined);
  }
  const isServicePrincipal = SP_ID_KEYS.some((k) => typeof obj[k] === 'string') && SP_MARKER_KEYS.some((k) => typeof obj[k] === 'string');
  if (isServicePrincipal) {
    const secretKey = SP_SECRET_KEYS.find((k) => typeof obj[k] === 'string' && isPlausibleClientSecret(obj[k] as string));
    if (secretKey) {
      const id = SP_ID_KEYS.map((k) => obj[k]).find((v): v is string => typeof v === 'string');
      out.add('azure-client-secret', 'service principal JSON', id && id.length >= 4 ? id.slice(0, 4) : undefined);
    }
  }
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') checkPair(k, v, out);
    else checkJson(v, out, depth + 1);
  }
}

function parseJsonObject(text: string): unknown {
  const t = text.trim();
  if (t.length > MAX_JSON || !(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** The credentials one value holds, at most one detection per kind. */
export function detectCredentials(key: string, value: string): Detection[] {
  const out = new Collector();
  const json = parseJsonObject(value);
  if (json !== undefined) checkJson(json, out, 0);
  else if (value.includes('\n') || value.includes('=')) checkLines(value, out);
  checkPair(key, value, out);
  const ids = findAccessKeyIds(value);
  if (ids.length > 0) out.add('aws-access-key', 'access key id', ids[0]!.slice(0, 4));
  if (containsEntraSecret(value)) out.add('azure-client-secret', 'client secret');
  return out.result();
}
