import type { CoverageNote, Finding, Location } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import type { IgnoreScope, ScanConfiguration, ConfigurationChange } from '../engine/configuration.js';
import { displayPath } from './paths.js';
import { clampRegion, locationFile } from './location.js';
import { jsonText } from './json-text.js';
import { ledgerCountsJson, ledgerListsJson } from './ledger.js';

/** Bump on any change that can break a consumer; documented in docs/json-output.md. */
export const JSON_SCHEMA_VERSION = 1;

export interface JsonLocation {
  file: string;
  line: number | null;
  column: number | null;
  endLine: number | null;
  endColumn: number | null;
  logical?: string;
  message?: string;
}

function jsonLocation(root: string, location: Location): JsonLocation {
  const region = location.position ? clampRegion(location.position) : undefined;
  return {
    file: displayPath(root, locationFile(location)).path,
    line: region?.startLine ?? null,
    column: region?.startColumn ?? null,
    endLine: region?.endLine ?? null,
    endColumn: region?.endColumn ?? null,
    ...(location.logical !== undefined ? { logical: location.logical } : {}),
    ...(location.message !== undefined ? { message: location.message } : {}),
  };
}

function jsonFinding(result: ScanResult, titles: Map<string, string>, finding: Finding) {
  const { resource } = finding;
  return {
    ruleId: finding.ruleId,
    severity: finding.severity,
    title: titles.get(finding.ruleId) ?? finding.ruleId,
    message: finding.message,
    ...(finding.messageId !== undefined ? { messageId: finding.messageId } : {}),
    resource: {
      id: resource.id,
      type: resource.type,
      name: resource.name,
      ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
      ...(resource.address !== undefined ? { address: resource.address } : {}),
    },
    location: jsonLocation(result.root, finding.location),
    related: finding.related.map((rel) => jsonLocation(result.root, rel)),
    fingerprint: finding.fingerprint,
    origin: finding.origin,
    ...(finding.suppression !== undefined
      ? { suppression: { kind: finding.suppression.kind, justification: finding.suppression.justification } }
      : {}),
    ...(finding.baselineState !== undefined ? { baselineState: finding.baselineState } : {}),
    ...(finding.evidence !== undefined ? { evidence: { ...finding.evidence } } : {}),
  };
}

function jsonNote(root: string, note: CoverageNote) {
  return {
    kind: note.kind,
    level: note.level,
    message: note.message,
    ...(note.file !== undefined ? { file: displayPath(root, note.file).path } : {}),
    ...(note.line !== undefined ? { line: note.line } : {}),
    ...(note.column !== undefined ? { column: note.column } : {}),
  };
}

/** An `ignore` entry carries only the fields written (see `scanConfiguration`). */
function jsonIgnore(entry: IgnoreScope): IgnoreScope {
  return { ...entry };
}

function jsonChange(change: ConfigurationChange) {
  return {
    turnedOff: change.turnedOff.map((r) => r.ruleId),
    lowered: change.lowered.map(({ override, from }) => ({ ruleId: override.ruleId, from, to: override.setting })),
    ignoreAdded: change.ignoresAdded.map(jsonIgnore),
  };
}

function jsonConfiguration(root: string, configuration: ScanConfiguration, change: ConfigurationChange | undefined) {
  return {
    file: configuration.file !== undefined ? displayPath(root, configuration.file).path : null,
    rules: configuration.rules.map((r) => ({ ruleId: r.ruleId, setting: r.setting, defaultSeverity: r.meta.severity })),
    ignore: configuration.ignore.map(jsonIgnore),
    ...(change !== undefined ? { changedFromBaseline: jsonChange(change) } : {}),
  };
}

export function buildJson(result: ScanResult) {
  const titles = new Map(result.rules.map((rule) => [rule.id, rule.title]));
  const { summary } = result;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: result.tool.name, version: result.tool.version, informationUri: result.tool.informationUri },
    summary: {
      files: summary.files,
      resources: summary.resources,
      findings: summary.findings,
      bySeverity: {
        critical: summary.bySeverity.critical,
        high: summary.bySeverity.high,
        medium: summary.bySeverity.medium,
        low: summary.bySeverity.low,
      },
      suppressed: summary.suppressed,
      partial: summary.partial,
      ...(summary.warnings !== undefined ? { warnings: summary.warnings } : {}),
      ...(summary.inputs !== undefined ? { inputs: ledgerCountsJson(summary) } : {}),
      ...(summary.unread !== undefined ? { unreadObjects: { count: summary.unread.count, byKind: { ...summary.unread.byKind } } } : {}),
    },
    findings: result.findings.map((finding) => jsonFinding(result, titles, finding)),
    rules: result.rules.map((rule) => ({ id: rule.id, title: rule.title, severity: rule.severity, provider: rule.provider })),
    notes: result.notes.map((note) => jsonNote(result.root, note)),
    ...(result.inputs !== undefined ? { inputs: ledgerListsJson(result.inputs, (file) => displayPath(result.root, file).path) } : {}),
    ...(result.configuration !== undefined ? { configuration: jsonConfiguration(result.root, result.configuration, result.configurationChange) } : {}),
  };
}

export type JsonReport = ReturnType<typeof buildJson>;

export function renderJson(result: ScanResult): string {
  return `${jsonText(buildJson(result))}\n`;
}
