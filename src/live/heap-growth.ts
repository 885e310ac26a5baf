/**
 * How far V8 lets the heap grow while a live collection runs. By default the old generation may
 * grow to several times what survived the last full collection before the next one; a live
 * collection's garbage (each list page's text and the parsed objects it was pruned from, promoted
 * while the page is handled) then waits there, and peak RSS was about twice the live heap. While a
 * collection runs, the heap grows by a fixed share of what survived instead, for a few more full
 * collections. It is no cap: a large cluster still gets all the heap it needs.
 *
 * The setting is process-wide: it is applied when the first collection starts and V8's own
 * heuristic comes back when the last one ends. A `--heap-growing-percent` the user gave Node
 * (on the command line or in NODE_OPTIONS) is left alone.
 */
import { setFlagsFromString } from 'node:v8';

/** The old generation grows by this share of what survived before collecting again. */
export const LIVE_HEAP_GROWING_PERCENT = 25;

const FLAG = '--heap-growing-percent';

let running = 0;

function userSetsGrowth(): boolean {
  return process.execArgv.some((a) => a.startsWith(FLAG)) || (process.env.NODE_OPTIONS ?? '').includes(FLAG);
}

/** Runs a live collection with the heap's growth tuned for holding a large inventory. */
export async function withLiveHeapGrowth<T>(collect: () => Promise<T>): Promise<T> {
  const tune = !userSetsGrowth();
  if (tune && running++ === 0) setFlagsFromString(`${FLAG}=${LIVE_HEAP_GROWING_PERCENT}`);
  try {
    return await collect();
  } finally {
    // 0 is V8's default: the growth factor chosen from the collector's and the program's speeds.
    if (tune && --running === 0) setFlagsFromString(`${FLAG}=0`);
  }
}
