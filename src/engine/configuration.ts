/**
 * What the configuration file changed about a scan — rules turned off or given another
 * severity, `ignore` entries — in a form every report carries, and how it widened against a
 * baseline. A pull request can change `.podtrust.yaml`; nothing it turns off may go unseen.
 */
import { SEVERITY_RANK, type Severity } from '../model/types.js';
import type { PodtrustConfig } from './config.js';
import type { RuleMeta } from './rule-api.js';

export interface RuleOverride {
  ruleId: string;
  /** `off`, or the severity the configuration gives the rule. */
  setting: 'off' | Severity;
  /** The rule as the catalog has it (its own severity). */
  meta: RuleMeta;
}

/** One `ignore` entry as written: its scope and reason. */
export interface IgnoreScope {
  /** A rule id, or `*` for every rule. */
  rule: string;
  /** Path glob, relative to the root; absent: every path. */
  path?: string;
  /** Resource name or id glob; absent: every resource. */
  resource?: string;
  reason: string;
  /** `YYYY-MM-DD`; absent: never. */
  expires?: string;
  /** Line of the entry in the configuration file. */
  line?: number;
}

export interface ScanConfiguration {
  /** The configuration file read (absolute), when there was one. */
  file?: string;
  /** Rules turned off or re-graded, in catalog order. */
  rules: RuleOverride[];
  ignore: IgnoreScope[];
}

/** What a baseline report says of its configuration: enough to compare, not to display. */
export interface BaselineConfiguration {
  rules: { ruleId: string; setting: 'off' | Severity }[];
  ignore: IgnoreScope[];
}

/** What a change widened compared with a baseline's configuration. */
export interface ConfigurationChange {
  /** Rules off now that were on in the baseline. */
  turnedOff: RuleOverride[];
  /** Rules graded lower now than in the baseline. */
  lowered: { override: RuleOverride; from: Severity }[];
  /** Entries whose scope (rule, path, resource, expiry) the baseline did not have. */
  ignoresAdded: IgnoreScope[];
}

/** The configuration's effect, with each overridden rule's metadata from the catalog. */
export function scanConfiguration(config: PodtrustConfig, catalog: readonly RuleMeta[]): ScanConfiguration {
  const rules: RuleOverride[] = [];
  for (const meta of catalog) {
    const setting = config.rules[meta.id];
    if (setting === undefined || setting === 'on') continue;
    rules.push({ ruleId: meta.id, setting, meta });
  }
  const ignore = config.ignore.map(
    (entry): IgnoreScope => ({
      rule: entry.rule,
      ...(entry.path !== undefined ? { path: entry.path } : {}),
      ...(entry.resource !== undefined ? { resource: entry.resource } : {}),
      reason: entry.reason,
      ...(entry.expires !== undefined ? { expires: entry.expires } : {}),
      ...(entry.line !== undefined ? { line: entry.line } : {}),
    }),
  );
  return { ...(config.file !== undefined ? { file: config.file } : {}), rules, ignore };
}

function scopeKey(entry: IgnoreScope): string {
  return JSON.stringify([entry.rule, entry.path ?? '', entry.resource ?? '', entry.expires ?? '']);
}

/** The severity a rule runs with under a configuration; `off` when it does not run. */
function effective(configuration: BaselineConfiguration, override: RuleOverride): 'off' | Severity {
  return configuration.rules.find((r) => r.ruleId === override.ruleId)?.setting ?? override.meta.severity;
}

/** How `now` widened what `base` checked; undefined when it did not. */
export function configurationChange(base: BaselineConfiguration, now: ScanConfiguration): ConfigurationChange | undefined {
  const turnedOff: RuleOverride[] = [];
  const lowered: ConfigurationChange['lowered'] = [];
  for (const override of now.rules) {
    const before = effective(base, override);
    if (before === 'off') continue;
    if (override.setting === 'off') turnedOff.push(override);
    else if (SEVERITY_RANK[override.setting] > SEVERITY_RANK[before]) lowered.push({ override, from: before });
  }
  const known = new Set(base.ignore.map(scopeKey));
  const ignoresAdded = now.ignore.filter((entry) => !known.has(scopeKey(entry)));
  if (turnedOff.length + lowered.length + ignoresAdded.length === 0) return undefined;
  return { turnedOff, lowered, ignoresAdded };
}
