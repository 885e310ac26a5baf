/**
 * Pass, fail or incomplete: the one decision the CLI's exit status and the Action's step result
 * both come from.
 */
import type { CoverageNote, Finding, Severity } from '../model/types.js';
import type { ScanResult } from './result.js';
import { atOrAbove } from './engine.js';

export interface VerdictOptions {
  failOn: Severity | 'none';
  /**
   * Every warning makes the scan incomplete: an input recognised but not analysed, a value left
   * undecided, a module that could not be fetched, a limit reached, a permission gap, a file named
   * on the command line (or a whole scan) from which nothing was analysed.
   */
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
 * with `strict` a warning (of any kind: see {@link VerdictOptions.strict}).
 */
export function incompleteReason(partial: boolean, notes: readonly CoverageNote[], strict = false): string | undefined {
  if (partial || notes.some((n) => n.level === 'error')) return 'the scan is incomplete: some input could not be read (see the coverage notes)';
  if (!strict) return undefined;
  const warnings = notes.filter((n) => n.level === 'warning');
  if (warnings.length === 0) return undefined;
  const kinds = [...new Set(warnings.map((n) => n.kind))].sort().join(', ');
  if (kinds === 'permission') return 'the scan is incomplete: a live resource type could not be read (strict)';
  return `the scan is incomplete: ${warnings.length} warning(s) (${kinds}) with --strict (see the coverage notes)`;
}

export function decideVerdict(result: ScanResult, options: VerdictOptions): Verdict {
  const reached = result.findings.filter((f) => f.suppression === undefined && atOrAbove(f.severity, options.failOn));
  const incomplete = incompleteReason(result.summary.partial, result.notes, options.strict);
  if (incomplete !== undefined) return { outcome: 'incomplete', exitCode: 2, reached, reason: incomplete };
  if (reached.length > 0) return { outcome: 'failed', exitCode: 1, reached, reason: `${reached.length} finding(s) at or above ${options.failOn}` };
  return { outcome: 'passed', exitCode: 0, reached, reason: `no finding at or above ${options.failOn}` };
}
