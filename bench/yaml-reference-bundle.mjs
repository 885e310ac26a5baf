// The benchmark's variant of build/bench.js and its worker without the YAML fast path: parseYaml
// always takes the yaml library. Only yaml.ts's import of the fast path is replaced: the raw parse
// floor calls yaml-ast-parser through the fast path's module, and must be the same in both bundles.
import { build } from 'esbuild';
import { join } from 'node:path';
import { bundleOptions } from '../scripts/bundle-options.mjs';

const withoutFastPath = {
  name: 'without-yaml-fast-path',
  setup(b) {
    b.onResolve({ filter: /\/yaml-fast\.js$/ }, (a) => (/[\\/]util[\\/]yaml\.ts$/.test(a.importer) ? { path: a.path, namespace: 'no-fast-path' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-fast-path' }, () => ({ contents: 'export const parseYamlFast = () => undefined;', loader: 'js' }));
  },
};

/** Builds the variant into `outdir`; returns its bench.js and esbuild's metafile. */
export async function referenceOnlyBundle(repo, outdir) {
  const options = bundleOptions(repo);
  const result = await build({ ...options, entryPoints: { bench: options.entryPoints.bench, worker: options.entryPoints.worker }, outdir, plugins: [withoutFastPath] });
  return { bundle: join(outdir, 'bench.js'), metafile: result.metafile };
}
