import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';

const setFlags = vi.hoisted(() => vi.fn<(flags: string) => void>());
vi.mock('node:v8', async (original) => ({ ...(await original<typeof import('node:v8')>()), setFlagsFromString: setFlags }));

const { LIVE_HEAP_GROWING_PERCENT, withLiveHeapGrowth } = await import('../../src/live/heap-growth.js');

const TUNED = `--heap-growing-percent=${LIVE_HEAP_GROWING_PERCENT}`;
const DEFAULT = '--heap-growing-percent=0';

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('heap growth during a live collection', () => {
  const nodeOptions = process.env.NODE_OPTIONS;
  beforeEach(() => {
    setFlags.mockClear();
    delete process.env.NODE_OPTIONS;
  });
  afterEach(() => {
    if (nodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = nodeOptions;
  });

  test('is tuned while the collection runs and given back to V8 after it', async () => {
    const during = await withLiveHeapGrowth(async () => setFlags.mock.calls.map(([f]) => f));
    expect(during).toEqual([TUNED]);
    expect(setFlags.mock.calls.map(([f]) => f)).toEqual([TUNED, DEFAULT]);
  });

  test('is given back when the collection fails', async () => {
    await expect(withLiveHeapGrowth(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(setFlags.mock.calls.map(([f]) => f)).toEqual([TUNED, DEFAULT]);
  });

  test('collections side by side tune it once and give it back when the last one ends', async () => {
    const first = deferred();
    const second = deferred();
    const a = withLiveHeapGrowth(() => first.promise);
    const b = withLiveHeapGrowth(() => second.promise);
    first.resolve();
    await a;
    expect(setFlags.mock.calls.map(([f]) => f)).toEqual([TUNED]);
    second.resolve();
    await b;
    expect(setFlags.mock.calls.map(([f]) => f)).toEqual([TUNED, DEFAULT]);
  });

  test("leaves the user's own setting alone", async () => {
    process.env.NODE_OPTIONS = '--heap-growing-percent=50';
    expect(await withLiveHeapGrowth(async () => 'read')).toBe('read');
    expect(setFlags).not.toHaveBeenCalled();
  });
});
