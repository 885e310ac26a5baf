// Builds the CLI: regenerates the rule index, then bundles src/ into build/ with esbuild
// (code splitting keeps cloud SDKs, tree-sitter and reporters out of start-up).
// `--if-stale` skips the bundle when build/ is newer than every source file.
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleOptions, copyWasm } from './bundle-options.mjs';
import { INDEX_PATH, renderRuleIndex } from './rule-index.mjs';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');

const index = renderRuleIndex(repo);
const indexFile = join(repo, INDEX_PATH);
if (!existsSync(indexFile) || readFileSync(indexFile, 'utf8') !== index) {
  writeFileSync(indexFile, index);
  process.stdout.write(`wrote ${INDEX_PATH}\n`);
}

function newest(dir) {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    t = Math.max(t, st.isDirectory() ? newest(full) : st.mtimeMs);
  }
  return t;
}

const out = join(repo, 'build', 'cli.js');
if (ifStale && existsSync(out)) {
  const built = statSync(out).mtimeMs;
  if (built >= Math.max(newest(join(repo, 'src')), newest(join(repo, 'rules')), statSync(join(repo, 'package.json')).mtimeMs)) process.exit(0);
}

const { build } = await import('esbuild');
const options = bundleOptions(repo);
const result = await build(options);
copyWasm(repo, join(repo, 'build'));

// Chunk names change with their content: drop the previous builds' chunks (the package ships build/),
// and chunks no entry point can load (esbuild splits out a dynamic import whose caller it dropped).
const reachable = new Set();
const visit = (file) => {
  if (reachable.has(file) || !result.metafile.outputs[file]) return;
  reachable.add(file);
  for (const i of result.metafile.outputs[file].imports) if (!i.external) visit(i.path);
};
for (const name of Object.keys(options.entryPoints)) visit(`build/${name}.js`);
const outputs = new Set([...reachable].map((f) => resolve(repo, f)));
for (const name of readdirSync(join(repo, 'build'))) {
  const full = join(repo, 'build', name);
  if (name.endsWith('.js') && !outputs.has(full)) rmSync(full, { force: true });
}
