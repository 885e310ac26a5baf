/**
 * The per-input boundary of a scan. An exception that escapes the collection of one input (a
 * file, a Terraform root module, a live source) is a programming error that this input brought
 * out: it becomes an error note naming the input, and the scan goes on with the others. The
 * scan is then partial (exit 2); the report is still written.
 */
import { basename } from 'node:path';
import type { CoverageNote } from '../model/types.js';
import { boundedLine } from '../util/input-text.js';
import type { CollectResult } from './types.js';

/**
 * `TypeError: x is not a function`: the first line of an error's message, bounded, never a stack
 * trace. What a message quotes may come from the input (JSON.parse quotes the text it read, which
 * can be a secret), so quoted text is left out: `Unexpected token '…', "…"... is not valid JSON`.
 */
export function errorSummary(e: unknown): string {
  return boundedLine(e instanceof Error ? `${e.name}: ${e.message}` : `thrown ${typeof e}`);
}

/** The note for an input whose collection failed unexpectedly; `context` says which part (a Terraform root). */
export function internalErrorNote(summary: string, file?: string, line?: number, context?: string): CoverageNote {
  const note: CoverageNote = { kind: 'internal-error', level: 'error', message: `internal error: ${summary}${context ? ` (${context})` : ''}` };
  if (file !== undefined) note.file = file;
  if (line !== undefined) note.line = line;
  return note;
}

/**
 * Test hook, set only by tests, to reach the boundaries above with a real input:
 * `PODTRUST_TEST_THROW_ON=<file name>` makes collecting that file throw a TypeError (as a
 * programming error would); `PODTRUST_TEST_CRASH_ON=<file name>` ends the worker thread that
 * collects it (the main thread ignores it). Undefined when neither is set.
 */
export function failureInjection(): ((path: string) => void) | undefined {
  const throwOn = process.env.PODTRUST_TEST_THROW_ON;
  const crashOn = process.env.PODTRUST_TEST_CRASH_ON;
  if (throwOn === undefined && crashOn === undefined) return undefined;
  return (path) => {
    const name = basename(path);
    if (name === crashOn && !process.getBuiltinModule('node:worker_threads').isMainThread) process.exit(70);
    if (name === throwOn) throw new TypeError(`PODTRUST_TEST_THROW_ON: failure injected while collecting ${name}`);
  };
}

/** A live source (a cloud, a cluster) collected behind the boundary: an unexpected failure is a note naming it. */
export async function isolatedSource(source: string, collect: () => Promise<CollectResult>): Promise<CollectResult> {
  try {
    return await collect();
  } catch (e) {
    return { resources: [], clusters: [], notes: [internalErrorNote(errorSummary(e), undefined, undefined, `${source}; what it had read is left out`)] };
  }
}
