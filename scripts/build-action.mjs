// Builds the GitHub Action: one deterministic ESM bundle, dist/action.js, with every package
// inlined (the runner has no node_modules) and the tree-sitter wasm files beside it, where
// the Terraform collector looks first. `--outdir DIR` builds elsewhere (the staleness test).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { INDEX_PATH, renderRuleIndex } from './rule-index.mjs';
import { copyWasm } from './bundle-options.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--outdir');
const outdir = at > 0 && process.argv[at + 1] ? resolve(process.argv[at + 1]) : join(repo, 'dist');
const version = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version;

const index = renderRuleIndex(repo);
const indexFile = join(repo, INDEX_PATH);
if (readFileSync(indexFile, 'utf8') !== index) writeFileSync(indexFile, index);

// The Action scans files; live sources (cluster and cloud SDKs, tens of MB) are left out of
// the bundle, and asking for one there is a clear error.
const withoutLiveSources = {
  name: 'without-live-sources',
  setup(b) {
    b.onResolve({ filter: /\/live\/(kubernetes\/collect|cloud-sources)\.js$/ }, (args) => ({ path: args.path, namespace: 'no-live' }));
    b.onLoad({ filter: /.*/, namespace: 'no-live' }, () => ({
      contents: `const unavailable = () => { throw new Error('live scans are not part of the GitHub Action: run the podtrust CLI for them'); };
export const collectLiveKubernetes = unavailable;
export const collectLiveClouds = unavailable;`,
      loader: 'js',
    }));
  },
};

// Built in memory first: a failed build leaves the committed dist/ as it was.
const built = await build({
  write: false,
  absWorkingDir: repo,
  entryPoints: [join(repo, 'src/action/index.ts')],
  outfile: join(outdir, 'action.js'),
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow; its `module` build is plain ESM.
  mainFields: ['module', 'main'],
  // CommonJS packages inside an ESM bundle call require() for Node built-ins.
  banner: { js: "import { createRequire as __podtrustCreateRequire } from 'node:module';\nconst require = __podtrustCreateRequire(import.meta.url);" },
  define: { PODTRUST_VERSION: JSON.stringify(version) },
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  plugins: [withoutLiveSources],
});

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
for (const file of built.outputFiles) writeFileSync(file.path, file.contents);

copyWasm(repo, outdir);
