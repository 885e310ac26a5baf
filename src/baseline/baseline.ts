/**
 * Baselines: a previous SARIF or JSON report says which findings existed before. The CLI and
 * the GitHub Action both mark findings new or unchanged here, and drop the unchanged ones
 * for `--only-new`.
 */
import { PodtrustError } from '../errors.js';
import { SEVERITIES, type Finding, type Severity } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import { FINGERPRINT_KEY } from '../engine/fingerprint.js';
import { DEFAULT_MAX_TOTAL_BYTES, readNamedFile } from '../util/input-reader.js';

/** Fingerprints of the findings a previous run reported. */
export interface Baseline {
  fingerprints: Set<string>;
  format: 'sarif' | 'json';
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sarifFingerprints(runs: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const run of runs) {
    if (!isRecord(run) || !Array.isArray(run.results)) continue;
    for (const result of run.results) {
      if (!isRecord(result) || !isRecord(result.partialFingerprints)) continue;
      const fp = result.partialFingerprints[FINGERPRINT_KEY];
      if (typeof fp === 'string') out.add(fp);
    }
  }
  return out;
}

function jsonFingerprints(findings: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const f of findings) if (isRecord(f) && typeof f.fingerprint === 'string') out.add(f.fingerprint);
  return out;
}

/** Reads a baseline from report text; `label` names it in errors. */
export function parseBaseline(text: string, label: string): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new PodtrustError('input', `baseline ${label}: not JSON (${(e as Error).message})`);
  }
  if (isRecord(data) && Array.isArray(data.runs)) return { fingerprints: sarifFingerprints(data.runs), format: 'sarif' };
  if (isRecord(data) && Array.isArray(data.findings)) return { fingerprints: jsonFingerprints(data.findings), format: 'json' };
  throw new PodtrustError('input', `baseline ${label}: neither a SARIF log nor a podtrust JSON report`);
}

/** Reads a baseline report: a file the user named (it may lie anywhere), up to `maxBytes` (`--max-total-size`). */
export function loadBaseline(file: string, maxBytes = DEFAULT_MAX_TOTAL_BYTES): Baseline {
  const read = readNamedFile(file, maxBytes);
  if (!read.ok) throw new PodtrustError('input', `baseline ${file}: ${read.note?.message ?? 'not read'}`);
  return parseBaseline(read.bytes.toString('utf8'), file);
}

function recount(findings: Finding[]): { findings: number; suppressed: number; bySeverity: Record<Severity, number> } {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else bySeverity[f.severity]++;
  }
  return { findings: findings.length - suppressed, suppressed, bySeverity };
}

/**
 * Marks every finding `new` or `unchanged`; with `onlyNew`, keeps the new ones only and the
 * summary counts only them (so does the exit status).
 */
export function applyBaseline(result: ScanResult, baseline: Baseline, options: { onlyNew?: boolean } = {}): ScanResult {
  const marked = result.findings.map(
    (f): Finding => ({ ...f, baselineState: baseline.fingerprints.has(f.fingerprint) ? 'unchanged' : 'new' }),
  );
  const findings = options.onlyNew ? marked.filter((f) => f.baselineState === 'new') : marked;
  return { ...result, findings, summary: { ...result.summary, ...recount(findings) } };
}

/** Unsuppressed findings a baseline marked new. Without a baseline every finding counts as new. */
export function newFindingCount(findings: readonly Finding[]): number {
  return findings.filter((f) => !f.suppression && f.baselineState !== 'unchanged').length;
}
