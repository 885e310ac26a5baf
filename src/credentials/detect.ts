/**
 * Finds credentials in one key/value pair: the value itself, key=value lines and command lines
 * inside it (`.env` files, AWS shared-credentials files, `sh -c` scripts) and JSON documents
 * inside it. Every scan is a linear pass; nothing here backtracks on untrusted input.
 */
import type { CredentialKind } from '../model/types.js';
import type { Detection } from './types.js';
import { findAccessKeyIds, isAccessKeyId, isSecretAccessKey, namesAccessKeyId, namesSecretAccessKey } from './aws.js';
import { SP_ID_KEYS, SP_MARKER_KEYS, SP_SECRET_KEYS, containsEntraSecret, isPlausibleClientSecret, namesAzureClientId, namesAzureClientSecret } from './azure.js';
import { isServiceAccountKey, serviceAccountClientId } from './gcp.js';
import { privateKeyIn } from './private-key.js';

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

const namedCache = new Map<string, boolean>();
const NAMED_CACHE_SIZE = 4096;
const MAX_NAME_LENGTH = 128;

/**
 * True for a name that says its value is a cloud credential: a variable, a field, a command-line
 * flag. Names repeat (`name`, `image`, `mountPath`), so the answers are cached.
 */
export function isCredentialName(name: string): boolean {
  // A word this long is a value, not a name: it is neither normalised nor kept in the cache.
  if (name.length > MAX_NAME_LENGTH) return false;
  let named = namedCache.get(name);
  if (named === undefined) {
    const n = normalizeKeyName(name);
    named = namesAccessKeyId(n) || namesSecretAccessKey(n) || namesAzureClientSecret(n);
    if (namedCache.size >= NAMED_CACHE_SIZE) namedCache.clear();
    namedCache.set(name, named);
  }
  return named;
}

/**
 * No credential is shorter: an access key id has 20 characters, a client secret at least 16.
 * (A kubeconfig's fields are credentials whatever their length: they are not found through here.)
 */
export const MIN_CREDENTIAL_LENGTH = 16;
/** Every credential {@link detectCredentials} finds in a value under a name that does not say so contains one of these. */
const MARKERS = /AKIA|ASIA|Q~|PRIVATE KEY|LS0tLS1CRUdJTi|[Ss][Ee][Cc][Rr][Ee][Tt]|[Pp][Aa][Ss][Ss][Ww]/;

/** The cheap test run on every string before {@link detectCredentials}: false when the pair cannot hold a credential. */
export function mayHoldCredential(name: string, value: string): boolean {
  return value.length >= MIN_CREDENTIAL_LENGTH && (isCredentialName(name) || MARKERS.test(value));
}

/** The form of an access key id found alone: its secret key is stored elsewhere. */
export const ACCESS_KEY_ID = 'access key id';

class Collector {
  private readonly byKind = new Map<CredentialKind, Detection>();
  private clientIdPrefix: string | undefined;
  /** A value shaped like a secret access key was seen under a name that does not say so. */
  private secretShaped = false;

  add(kind: CredentialKind, form: string, idPrefix?: string): void {
    const prev = this.byKind.get(kind);
    if (!prev) {
      const d: Detection = { kind, form };
      if (idPrefix) d.idPrefix = idPrefix;
      this.byKind.set(kind, d);
      return;
    }
    if (idPrefix && !prev.idPrefix) prev.idPrefix = idPrefix;
    // A key id, then its secret in another line or field: the pair, not an id whose secret is elsewhere.
    if (prev.form === ACCESS_KEY_ID && form !== ACCESS_KEY_ID) prev.form = form;
  }

  /** Names the more telling form (a shared-credentials file rather than the key id inside it). */
  preferForm(kind: CredentialKind, form: string): void {
    const d = this.byKind.get(kind);
    if (d) d.form = form;
  }

  noteClientId(id: string): void {
    if (id.length >= 4 && this.clientIdPrefix === undefined) this.clientIdPrefix = id.slice(0, 4);
  }

  noteSecretShaped(): void {
    this.secretShaped = true;
  }

  has(kind: CredentialKind): boolean {
    return this.byKind.has(kind);
  }

  result(): Detection[] {
    const azure = this.byKind.get('azure-client-secret');
    if (azure && !azure.idPrefix && this.clientIdPrefix) azure.idPrefix = this.clientIdPrefix;
    // A key id next to a 40-character secret (`access_key`/`secret_key` of an object-store config) is a key pair.
    const aws = this.byKind.get('aws-access-key');
    if (aws && aws.form === ACCESS_KEY_ID && this.secretShaped) aws.form = 'access key pair';
    return [...this.byKind.values()];
  }
}

/** One named value (an env variable, a JSON field, a `key = value` line). */
function checkPair(name: string, value: string, out: Collector): void {
  const n = normalizeKeyName(name);
  const v = unquote(value.trim());
  if (namesAccessKeyId(n) && isAccessKeyId(v)) out.add('aws-access-key', ACCESS_KEY_ID, v.slice(0, 4));
  else if (namesSecretAccessKey(n) && isSecretAccessKey(v)) out.add('aws-access-key', 'secret access key');
  else if (namesAzureClientSecret(n) && isPlausibleClientSecret(v)) out.add('azure-client-secret', 'client secret');
  else if (namesAzureClientId(n)) out.noteClientId(v);
  else if (isSecretAccessKey(v)) out.noteSecretShaped();
}

function unquote(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/**
 * The words of a command line: `KEY=value` words, and a word that names a credential followed by
 * its value (`--aws-secret-access-key VALUE`, `aws configure set aws_secret_access_key VALUE`).
 */
function checkWords(line: string, out: Collector): void {
  const words = line.split(/\s+/);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    if (eq > 0) checkPair(word.slice(0, eq), word.slice(eq + 1), out);
    else if (i + 1 < words.length && isCredentialName(word)) checkPair(word, words[i + 1]!, out);
  }
}

/** `key = value`, `key: value`, `export KEY=value` lines, and the words of command lines. */
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
    if (at <= 0) {
      if (line.includes(' ')) checkWords(line, out);
      continue;
    }
    const name = line.slice(0, at).trim();
    const before = normalizeKeyName(name);
    if (before === 'awsaccesskeyid' || before === 'awssecretaccesskey') sharedCredentials ||= name === name.toLowerCase();
    checkPair(name, line.slice(at + 1), out);
    if (line.includes(' ')) checkWords(line, out);
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
  // `{"name": "AWS_SECRET_ACCESS_KEY", "value": "…"}`: an env entry as JSON (a last-applied configuration, a task definition).
  const named = pairName(obj);
  if (named !== undefined) checkPair(named, (typeof obj.value === 'string' ? obj.value : obj.Value) as string, out);
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') checkPair(k, v, out);
    else checkJson(v, out, depth + 1);
  }
}

/**
 * The name of a `{name, value}` entry (a container's env entry, a tag, a CloudFormation
 * `{Name, Value}` pair), whose value the name describes; undefined for other objects.
 */
export function pairName(obj: Record<string, unknown>): string | undefined {
  if (typeof obj.value !== 'string' && typeof obj.Value !== 'string') return undefined;
  const name = obj.name ?? obj.Name ?? obj.key ?? obj.Key;
  return typeof name === 'string' ? name : undefined;
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
  else if (value.includes('\n') || value.includes('=') || value.includes(' ')) checkLines(value, out);
  checkPair(key, value, out);
  const ids = findAccessKeyIds(value);
  if (ids.length > 0) out.add('aws-access-key', ACCESS_KEY_ID, ids[0]!.slice(0, 4));
  if (containsEntraSecret(value)) out.add('azure-client-secret', 'client secret');
  // A service-account key file holds a private key: it is reported as the cloud key it is.
  if (!out.has('gcp-service-account-key')) {
    const pem = privateKeyIn(value);
    if (pem) out.add('private-key', pem === 'pem' ? 'PEM private key' : 'base64 PEM private key');
  }
  return out.result();
}
