/**
 * Runs rules over the model and turns their reports into findings: resolves locations,
 * computes fingerprints, applies in-source and configured suppressions. A rule that throws
 * is reported as a coverage note; the others still run.
 */
import type { CoverageNote, Finding, Resource, Severity } from '../model/types.js';
import { SEVERITY_RANK } from '../model/types.js';
import type { Model } from '../model/model.js';
import type { CodeRule, Report, RuleMeta } from './rule-api.js';
import { locate, positionOf } from '../model/locate.js';
import { fingerprint } from './fingerprint.js';
import { reportMessage } from './messages.js';
import type { PodtrustConfig } from './config.js';
import { externalSuppression } from './config.js';
import { cutText, MESSAGE_CHARACTERS, shown } from '../util/input-text.js';

export interface EngineOutput {
  findings: Finding[];
  notes: CoverageNote[];
  rules: RuleMeta[];
}

/** Rules enabled by the configuration, with severity overrides applied to their metadata. */
export function selectRules(all: readonly CodeRule[], config: PodtrustConfig): CodeRule[] {
  const out: CodeRule[] = [];
  for (const rule of all) {
    const setting = config.rules[rule.meta.id];
    if (setting === 'off') continue;
    if (setting && setting !== 'on') out.push({ ...rule, meta: { ...rule.meta, severity: setting } });
    else out.push(rule);
  }
  return out;
}

export function runRules(model: Model, rules: readonly CodeRule[], config: PodtrustConfig, root: string, now = new Date()): EngineOutput {
  const findings: Finding[] = [];
  const notes: CoverageNote[] = [];
  for (const rule of rules) {
    const override = config.rules[rule.meta.id];
    const forced: Severity | undefined = override && override !== 'on' && override !== 'off' ? override : undefined;
    const seen = new Set<string>();
    try {
      rule.check({
        model,
        undecided: (resource, at, what) => {
          addNote(notes, resource, at, { kind: 'unresolved', level: 'note', message: `${shown(resource.name)}: ${what} is not known statically; ${rule.meta.id} did not decide it` });
        },
        limited: (resource, at, what, limit) => {
          addNote(notes, resource, at, { kind: 'limit', level: 'warning', message: `${shown(resource.name)}: ${what} was not fully decided (${limit.message}); ${rule.meta.id} reported only what it proved` });
        },
        report: (r: Report) => {
          const finding = toFinding(rule.meta, r, forced);
          // The same message at the same place once: a module's statements all anchored at its call read as one.
          const at = finding.location;
          const place = `${finding.resource.id}\u0000${at.file}\u0000${at.position?.line ?? ''}:${at.position?.column ?? ''}\u0000${finding.message}`;
          if (seen.has(finding.fingerprint) || seen.has(place)) return;
          seen.add(finding.fingerprint);
          seen.add(place);
          applySuppressions(finding, r.resource, config, root, now, notes);
          findings.push(finding);
        },
      });
    } catch (e) {
      notes.push({ kind: 'rule-error', level: 'error', message: `rule ${rule.meta.id} failed and was skipped: ${(e as Error).message}` });
    }
  }
  return { findings, notes, rules: rules.map((r) => r.meta) };
}

/** A note at the closest known position of `at`, once. */
function addNote(notes: CoverageNote[], resource: Resource, at: string, note: Omit<CoverageNote, 'file' | 'line'>): void {
  const pos = positionOf(resource, at);
  const full: CoverageNote = { ...note, file: pos?.file ?? resource.file };
  if (pos) full.line = pos.line;
  if (!notes.some((n) => n.file === full.file && n.line === full.line && n.message === full.message)) notes.push(full);
}

function toFinding(meta: RuleMeta, r: Report, forced: Severity | undefined): Finding {
  const res = r.resource;
  const finding: Finding = {
    ruleId: meta.id,
    severity: forced ?? r.severity ?? meta.severity,
    // Rules quote input through src/util/input-text.ts; this bounds what they may have missed.
    message: cutText(reportMessage(meta, r), MESSAGE_CHARACTERS),
    resource: { id: res.id, type: res.type, name: res.name },
    pointer: r.at,
    location: locate(res, r.at),
    related: (r.related ?? []).map((rel) => ({ ...locate(rel.resource, rel.at, rel.message ?? `${rel.resource.type.replace(/^k8s\./, '')} ${rel.resource.name}`), resourceId: rel.resource.id })),
    fingerprint: fingerprint(meta.id, res.id, r.at, r.key),
    origin: res.format === 'live' ? 'live' : 'iac',
  };
  if (res.namespace !== undefined) finding.resource.namespace = res.namespace;
  if (res.address !== undefined) finding.resource.address = res.address;
  if (res.via) finding.related.push({ file: res.via.file, position: res.via.position, message: `through module ${res.via.module}` });
  if (res.via?.definedAt) finding.related.push({ file: res.via.definedAt.file, position: res.via.definedAt.position, message: `defined in module ${res.via.module}` });
  if (res.via?.assumption) finding.message += ` (${res.via.assumption})`;
  if (r.evidence) finding.evidence = r.evidence;
  if (r.messageId !== undefined) finding.messageId = r.messageId;
  return finding;
}

function pointerCovers(scope: string, pointer: string): boolean {
  return scope === '' || pointer === scope || pointer.startsWith(scope + '/');
}

function applySuppressions(finding: Finding, resource: Resource, config: PodtrustConfig, root: string, now: Date, notes: CoverageNote[]): void {
  for (const s of resource.suppressions ?? []) {
    if (s.ruleId !== finding.ruleId || !pointerCovers(s.pointer, finding.pointer)) continue;
    if (s.justification === '') {
      const n: CoverageNote = { kind: 'unsupported', level: 'warning', file: resource.file, message: `suppression of ${s.ruleId} has no reason and is ignored: give the reason as the annotation's value, or after the rule id in a comment` };
      if (s.position) n.line = s.position.line;
      if (!notes.some((x) => x.file === n.file && x.line === n.line && x.message === n.message)) notes.push(n);
      continue;
    }
    finding.suppression = { kind: 'inSource', justification: s.justification };
    return;
  }
  const external = externalSuppression(config, finding, root, now);
  if (external.reason !== undefined) finding.suppression = { kind: 'external', justification: external.reason };
  for (const entry of external.expired) {
    const n: CoverageNote = { kind: 'unsupported', level: 'warning', message: `ignore entry for ${entry.rule} expired on ${entry.expires}: its findings are reported again` };
    if (config.file) n.file = config.file;
    if (entry.line !== undefined) n.line = entry.line;
    if (!notes.some((x) => x.file === n.file && x.line === n.line && x.message === n.message)) notes.push(n);
  }
}

/** Deterministic order: severity, file, line, column, rule, fingerprint. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => {
    const d = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
    if (d !== 0) return d;
    if (a.location.file !== b.location.file) return a.location.file < b.location.file ? -1 : 1;
    const la = a.location.position?.line ?? 0;
    const lb = b.location.position?.line ?? 0;
    if (la !== lb) return la - lb;
    const ca = a.location.position?.column ?? 0;
    const cb = b.location.position?.column ?? 0;
    if (ca !== cb) return ca - cb;
    if (a.ruleId !== b.ruleId) return a.ruleId < b.ruleId ? -1 : 1;
    return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
  });
}

/** True when a severity is at or above a threshold. */
export function atOrAbove(severity: Severity, threshold: Severity | 'none'): boolean {
  if (threshold === 'none') return false;
  return SEVERITY_RANK[severity] <= SEVERITY_RANK[threshold];
}
