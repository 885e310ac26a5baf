import { defineConfig } from 'vitest/config';

/** Only for `npm run bench` (the live and fleet parts): never matched by the test suite's config. */
export default defineConfig({
  test: {
    include: ['bench/live.bench-run.ts', 'bench/fleet.bench-run.ts'],
    testTimeout: 60 * 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
