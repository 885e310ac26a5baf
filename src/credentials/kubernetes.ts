/**
 * Redacts credentials in a Kubernetes object before it enters the inventory. Secret values are
 * always replaced; ConfigMap values and literal container env values are replaced when they hold
 * a credential. What was found is kept as {@link CredentialEvidence} under {@link EVIDENCE_FIELD}.
 */
import type { JsonObject, JsonValue } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { escapeToken } from '../util/pointer.js';
import { detectCredentials } from './detect.js';
import { credentialOfExpression } from './references.js';
import { type CredentialEvidence, type Detection, EVIDENCE_FIELD, REDACTED } from './types.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function isObject(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isUnknown(v);
}

function decodeBase64(v: string): string {
  return Buffer.from(v.replace(/\s+/g, ''), 'base64').toString('utf8');
}

function detectionsOf(key: string, value: JsonValue | undefined, base64: boolean): Detection[] {
  if (typeof value === 'string') return detectCredentials(key, base64 ? decodeBase64(value) : value);
  if (isUnknown(value)) {
    const d = credentialOfExpression(value.$unknown);
    return d ? [d] : [];
  }
  return [];
}

function evidenceOf(detections: Detection[], key: string, pointer: string): CredentialEvidence[] {
  return detections.map((d) => {
    const e: CredentialEvidence = { kind: d.kind, key, pointer, form: d.form };
    if (d.idPrefix) e.idPrefix = d.idPrefix;
    return e;
  });
}

/** Scans a data map; `always` redacts every value, otherwise only values holding credentials. */
function redactMap(obj: JsonObject, field: string, base64: boolean, always: boolean, out: CredentialEvidence[]): boolean {
  const map = obj[field];
  if (!isObject(map)) return false;
  let changed = false;
  for (const key of Object.keys(map)) {
    const found = detectionsOf(key, map[key], base64);
    out.push(...evidenceOf(found, key, `/${field}/${escapeToken(key)}`));
    if ((always || found.length > 0) && map[key] !== null) {
      map[key] = REDACTED;
      changed = true;
    }
  }
  return changed;
}

/** Pod specs of a Pod, a workload's pod template, or a CronJob's job template, with their pointers. */
export function podSpecsOf(obj: JsonObject): { spec: JsonObject; pointer: string }[] {
  const out: { spec: JsonObject; pointer: string }[] = [];
  const spec = obj.spec;
  if (!isObject(spec)) return out;
  if (obj.kind === 'Pod') out.push({ spec, pointer: '/spec' });
  const template = spec.template;
  if (isObject(template) && isObject(template.spec)) out.push({ spec: template.spec, pointer: '/spec/template/spec' });
  const job = spec.jobTemplate;
  if (isObject(job) && isObject(job.spec) && isObject(job.spec.template) && isObject(job.spec.template.spec)) {
    out.push({ spec: job.spec.template.spec, pointer: '/spec/jobTemplate/spec/template/spec' });
  }
  return out;
}

function redactEnv(podSpec: JsonObject, pointer: string, out: CredentialEvidence[]): boolean {
  let changed = false;
  for (const group of ['initContainers', 'containers', 'ephemeralContainers']) {
    const list = podSpec[group];
    if (!Array.isArray(list)) continue;
    list.forEach((container, ci) => {
      if (!isObject(container) || !Array.isArray(container.env)) return;
      container.env.forEach((entry, ei) => {
        if (!isObject(entry) || typeof entry.name !== 'string' || entry.value === undefined) return;
        const found = detectionsOf(entry.name, entry.value, false);
        if (found.length === 0) return;
        out.push(...evidenceOf(found, entry.name, `${pointer}/${group}/${ci}/env/${ei}`));
        entry.value = REDACTED;
        changed = true;
      });
    });
  }
  return changed;
}

/**
 * Redacts `obj` in place and records what it found. Returns the evidence (also stored in the body).
 */
export function redactKubernetesObject(obj: JsonObject): CredentialEvidence[] {
  const evidence: CredentialEvidence[] = [];
  let changed = false;
  if (obj.kind === 'Secret') {
    changed = redactMap(obj, 'data', true, true, evidence) || changed;
    changed = redactMap(obj, 'stringData', false, true, evidence) || changed;
    changed = true;
  } else if (obj.kind === 'ConfigMap') {
    changed = redactMap(obj, 'data', false, false, evidence) || changed;
    changed = redactMap(obj, 'binaryData', true, false, evidence) || changed;
  }
  for (const { spec, pointer } of podSpecsOf(obj)) changed = redactEnv(spec, pointer, evidence) || changed;
  const metadata = obj.metadata;
  if (isObject(metadata) && isObject(metadata.annotations) && typeof metadata.annotations[LAST_APPLIED] === 'string') {
    if (changed || detectCredentials(LAST_APPLIED, metadata.annotations[LAST_APPLIED]).length > 0) metadata.annotations[LAST_APPLIED] = REDACTED;
  }
  if (evidence.length > 0) obj[EVIDENCE_FIELD] = evidence as unknown as JsonValue;
  return evidence;
}
