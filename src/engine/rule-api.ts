import { SEVERITIES, type Resource, type Severity } from '../model/types.js';
import type { Model } from '../model/model.js';

export type RuleProvider = 'aws' | 'azure' | 'gcp' | 'kubernetes' | 'cross';

/** Everything known about a rule; the single source for SARIF `rules[]`, `podtrust rules` and the docs. */
export interface RuleMeta {
  /** kebab-case, stable; equals the rule file name and the fixture folder name. */
  id: string;
  title: string;
  /** The highest severity the rule reports (rules graded by context report lower ones per finding). */
  severity: Severity;
  /** Rules graded by context: the lowest severity a finding of the rule gets. */
  lowestSeverity?: Severity;
  provider: RuleProvider;
  /** Why it matters; Markdown. */
  description: string;
  /** How to fix it; Markdown. Mandatory. */
  remediation: string;
  references: string[];
  tags?: string[];
  /** Short configuration snippets; shown in the rule docs. */
  examples?: { bad?: string; good?: string };
  /**
   * The rule's messages by id (ESLint's `meta.messages`): a report names one with `messageId`,
   * and `{{name}}` in it stands for `data.name`. Fixtures name the id each finding uses.
   */
  messages?: Record<string, string>;
}

/** What a rule reports. The engine resolves `at` to the closest known file position. */
export type Report = ReportFields & (
  | { message: string; messageId?: never; data?: never }
  /** One of the rule's `meta.messages`, its placeholders filled from `data` (text a message shows, already cut by the rule). */
  | { messageId: string; data?: Record<string, string | number>; message?: never }
);

interface ReportFields {
  resource: Resource;
  /** JSON pointer into `resource.body`. */
  at: string;
  /** Defaults to the rule's severity. */
  severity?: Severity;
  related?: { resource: Resource; at: string; message?: string }[];
  /** Distinguishes several findings of one rule at one pointer (e.g. the credential kind). Never a secret. */
  key?: string;
  evidence?: Record<string, string>;
}

export interface RuleContext {
  readonly model: Model;
  report(report: Report): void;
  /**
   * The rule met a value it cannot decide (an unresolved expression where the value matters):
   * it reports nothing there, and the scan counts it in its coverage notes.
   */
  undecided(resource: Resource, at: string, what: string): void;
  /**
   * A question about the input stopped at a work limit (the wildcard analysis past its step
   * budget: the error names it): the rule reports only what it proved, and the scan names the
   * limit in its coverage notes.
   */
  limited(resource: Resource, at: string, what: string, limit: Error): void;
}

/** A rule: its metadata and a check over the model (one file per rule under rules/, found by the generated index). */
export interface CodeRule {
  meta: RuleMeta;
  check(ctx: RuleContext): void;
}

/** The severities a rule's findings can have, highest first. */
export function severityRange(meta: Pick<RuleMeta, 'severity' | 'lowestSeverity'>): Severity[] {
  const from = SEVERITIES.indexOf(meta.severity);
  const to = SEVERITIES.indexOf(meta.lowestSeverity ?? meta.severity);
  return SEVERITIES.slice(from, Math.max(from, to) + 1);
}

/** `high`, or `high–critical` for a rule graded by context. */
export function severityLabel(meta: Pick<RuleMeta, 'severity' | 'lowestSeverity'>): string {
  const range = severityRange(meta);
  return range.length === 1 ? meta.severity : `${range[range.length - 1]}–${range[0]}`;
}
