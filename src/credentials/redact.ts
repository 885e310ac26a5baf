/**
 * The one credential scan every resource goes through before it enters the inventory, whichever
 * collector made it (manifests, Terraform, CloudFormation, ARM, cloud CLI dumps, live clusters and
 * cloud APIs, saved inventories): every string of the body is tested, a credential found is
 * replaced by {@link REDACTED} and recorded as {@link CredentialEvidence} on the resource.
 *
 * What depends on the kind of object: a Secret's values are redacted whatever they hold (its
 * `data` decoded to be scanned), a ConfigMap's `binaryData` is decoded, a kubeconfig's user
 * credentials are redacted whatever they hold, and `kubectl.kubernetes.io/last-applied-configuration`
 * (a copy of the object) goes with the object. Everything else is one generic walk: an env-style
 * `{name, value}` entry is scanned under its name, a command-line word under the flag before it.
 *
 * Most strings are short or hold none of the markers credentials contain, so a cheap test
 * ({@link mayHoldCredential}) decides before the detectors run.
 */
import type { CredentialEvidence, JsonObject, JsonValue, Resource, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { escapeToken } from '../util/pointer.js';
import { isAccessKeyId, isSecretAccessKey } from './aws.js';
import { containsEntraSecret, isPlausibleClientSecret, podIdentityAdminSecretKey } from './azure.js';
import { ACCESS_KEY_ID, MIN_CREDENTIAL_LENGTH, detectCredentials, isCredentialName, mayHoldCredential, pairName } from './detect.js';
import { credentialOfExpression } from './references.js';
import { type Detection, REDACTED } from './types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** Fields of a kubeconfig `users[].user` that are credentials whatever they hold. */
const KUBECONFIG_USER_SECRETS: Record<string, string> = {
  token: 'kubeconfig bearer token',
  password: 'kubeconfig password',
  'client-key-data': 'kubeconfig client key',
};
/** Fields of a kubeconfig `auth-provider.config` (the legacy OIDC and GCP plugins) that are credentials. */
const AUTH_PROVIDER_SECRETS = ['access-token', 'id-token', 'refresh-token', 'client-secret'];
/** An exec plugin's flag whose value is a credential (`kubectl oidc-login get-token --oidc-client-secret=…`). */
const SECRET_FLAG = /^--?[\w.-]*(secret|token|password)[\w.-]*$/i;

type Holder = JsonObject | JsonValue[];

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v);
}

function decodeBase64(v: string): string {
  return Buffer.from(v.replace(/\s+/g, ''), 'base64').toString('utf8');
}

/**
 * The name a command-line word is scanned under: the flag before it (`--s3-secret-access-key`,
 * `VALUE`) or its own (`--s3-secret-access-key=VALUE`), when that flag names a credential.
 */
function wordName(list: JsonValue[], i: number, word: string): string | undefined {
  const before = i > 0 ? list[i - 1] : undefined;
  if (typeof before === 'string' && isCredentialName(before)) return before;
  const eq = word.indexOf('=');
  if (word.startsWith('-') && eq > 0 && isCredentialName(word.slice(0, eq))) return word.slice(0, eq);
  return undefined;
}

/** A walk over one body; the pointer of the current node is built only when evidence needs it. */
class Walk {
  readonly evidence: CredentialEvidence[] = [];
  private readonly path: (string | number)[] = [];

  private pointer(extra?: string | number): string {
    let p = '';
    for (const t of this.path) p += '/' + escapeToken(t);
    return extra === undefined ? p : `${p}/${escapeToken(extra)}`;
  }

  private record(found: Detection[], key: string, pointer: string): void {
    for (const d of found) {
      const e: CredentialEvidence = { kind: d.kind, key, pointer, form: d.form };
      if (d.idPrefix) e.idPrefix = d.idPrefix;
      this.evidence.push(e);
    }
  }

  /**
   * Scans a value held at `holder[at]` under `name` (a Secret's or ConfigMap's data entry), and
   * redacts it, whatever it holds when `always`.
   */
  entry(holder: JsonObject, at: string, options: { base64?: boolean; always?: boolean }): void {
    const v = holder[at];
    if (typeof v === 'string') {
      const text = options.base64 ? decodeBase64(v) : v;
      if (!this.string(holder, at, at, text, false) && options.always) holder[at] = REDACTED;
    } else if (v !== null && v !== undefined && typeof v === 'object') {
      if (Array.isArray(v) || !isUnknown(v)) {
        if (options.always) holder[at] = REDACTED;
        else this.descend(v, at, at);
      } else if (!this.unknown(holder, at, at, v) && options.always) holder[at] = REDACTED;
    }
  }

  /** Scans one string; true when it held a credential (then redacted). */
  private string(holder: Holder, at: string | number, name: string, value: string, atNode: boolean): boolean {
    if (!mayHoldCredential(name, value)) return false;
    const found = detectCredentials(name, value);
    if (found.length === 0) return false;
    (holder as Record<string | number, JsonValue>)[at] = REDACTED;
    this.record(found, name, atNode ? this.pointer() : this.pointer(at));
    if (found.some((d) => d.form === ACCESS_KEY_ID)) this.keyId = true;
    return true;
  }

  /** An unresolved expression that names a credential (`aws_iam_access_key.ci.secret`); true when it did (then redacted). */
  private unknown(holder: Holder, at: string | number, name: string, value: Unknown): boolean {
    const d = credentialOfExpression(value.$unknown);
    if (!d) return false;
    (holder as Record<string | number, JsonValue>)[at] = REDACTED;
    this.record([d], name, this.pointer(at));
    return true;
  }

  /** Set when a string of the object being walked held an access key id. */
  private keyId = false;

  private descend(v: JsonObject | JsonValue[], at: string | number, name: string): void {
    this.path.push(at);
    if (Array.isArray(v)) this.array(v, name);
    else this.object(v);
    this.path.pop();
  }

  /** A map every value of which is scanned, and redacted whatever it holds when `always`. */
  map(obj: JsonObject, field: string, options: { base64?: boolean; always?: boolean }): void {
    const map = obj[field];
    if (!isObject(map)) return;
    this.path.push(field);
    for (const key of Object.keys(map)) this.entry(map, key, options);
    this.path.pop();
  }

  object(obj: JsonObject): void {
    // An env-style entry: the value is scanned under the entry's name, and the entry is what is pointed at.
    const named = pairName(obj);
    const outer = this.keyId;
    this.keyId = false;
    for (const k in obj) {
      const v = obj[k];
      if (typeof v === 'string') {
        if (k === LAST_APPLIED) continue;
        if (named !== undefined && (k === 'value' || k === 'Value')) this.string(obj, k, named, v, true);
        else this.string(obj, k, k, v, false);
      } else if (typeof v === 'object' && v !== null) {
        if (!Array.isArray(v) && isUnknown(v)) this.unknown(obj, k, k, v);
        else this.descend(v, k, k);
      }
    }
    // A key id next to a 40-character secret under a name that does not say so (`accessKey`/`secretKey`): the secret key.
    if (this.keyId) {
      for (const k in obj) {
        const v = obj[k];
        if (typeof v === 'string' && isSecretAccessKey(v) && !isAccessKeyId(v)) {
          obj[k] = REDACTED;
          this.record([{ kind: 'aws-access-key', form: 'secret access key' }], k, this.pointer(k));
        }
      }
    }
    this.keyId = outer;
  }

  /** A list; a command line's word is scanned under the flag before it (`--aws-secret-access-key`, `VALUE`). */
  array(list: JsonValue[], name: string): void {
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      if (typeof v === 'string') {
        // Only a string long enough to be a credential needs the name to scan it under.
        if (v.length < MIN_CREDENTIAL_LENGTH) continue;
        this.string(list, i, wordName(list, i, v) ?? name, v, false);
      } else if (typeof v === 'object' && v !== null) {
        if (!Array.isArray(v) && isUnknown(v)) this.unknown(list, i, name, v);
        else this.descend(v, i, name);
      }
    }
  }

  /** The last-applied annotation, scanned apart from the object it copies. */
  lastApplied(annotations: JsonObject): void {
    this.path.push('metadata', 'annotations');
    this.entry(annotations, LAST_APPLIED, {});
    this.path.length = 0;
  }

  /** A kubeconfig's user credentials: Kubernetes credentials, redacted whatever they hold. */
  kubeconfigUsers(body: JsonObject): void {
    const users = body.users;
    if (!Array.isArray(users)) return;
    users.forEach((entry, i) => {
      if (!isObject(entry) || !isObject(entry.user)) return;
      const user = entry.user;
      const at = `/users/${i}/user`;
      for (const [field, form] of Object.entries(KUBECONFIG_USER_SECRETS)) this.kubeconfigSecret(user, field, form, `${at}/${escapeToken(field)}`);
      const provider = user['auth-provider'];
      const config = isObject(provider) && isObject(provider.config) ? provider.config : undefined;
      for (const field of AUTH_PROVIDER_SECRETS) if (config) this.kubeconfigSecret(config, field, 'kubeconfig auth-provider token', `${at}/auth-provider/config/${escapeToken(field)}`);
      const args = isObject(user.exec) ? user.exec.args : undefined;
      if (!Array.isArray(args)) return;
      args.forEach((word, j) => {
        if (typeof word !== 'string') return;
        const before = j > 0 ? args[j - 1] : undefined;
        const eq = word.indexOf('=');
        const flag = eq > 0 ? word.slice(0, eq) : typeof before === 'string' && !before.includes('=') ? before : undefined;
        if (flag !== undefined && flag.length <= 128 && SECRET_FLAG.test(flag)) this.kubeconfigSecret(args, j, 'kubeconfig exec argument', `${at}/exec/args/${j}`, flag);
      });
    });
  }

  /** Redacts one kubeconfig credential; one already redacted (a saved inventory read again) is not recorded twice. */
  private kubeconfigSecret(holder: Holder, at: string | number, form: string, pointer: string, key = String(at)): void {
    const v = (holder as Record<string | number, JsonValue>)[at];
    if (v === undefined || v === null || v === '' || v === REDACTED) return;
    (holder as Record<string | number, JsonValue>)[at] = REDACTED;
    this.record([{ kind: 'kubernetes-credential', form }], key, pointer);
  }
}

/**
 * Redacts the credentials in a body of the given resource type, in place, and returns what was
 * found. Running it again over its own output finds nothing new.
 */
export function redactBody(type: string, body: JsonValue): CredentialEvidence[] {
  if (!isObject(body)) return [];
  const walk = new Walk();
  if (type === 'k8s.Secret') {
    podIdentityAdminSecret(body, walk.evidence);
    walk.map(body, 'data', { base64: true, always: true });
    walk.map(body, 'stringData', { always: true });
  } else if (type === 'k8s.ConfigMap') {
    walk.map(body, 'binaryData', { base64: true });
  } else if (type === 'k8s.Config') {
    walk.kubeconfigUsers(body);
  }
  walk.object(body);
  // An access key id anywhere in the object: a 40-character secret anywhere in it is its key,
  // whatever it is named (a label, a flag `--secret=…`), not only beside it.
  // The key id's own evidence already reports the credential; the sweep only removes the secret.
  if (walk.evidence.some((e) => e.kind === 'aws-access-key')) sweepSecretKeys(body);
  redactLastApplied(body, type === 'k8s.Secret' || walk.evidence.length > 0, walk);
  return walk.evidence;
}

/** The AAD Pod Identity admin Secret's client secret, known by its keys rather than its value's shape. */
function podIdentityAdminSecret(body: JsonObject, evidence: CredentialEvidence[]): void {
  for (const [field, base64] of [['data', true], ['stringData', false]] as const) {
    const values = body[field];
    if (!isObject(values)) continue;
    const key = podIdentityAdminSecretKey(Object.keys(values));
    const v = key === undefined ? undefined : values[key];
    const secret = typeof v === 'string' ? (base64 ? decodeBase64(v) : v) : undefined;
    // A secret in the current format is found by its shape when the map is walked.
    if (key === undefined || secret === undefined || !isPlausibleClientSecret(secret) || containsEntraSecret(secret)) continue;
    const id = values.ClientID;
    const idText = typeof id === 'string' ? (base64 ? decodeBase64(id) : id) : '';
    const e: CredentialEvidence = { kind: 'azure-client-secret', key, pointer: `/${field}/${escapeToken(key)}`, form: 'AAD Pod Identity admin secret' };
    if (idText.length >= 4) e.idPrefix = idText.slice(0, 4);
    evidence.push(e);
  }
}

/** Redacts every string that is, or holds as a word, a 40-character secret access key; true when one did. */
function sweepSecretKeys(node: JsonObject | JsonValue[]): boolean {
  let found = false;
  const keys: (string | number)[] = Array.isArray(node) ? node.map((_, i) => i) : Object.keys(node);
  for (const k of keys) {
    const v = (node as Record<string | number, JsonValue>)[k];
    if (typeof v === 'string') {
      if (v.length >= 40 && v !== REDACTED && v.split(/[^A-Za-z0-9/+]+/).some((word) => isSecretAccessKey(word) && !isAccessKeyId(word))) {
        (node as Record<string | number, JsonValue>)[k] = REDACTED;
        found = true;
      }
    } else if (typeof v === 'object' && v !== null && !isUnknown(v)) {
      if (sweepSecretKeys(v as JsonObject | JsonValue[])) found = true;
    }
  }
  return found;
}

/**
 * `kubectl apply` keeps a copy of the object in an annotation: it goes when anything in the object
 * was redacted (a Secret's values are not scanned there: they are base64), and is scanned itself
 * for what the object no longer holds.
 */
function redactLastApplied(body: JsonObject, objectRedacted: boolean, walk: Walk): void {
  const metadata = body.metadata;
  if (!isObject(metadata) || !isObject(metadata.annotations) || metadata.annotations[LAST_APPLIED] === undefined) return;
  const annotations = metadata.annotations;
  if (objectRedacted) annotations[LAST_APPLIED] = REDACTED;
  else walk.lastApplied(annotations);
}

/** Redacts one resource's body and records what was found on it. */
export function redactResource(r: Resource): void {
  const found = redactBody(r.type, r.body);
  if (found.length > 0) r.credentials = r.credentials ? [...r.credentials, ...found] : found;
}

/** {@link redactResource} for each: what every collector's output passes through. */
export function redactResources(resources: readonly Resource[]): void {
  for (const r of resources) redactResource(r);
}

/**
 * A value named in source (a Terraform variable or local, a CloudFormation parameter's default)
 * before it is substituted into names and other strings, where the walk over bodies would no
 * longer recognise it: a credential it holds becomes {@link REDACTED}. `keyIdNearby`: an access
 * key id stands among the values of the same module or template, so a 40-character secret
 * beside it is its secret key, whatever it is named. Other values are returned as they are (the
 * same object when nothing in it changed).
 */
export function redactNamedValue<T>(name: string, value: T, keyIdNearby = false): T {
  if (typeof value === 'string') {
    if (keyIdNearby && isSecretAccessKey(value)) return REDACTED as T;
    return mayHoldCredential(name, value) && detectCredentials(name, value).length > 0 ? (REDACTED as T) : value;
  }
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((v: unknown) => {
      const r = redactNamedValue(name, v, keyIdNearby);
      if (r !== v) changed = true;
      return r;
    });
    return (changed ? out : value) as T;
  }
  if (value !== null && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const v = (value as Record<string, unknown>)[key];
      const r = redactNamedValue(key, v, keyIdNearby);
      if (r === v) continue;
      out ??= Object.assign(Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>, value);
      out[key] = r;
    }
    return (out ?? value) as T;
  }
  return value;
}
