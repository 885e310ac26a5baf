// The esbuild options of build/ (the CLI, the worker, the benchmark's and the docs generator's
// entry points), for scripts/build.mjs and for the benchmark's variant bundles.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function bundleOptions(repo) {
  return {
    entryPoints: { cli: join(repo, 'src/cli/main.ts'), generate: join(repo, 'src/docs/generate.ts'), bench: join(repo, 'src/bench-entry.ts'), worker: join(repo, 'src/collect/worker.ts') },
    outdir: join(repo, 'build'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Chunks sit beside the entry points so `new URL('./worker.js', import.meta.url)` resolves from any of them.
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    define: { PODTRUST_VERSION: JSON.stringify(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version) },
    metafile: true,
    absWorkingDir: repo,
  };
}
