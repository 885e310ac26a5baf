/**
 * GitLab's SAST security report (schema 15.0.7), which GitLab reads where it does not read SARIF:
 * merge request widget, pipeline security tab, vulnerability report. One vulnerability per
 * unsuppressed finding: the rule id is the primary identifier, severity capitalised, file and
 * start line; coverage notes become scan messages.
 */
import { createHash } from 'node:crypto';
import type { ScanResult } from '../engine/result.js';
import type { Severity } from '../model/types.js';
import { findingRecords, truncate, type FindingRecord } from './finding-records.js';
import { displayPath } from './paths.js';
import { jsonText } from './json-text.js';

export const GITLAB_SCHEMA_VERSION = '15.0.7';
const SCHEMA_URL = `https://gitlab.com/gitlab-org/security-products/security-report-schemas/-/raw/v${GITLAB_SCHEMA_VERSION}/dist/sast-report-format.json`;

const GITLAB_SEVERITY: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

export interface TimedRenderOptions {
  startedAt?: Date;
  finishedAt?: Date;
}

/** `yyyy-mm-ddThh:mm:ss` in UTC, as the schema requires. */
function gitlabTime(d: Date): string {
  return d.toISOString().slice(0, 19);
}

/** A UUID-shaped id derived from the fingerprint: stable across runs, so GitLab tracks one vulnerability. */
function vulnerabilityId(fingerprint: string): string {
  const h = createHash('sha256').update(`podtrust:${fingerprint}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

function vulnerability(r: FindingRecord) {
  const links = (r.rule?.references ?? []).filter((u) => /^https?:\/\/./.test(u)).map((url) => ({ url }));
  return {
    id: vulnerabilityId(r.finding.fingerprint),
    name: truncate(r.title, 255),
    description: truncate(r.message, 1_048_576),
    severity: GITLAB_SEVERITY[r.severity],
    ...(r.rule ? { solution: truncate(r.rule.remediation, 7000) } : {}),
    identifiers: [{ type: 'podtrust_rule_id', name: r.ruleId, value: r.ruleId, url: r.helpUri }],
    ...(links.length > 0 ? { links } : {}),
    location: {
      file: r.file,
      ...(r.startLine !== undefined ? { start_line: r.startLine, end_line: r.endLine ?? r.startLine } : {}),
    },
  };
}

export function renderGitlab(result: ScanResult, opts: TimedRenderOptions = {}): string {
  const finished = opts.finishedAt ?? new Date();
  const started = opts.startedAt ?? finished;
  const component = { id: 'podtrust', name: 'podtrust', version: result.tool.version, vendor: { name: 'podtrust' }, url: result.tool.informationUri };
  const messages = result.notes.map((n) => ({
    level: n.level === 'note' ? 'info' : 'warn',
    value: `${n.file ? `${displayPath(result.root, n.file).path}${n.line ? `:${n.line}` : ''}: ` : ''}${n.message} (${n.kind})`,
  }));
  const report = {
    version: GITLAB_SCHEMA_VERSION,
    schema: SCHEMA_URL,
    scan: {
      analyzer: component,
      scanner: component,
      type: 'sast',
      start_time: gitlabTime(started),
      end_time: gitlabTime(finished),
      status: 'success',
      ...(messages.length > 0 ? { messages } : {}),
    },
    vulnerabilities: findingRecords(result).map(vulnerability),
  };
  return jsonText(report);
}
