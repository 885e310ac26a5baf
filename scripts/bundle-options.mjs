// The esbuild options of build/ (the CLI, the worker, the benchmark's and the docs generator's
// entry points), for scripts/build.mjs and for the benchmark's variant bundles.
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export function bundleOptions(repo) {
  return {
    entryPoints: { cli: join(repo, 'src/cli/main.ts'), generate: join(repo, 'src/docs/generate.ts'), bench: join(repo, 'src/bench-entry.ts'), worker: join(repo, 'src/collect/worker.ts') },
    outdir: join(repo, 'build'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // Every package is inlined: the published package installs no dependency, and start-up
    // resolves a few bundle files instead of hundreds of package files. Code splitting keeps
    // the cloud SDKs, tree-sitter and the reporters out of start-up.
    // jsonc-parser's `main` is a UMD build whose require() calls esbuild cannot follow; its `module` build is plain ESM.
    mainFields: ['module', 'main'],
    // The Kubernetes client's URL parser asks for Node's own punycode, deprecated since Node 21
    // (a warning on every live scan); the package of the same name is the maintained copy.
    alias: { punycode: 'punycode/' },
    // CommonJS packages inside an ESM bundle call require() for Node built-ins.
    banner: { js: "import { createRequire as __podtrustCreateRequire } from 'node:module';\nconst require = __podtrustCreateRequire(import.meta.url);" },
    // Chunks sit beside the entry points so `new URL('./worker.js', import.meta.url)` resolves from any of them.
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
    define: { PODTRUST_VERSION: JSON.stringify(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')).version) },
    metafile: true,
    absWorkingDir: repo,
  };
}

/** The tree-sitter wasm files a bundle needs beside it, where the Terraform collector looks first. */
export function copyWasm(repo, outdir) {
  for (const wasm of ['web-tree-sitter/web-tree-sitter.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-hcl.wasm']) {
    copyFileSync(join(repo, 'node_modules', wasm), join(outdir, wasm.split('/').pop()));
  }
}
