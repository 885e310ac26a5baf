/** `collect --shard I/N`, or `--shard-count N` with the index from `JOB_COMPLETION_INDEX` (a Kubernetes Indexed Job). */
import type { ParseArgsConfig } from 'node:util';
import { PodtrustError } from '../errors.js';
import type { Shard } from '../fleet/coverage.js';

export const SHARD_OPTIONS: NonNullable<ParseArgsConfig['options']> = {
  shard: { type: 'string' },
  'shard-count': { type: 'string' },
};

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

const MAX_SHARDS = 100_000;

function count(text: string, flag: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_SHARDS) throw new PodtrustError('usage', `${flag} takes a number of shards from 1 to ${MAX_SHARDS} (got "${text}")`);
  return n;
}

export function shardFrom(values: Values, env: NodeJS.ProcessEnv = process.env): Shard | undefined {
  const given = values.shard;
  const shardCount = values['shard-count'];
  if (given !== undefined && shardCount !== undefined) throw new PodtrustError('usage', '--shard I/N and --shard-count N exclude each other');
  let index: string;
  let n: number;
  if (typeof given === 'string') {
    const m = /^(\d+)\/(\d+)$/.exec(given);
    if (!m) throw new PodtrustError('usage', `--shard takes INDEX/COUNT, e.g. --shard 0/3 (got "${given}")`);
    index = m[1]!;
    n = count(m[2]!, '--shard');
  } else if (typeof shardCount === 'string') {
    n = count(shardCount, '--shard-count');
    const fromEnv = env.JOB_COMPLETION_INDEX;
    if (fromEnv === undefined || fromEnv === '') throw new PodtrustError('usage', '--shard-count needs JOB_COMPLETION_INDEX (set in a Kubernetes Indexed Job); elsewhere use --shard INDEX/COUNT');
    if (!/^\d+$/.test(fromEnv)) throw new PodtrustError('usage', `JOB_COMPLETION_INDEX must be a number (got "${fromEnv.slice(0, 20)}")`);
    index = fromEnv;
  } else {
    return undefined;
  }
  const i = Number(index);
  if (i >= n) throw new PodtrustError('usage', `shard index ${i} is out of range: shards are numbered 0 to ${n - 1}`);
  return { index: i, count: n };
}
