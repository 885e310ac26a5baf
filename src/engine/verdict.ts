/**
 * Pass, fail or incomplete: the one decision the CLI's exit status and the Action's step result
 * both come from.
 */
import type { CoverageNote, Finding, Severity } from '../model/types.js';
import type { ScanResult } from './result.js';
import { atOrAbove } from './engine.js';

export interface VerdictOptions {
  failOn: Severity | 'none';
  /** A permission gap (a live resource type that could not be read) makes the scan incomplete. */
  strict?: boolean;
}

export interface Verdict {
  outcome: 'passed' | 'failed' | 'incomplete';
  /** 0 passed, 1 findings at or above fail-on, 2 incomplete (which wins over 1). */
  exitCode: 0 | 1 | 2;
  /** Unsuppressed findings at or above fail-on. */
  reached: Finding[];
  /** Why, in one sentence without a trailing period. */
  reason: string;
}

/**
 * Why a scan (or a collection) is incomplete, or undefined when it is not: an error note, or
 * with `strict` a permission gap.
 */
export function incompleteReason(partial: boolean, notes: readonly CoverageNote[], strict = false): string | undefined {
  if (partial || notes.some((n) => n.level === 'error')) return 'the scan is incomplete: some input could not be read (see the coverage notes)';
  if (strict && notes.some((n) => n.kind === 'permission')) return 'the scan is incomplete: a live resource type could not be read (strict)';
  return undefined;
}

export function decideVerdict(result: ScanResult, options: VerdictOptions): Verdict {
  const reached = result.findings.filter((f) => f.suppression === undefined && atOrAbove(f.severity, options.failOn));
  const incomplete = incompleteReason(result.summary.partial, result.notes, options.strict);
  if (incomplete !== undefined) return { outcome: 'incomplete', exitCode: 2, reached, reason: incomplete };
  if (reached.length > 0) return { outcome: 'failed', exitCode: 1, reached, reason: `${reached.length} finding(s) at or above ${options.failOn}` };
  return { outcome: 'passed', exitCode: 0, reached, reason: `no finding at or above ${options.failOn}` };
}
