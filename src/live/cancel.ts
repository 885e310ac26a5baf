/**
 * Cancellation of a live scan: the first SIGINT or SIGTERM aborts one process-wide signal that
 * every live collector honours, so the scan stops its API calls and still reports what it
 * collected; a second signal ends the process at once.
 */
import type { CoverageNote } from '../model/types.js';

export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The reason a cancelled signal carries: collectors tell it apart from a timeout. */
export class ScanCancelled extends Error {
  constructor(readonly by: StopSignal) {
    super(`scan cancelled (${by})`);
    this.name = 'ScanCancelled';
  }
}

export interface Cancellation {
  signal: AbortSignal;
  /** The signal that cancelled the scan, once one did. */
  readonly by: StopSignal | undefined;
  cancel(by: StopSignal): void;
}

export function createCancellation(): Cancellation {
  const controller = new AbortController();
  let by: StopSignal | undefined;
  return {
    signal: controller.signal,
    get by() {
      return by;
    },
    cancel(signal) {
      if (by !== undefined) return;
      by = signal;
      controller.abort(new ScanCancelled(signal));
    },
  };
}

/** Whether a signal was aborted by a cancellation (not by a deadline or a per-call timeout). */
export function isCancelled(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true && signal.reason instanceof ScanCancelled;
}

/** The note that marks a report partial after a cancellation. */
export function cancellationNote(by: StopSignal): CoverageNote {
  return {
    kind: 'skipped',
    level: 'error',
    message: `scan cancelled (${by}): the report holds only what was collected before; live sources still being read are incomplete`,
  };
}

export interface SignalProcess {
  once(event: StopSignal, listener: () => void): unknown;
  removeListener(event: StopSignal, listener: () => void): unknown;
  exit(code: number): never;
}

/**
 * Routes SIGINT/SIGTERM to `cancellation` while a scan runs; the second signal exits with 130.
 * Returns the function that restores the default handling.
 */
export function cancelOnSignals(cancellation: Cancellation, target: SignalProcess = process): () => void {
  const listeners = new Map<StopSignal, () => void>();
  const arm = (name: StopSignal): void => {
    const listener = (): void => {
      if (cancellation.by !== undefined) target.exit(130);
      cancellation.cancel(name);
      process.stderr.write(`\npodtrust: ${name}: stopping; writing what was collected (send it again to quit at once)\n`);
      arm(name);
    };
    listeners.set(name, listener);
    target.once(name, listener);
  };
  arm('SIGINT');
  arm('SIGTERM');
  return () => {
    for (const [name, listener] of listeners) target.removeListener(name, listener);
  };
}
