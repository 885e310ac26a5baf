/**
 * Baselines: a previous SARIF or JSON report says which findings existed before, and what its
 * configuration turned off. The CLI and the GitHub Action both mark findings new or unchanged
 * here, drop the unchanged ones for `--only-new`, and compare the configurations.
 */
import { PodtrustError } from '../errors.js';
import { SEVERITIES, type Finding, type Severity } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import { FINGERPRINT_KEY } from '../engine/fingerprint.js';
import { DEFAULT_MAX_TOTAL_BYTES, readNamedFile } from '../util/input-reader.js';
import { configurationChange, type BaselineConfiguration, type IgnoreScope } from '../engine/configuration.js';
import { IGNORE_NOTIFICATION } from '../reporters/sarif.js';

/** Fingerprints of the findings a previous run reported. */
export interface Baseline {
  fingerprints: Set<string>;
  format: 'sarif' | 'json';
  /** Absent when the report does not say (written by an older podtrust). */
  configuration?: BaselineConfiguration;
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

function isSeverity(v: unknown): v is Severity {
  return typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v);
}

function optionalString(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** An `ignore` entry as a report wrote it, or undefined when it is not one. */
function ignoreScope(v: unknown): IgnoreScope | undefined {
  if (!isRecord(v) || typeof v.rule !== 'string' || typeof v.reason !== 'string') return undefined;
  const path = optionalString(v.path);
  const resource = optionalString(v.resource);
  const expires = optionalString(v.expires);
  return {
    rule: v.rule,
    ...(path !== undefined ? { path } : {}),
    ...(resource !== undefined ? { resource } : {}),
    reason: v.reason,
    ...(expires !== undefined ? { expires } : {}),
  };
}

function defined<T>(items: (T | undefined)[]): T[] {
  return items.filter((item): item is T => item !== undefined);
}

/** `ruleConfigurationOverrides` and the ignore notifications of podtrust's SARIF invocations. */
function sarifConfiguration(runs: unknown[]): BaselineConfiguration | undefined {
  let found = false;
  const configuration: BaselineConfiguration = { rules: [], ignore: [] };
  for (const run of runs) {
    if (!isRecord(run) || !Array.isArray(run.invocations)) continue;
    const driver = isRecord(run.tool) && isRecord(run.tool.driver) ? run.tool.driver : {};
    const descriptors = Array.isArray(driver.rules) ? driver.rules : [];
    for (const invocation of run.invocations) {
      if (!isRecord(invocation) || !Array.isArray(invocation.ruleConfigurationOverrides)) continue;
      found = true;
      for (const override of invocation.ruleConfigurationOverrides) {
        if (!isRecord(override) || !isRecord(override.descriptor) || !isRecord(override.configuration)) continue;
        const { descriptor, configuration: setting } = override;
        const byIndex = typeof descriptor.index === 'number' ? descriptors[descriptor.index] : undefined;
        const ruleId = optionalString(descriptor.id) ?? (isRecord(byIndex) ? optionalString(byIndex.id) : undefined);
        const severity = isRecord(setting.properties) ? setting.properties.severity : undefined;
        if (ruleId === undefined) continue;
        if (setting.enabled === false) configuration.rules.push({ ruleId, setting: 'off' });
        else if (isSeverity(severity)) configuration.rules.push({ ruleId, setting: severity });
      }
      const notifications = Array.isArray(invocation.toolConfigurationNotifications) ? invocation.toolConfigurationNotifications : [];
      configuration.ignore.push(
        ...defined(notifications.map((n) => (isRecord(n) && isRecord(n.properties) && n.properties.kind === IGNORE_NOTIFICATION ? ignoreScope(n.properties.ignore) : undefined))),
      );
    }
  }
  return found ? configuration : undefined;
}

/** The `configuration` field of a JSON report. */
function jsonConfiguration(v: unknown): BaselineConfiguration | undefined {
  if (!isRecord(v) || !Array.isArray(v.rules) || !Array.isArray(v.ignore)) return undefined;
  const rules = v.rules.flatMap((r): BaselineConfiguration['rules'] =>
    isRecord(r) && typeof r.ruleId === 'string' && (r.setting === 'off' || isSeverity(r.setting)) ? [{ ruleId: r.ruleId, setting: r.setting }] : [],
  );
  return { rules, ignore: defined(v.ignore.map(ignoreScope)) };
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
  if (isRecord(data) && Array.isArray(data.runs)) {
    const configuration = sarifConfiguration(data.runs);
    return { fingerprints: sarifFingerprints(data.runs), format: 'sarif', ...(configuration !== undefined ? { configuration } : {}) };
  }
  if (isRecord(data) && Array.isArray(data.findings)) {
    const configuration = jsonConfiguration(data.configuration);
    return { fingerprints: jsonFingerprints(data.findings), format: 'json', ...(configuration !== undefined ? { configuration } : {}) };
  }
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
 * summary counts only them (so does the exit status). When the baseline says what its
 * configuration turned off, notes what this scan's configuration widened.
 */
export function applyBaseline(result: ScanResult, baseline: Baseline, options: { onlyNew?: boolean } = {}): ScanResult {
  const marked = result.findings.map(
    (f): Finding => ({ ...f, baselineState: baseline.fingerprints.has(f.fingerprint) ? 'unchanged' : 'new' }),
  );
  const findings = options.onlyNew ? marked.filter((f) => f.baselineState === 'new') : marked;
  const change = baseline.configuration && result.configuration ? configurationChange(baseline.configuration, result.configuration) : undefined;
  return { ...result, findings, summary: { ...result.summary, ...recount(findings) }, ...(change !== undefined ? { configurationChange: change } : {}) };
}

/** Unsuppressed findings a baseline marked new. Without a baseline every finding counts as new. */
export function newFindingCount(findings: readonly Finding[]): number {
  return findings.filter((f) => !f.suppression && f.baselineState !== 'unchanged').length;
}
