/** The configuration's effect in words, for the table and the job summary alike. */
import type { ConfigurationChange, IgnoreScope, RuleOverride, ScanConfiguration } from '../engine/configuration.js';
import { shownPath } from './paths.js';

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** `every rule · path infra/** · every resource · until 2027-03-31 · reason: Being replaced` */
export function ignoreScopeText(entry: IgnoreScope): string {
  return [
    entry.rule === '*' ? 'every rule' : `rule ${entry.rule}`,
    entry.path !== undefined ? `path ${entry.path}` : 'every path',
    entry.resource !== undefined ? `resource ${entry.resource}` : 'every resource',
    entry.expires !== undefined ? `until ${entry.expires}` : 'no expiry',
    `reason: ${entry.reason}`,
  ].join(' · ');
}

export function ruleOverrideText(override: RuleOverride): string {
  return override.setting === 'off'
    ? `${override.ruleId} off (a ${override.meta.severity} rule)`
    : `${override.ruleId} graded ${override.setting} (its own severity: ${override.meta.severity})`;
}

/** A heading and one item per rule override and ignore entry; none when the configuration changes nothing. */
export function configurationLines(configuration: ScanConfiguration | undefined, root: string): { heading: string; items: string[] } | undefined {
  if (configuration === undefined || configuration.rules.length + configuration.ignore.length === 0) return undefined;
  const file = configuration.file !== undefined ? shownPath(root, configuration.file) : 'the configuration';
  const off = configuration.rules.filter((r) => r.setting === 'off').length;
  const parts = [
    off > 0 ? `${count(off, 'rule')} off` : '',
    configuration.rules.length > off ? `${count(configuration.rules.length - off, 'rule')} re-graded` : '',
    configuration.ignore.length > 0 ? count(configuration.ignore.length, 'ignore entry', 'ignore entries') : '',
  ].filter((p) => p !== '');
  const where = (entry: IgnoreScope): string => (entry.line !== undefined ? ` (line ${entry.line})` : '');
  return {
    heading: `Configuration ${file}: ${parts.join(', ')}`,
    items: [
      ...configuration.rules.map((r) => `rule ${ruleOverrideText(r)}`),
      ...configuration.ignore.map((entry) => `ignore ${ignoreScopeText(entry)}${where(entry)}`),
    ],
  };
}

/** What a change widened against its baseline: a heading and one item each. */
export function changeLines(change: ConfigurationChange | undefined): { heading: string; items: string[] } | undefined {
  if (change === undefined) return undefined;
  const parts = [
    change.turnedOff.length > 0 ? `turns off ${count(change.turnedOff.length, 'rule')}` : '',
    change.lowered.length > 0 ? `lowers the severity of ${count(change.lowered.length, 'rule')}` : '',
    change.ignoresAdded.length > 0 ? `adds ${count(change.ignoresAdded.length, 'ignore entry', 'ignore entries')}` : '',
  ].filter((p) => p !== '');
  return {
    heading: `Compared with the baseline, this change ${parts.join(', ')}`,
    items: [
      ...change.turnedOff.map((r) => `turned off: ${r.ruleId} (a ${r.meta.severity} rule)`),
      ...change.lowered.map(({ override, from }) => `lowered: ${override.ruleId} from ${from} to ${override.setting}`),
      ...change.ignoresAdded.map((entry) => `ignore entry added: ${ignoreScopeText(entry)}`),
    ],
  };
}
