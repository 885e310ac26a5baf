import { pathToFileURL } from 'node:url';
import { ruleHelpUri } from './finding-records.js';
import type * as Sarif from 'sarif';
import { SEVERITY_RANK, type CoverageNote, type Finding, type Location } from '../model/types.js';
import type { RuleMeta } from '../engine/rule-api.js';
import type { ScanResult } from '../engine/result.js';
import type { IgnoreScope, ScanConfiguration } from '../engine/configuration.js';
import { ignoreScopeText } from './configuration-text.js';
import { FINGERPRINT_KEY } from '../engine/fingerprint.js';
import { baseName, displayPath, encodeUriPath } from './paths.js';
import { clampRegion, locationFile } from './location.js';
import { pascalCase } from './pascal-case.js';
import { problemSeverity, sarifLevel, securitySeverity } from './severity.js';
import { jsonText } from './json-text.js';
import { ledgerCountsJson, ledgerListsJson } from './ledger.js';
import { createHash } from 'node:crypto';

const SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const SRCROOT = '%SRCROOT%';

// GitHub code scanning rejects a run above these and shows only part of a rule's tags.
const MAX_RESULTS_PER_RUN = 25_000;
const MAX_RELATED_LOCATIONS = 10;
const MAX_TAGS_PER_RULE = 10;

const CONFIG_FILE = /^\.podtrust\.ya?ml$/;
/** `properties.kind` of the notifications that carry `ignore` entries (read back by baselines). */
export const IGNORE_NOTIFICATION = 'ignore';

/** Maps scanned files to artifact URIs under `%SRCROOT%` and remembers those outside the root. */
class ArtifactMapper {
  readonly outside = new Map<string, string>();

  constructor(private readonly root: string) {}

  artifact(file: string): Sarif.ArtifactLocation {
    const shown = displayPath(this.root, file);
    if (!shown.outsideRoot) return { uri: encodeUriPath(shown.path), uriBaseId: SRCROOT };
    return { uri: encodeUriPath(this.substitute(file)), uriBaseId: SRCROOT, properties: { outsideRoot: true } };
  }

  /** The file relative to the root, or the substitute of a file outside it. */
  path(file: string): string {
    const shown = displayPath(this.root, file);
    return shown.outsideRoot ? this.substitute(file) : shown.path;
  }

  // Never emit `../`: a consumer would resolve it outside the checkout.
  // One folder per outside file, so two outside files with one name stay two artifacts.
  private substitute(file: string): string {
    const name = baseName(file);
    const substitute = `external/${createHash('sha256').update(file).digest('hex').slice(0, 8)}/${name === '.' || name === '..' ? 'unnamed' : name}`;
    this.outside.set(file, substitute);
    return substitute;
  }

  physical(location: Location): Sarif.PhysicalLocation {
    const artifactLocation = this.artifact(locationFile(location));
    const region = location.position ? clampRegion(location.position) : { startLine: 1, startColumn: 1 };
    return { artifactLocation, region };
  }
}


function helpText(rule: RuleMeta): Sarif.MultiformatMessageString {
  const references = rule.references.map((ref) => `- ${ref}`).join('\n');
  const text = [rule.description, `Remediation: ${rule.remediation}`, references ? `References:\n${references}` : '']
    .filter((part) => part !== '')
    .join('\n\n');
  const markdown = [
    rule.description,
    `## Remediation\n\n${rule.remediation}`,
    references ? `## References\n\n${references}` : '',
  ]
    .filter((part) => part !== '')
    .join('\n\n');
  return { text, markdown };
}

function ruleTags(rule: RuleMeta): string[] {
  return [...new Set(['security', rule.provider, ...(rule.tags ?? [])])].slice(0, MAX_TAGS_PER_RULE);
}

function buildRule(result: ScanResult, rule: RuleMeta): Sarif.ReportingDescriptor {
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: helpText(rule),
    helpUri: ruleHelpUri(result, rule.id),
    defaultConfiguration: { level: sarifLevel(rule.severity) },
    properties: {
      'security-severity': securitySeverity(rule.severity),
      tags: ruleTags(rule),
      precision: 'high',
      'problem.severity': problemSeverity(rule.severity),
    },
  };
}

/** `ruleConfigurationOverrides`: each rule turned off or re-graded, pointing at its descriptor. */
function buildOverrides(configuration: ScanConfiguration, ruleIndex: Map<string, number>): Sarif.ConfigurationOverride[] {
  return configuration.rules.map((rule) => ({
    descriptor: { id: rule.ruleId, index: ruleIndex.get(rule.ruleId)! },
    configuration:
      rule.setting === 'off'
        ? { enabled: false }
        : { level: sarifLevel(rule.setting), properties: { severity: rule.setting, defaultSeverity: rule.meta.severity } },
  }));
}

/** One configuration notification per `ignore` entry, at its line, with its scope as data. */
function buildIgnoreNotification(entry: IgnoreScope, file: string | undefined, artifacts: ArtifactMapper): Sarif.Notification {
  const { line, ...scope } = entry;
  const notification: Sarif.Notification = {
    level: 'note',
    message: { text: `ignore entry: ${ignoreScopeText(entry)}` },
    properties: { kind: IGNORE_NOTIFICATION, ignore: scope },
  };
  if (file !== undefined) {
    notification.locations = [{ physicalLocation: { artifactLocation: artifacts.artifact(file), region: { startLine: Math.max(1, line ?? 1) } } }];
  }
  return notification;
}

/** The findings GitHub will accept, most severe first when there are too many; otherwise all, as given. */
function selectFindings(findings: Finding[]): { kept: Finding[]; leftOut: number } {
  if (findings.length <= MAX_RESULTS_PER_RUN) return { kept: findings, leftOut: 0 };
  const ranked = findings
    .map((finding, index) => ({ finding, index }))
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.finding.severity] - SEVERITY_RANK[b.finding.severity] ||
        Number(a.finding.suppression !== undefined) - Number(b.finding.suppression !== undefined) ||
        a.index - b.index,
    );
  const keptIndexes = ranked
    .slice(0, MAX_RESULTS_PER_RUN)
    .map((entry) => entry.index)
    .sort((a, b) => a - b);
  return { kept: keptIndexes.map((i) => findings[i]!), leftOut: findings.length - MAX_RESULTS_PER_RUN };
}

function buildResult(finding: Finding, ruleIndex: Map<string, number>, artifacts: ArtifactMapper): Sarif.Result {
  const location: Sarif.Location = { physicalLocation: artifacts.physical(finding.location) };
  if (finding.location.logical !== undefined) {
    location.logicalLocations = [{ fullyQualifiedName: finding.location.logical }];
  }
  const related = finding.related.slice(0, MAX_RELATED_LOCATIONS).map(
    (rel, i): Sarif.Location => ({
      id: i + 1,
      physicalLocation: artifacts.physical(rel),
      ...(rel.logical !== undefined ? { logicalLocations: [{ fullyQualifiedName: rel.logical }] } : {}),
      message: { text: rel.message ?? 'Related location.' },
    }),
  );
  const properties: Sarif.PropertyBag = { 'security-severity': securitySeverity(finding.severity) };
  if (finding.evidence !== undefined) properties['evidence'] = { ...finding.evidence };

  const index = ruleIndex.get(finding.ruleId);
  return {
    ruleId: finding.ruleId,
    ...(index !== undefined ? { ruleIndex: index } : {}),
    level: sarifLevel(finding.severity),
    message: { text: finding.message },
    locations: [location],
    ...(related.length > 0 ? { relatedLocations: related } : {}),
    partialFingerprints: { [FINGERPRINT_KEY]: finding.fingerprint },
    ...(finding.suppression !== undefined
      ? {
          suppressions: [
            { kind: finding.suppression.kind, justification: finding.suppression.justification, status: 'accepted' as const },
          ],
        }
      : {}),
    ...(finding.baselineState !== undefined ? { baselineState: finding.baselineState } : {}),
    properties,
  };
}

function buildNotification(note: CoverageNote, artifacts: ArtifactMapper): Sarif.Notification {
  const notification: Sarif.Notification = {
    level: note.level,
    message: { text: note.message },
    properties: { kind: note.kind },
  };
  if (note.file !== undefined) {
    const region: Sarif.Region = { startLine: Math.max(1, Math.trunc(note.line ?? 1)) };
    if (note.column !== undefined) region.startColumn = Math.max(1, Math.trunc(note.column));
    notification.locations = [{ physicalLocation: { artifactLocation: artifacts.artifact(note.file), region } }];
  }
  return notification;
}

function isConfigurationNote(note: CoverageNote): boolean {
  return note.file !== undefined && CONFIG_FILE.test(baseName(note.file));
}

function rootUri(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

export function buildSarif(result: ScanResult): Sarif.Log {
  const artifacts = new ArtifactMapper(result.root);
  const offRules = (result.configuration?.rules ?? []).filter((rule) => rule.setting === 'off');
  // Rules turned off did not run; they are described all the same, for their overrides to refer to.
  const descriptors = [...result.rules, ...offRules.map((rule) => rule.meta)].map((rule) => buildRule(result, rule));
  const ruleIndex = new Map(descriptors.map((rule, i) => [rule.id, i]));
  const { kept, leftOut } = selectFindings(result.findings);
  const results = kept.map((finding) => buildResult(finding, ruleIndex, artifacts));

  // Notes about the run itself (a worker thread that failed) are reported whatever their level.
  const reported = result.notes.filter((note) => note.level !== 'note' || note.kind === 'worker-failed');
  const configuration = reported.filter(isConfigurationNote).map((note) => buildNotification(note, artifacts));
  for (const entry of result.configuration?.ignore ?? []) configuration.push(buildIgnoreNotification(entry, result.configuration?.file, artifacts));
  const execution = reported.filter((note) => !isConfigurationNote(note)).map((note) => buildNotification(note, artifacts));
  if (leftOut > 0) {
    execution.push({
      level: 'warning',
      message: {
        text: `${leftOut} results were left out: GitHub accepts at most ${MAX_RESULTS_PER_RUN} results per run, so the most severe were kept.`,
      },
      properties: { kind: 'limit' },
    });
  }
  // The ledger's files as the artifacts name them: relative to the root, an outside file by its substitute.
  const inputs = result.inputs !== undefined ? ledgerListsJson(result.inputs, (file) => artifacts.path(file)) : undefined;
  for (const [file, substitute] of artifacts.outside) {
    execution.push({
      level: 'note',
      message: { text: `${file} lies outside the root ${result.root}; it is reported as ${substitute}.` },
      properties: { kind: 'outside-root' },
    });
  }

  const invocation: Sarif.Invocation = { executionSuccessful: !result.summary.partial };
  if (execution.length > 0) invocation.toolExecutionNotifications = execution;
  if (configuration.length > 0) invocation.toolConfigurationNotifications = configuration;
  // Present even when empty: a baseline then knows this run's configuration turned nothing off.
  if (result.configuration !== undefined) invocation.ruleConfigurationOverrides = buildOverrides(result.configuration, ruleIndex);

  return {
    $schema: SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: result.tool.name,
            version: result.tool.version,
            semanticVersion: result.tool.version,
            informationUri: result.tool.informationUri,
            rules: descriptors,
          },
        },
        invocations: [invocation],
        originalUriBaseIds: { [SRCROOT]: { uri: rootUri(result.root) } },
        results,
        columnKind: 'utf16CodeUnits',
        ...(inputs !== undefined ? { properties: { inputCounts: ledgerCountsJson(result.summary), inputs } } : {}),
      },
    ],
  };
}

export function renderSarif(result: ScanResult): string {
  return `${jsonText(buildSarif(result))}\n`;
}
