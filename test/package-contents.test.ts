/**
 * The published package: it holds what the CLI loads and nothing of the developer tools. The
 * bundle inlines every package, so the package has no dependency and installs in seconds.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { isBuiltin } from 'node:module';
import { REPO } from './helpers/fixtures.js';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies: Record<string, string> };

function packResult(): { files: string[]; unpackedSize: number } {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [first] = JSON.parse(out) as { files: { path: string }[]; unpackedSize: number }[];
  return { files: first!.files.map((f) => f.path), unpackedSize: first!.unpackedSize };
}

/** Every file of build/ the CLI can load: from bin/, through static and dynamic imports and `new URL('./x.js')`. */
function loadedByCli(): { files: Set<string>; text: string } {
  const files = new Set<string>();
  let text = '';
  const visit = (rel: string): void => {
    if (files.has(rel) || !existsSync(join(REPO, rel))) return;
    files.add(rel);
    const source = readFileSync(join(REPO, rel), 'utf8');
    text += source;
    for (const m of source.matchAll(/["'](\.\.?\/[\w./-]+\.js)["']/g)) visit(posix.join(posix.dirname(rel), m[1]!));
  };
  visit('bin/podtrust.js');
  return { files, text };
}

/** Package names imported by the given bundle text (node: built-ins left out). */
function importedPackages(text: string): Set<string> {
  const names = new Set<string>();
  // esbuild writes `import ... from "x"` and `import "x"` at line starts, and `import("x")`.
  for (const m of text.matchAll(/^(?:import|export)\b[^;"']*?["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)) {
    const spec = (m[1] ?? m[2])!;
    const name = /^(?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*/.exec(spec)?.[0];
    if (name && !isBuiltin(spec)) names.add(name);
  }
  return names;
}

describe('published package', () => {
  const pack = packResult();
  const packed = pack.files;
  const cli = loadedByCli();

  it('ships every file the CLI loads, and no other bundle file (the bench and docs generator stay out)', () => {
    expect(cli.files.has('build/cli.js')).toBe(true);
    expect(cli.files.has('build/worker.js')).toBe(true);
    for (const f of cli.files) expect(packed, `${f} is loaded by the CLI but not published`).toContain(f);
    // The wasm files are loaded by name beside the bundle (collectors/terraform/hcl-parser.ts).
    const extra = packed.filter((f) => f.startsWith('build/') && !f.endsWith('.wasm') && !cli.files.has(f));
    expect(extra, 'bundle files the CLI never loads are published: add them to the negations in package.json "files"').toEqual([]);
    expect(packed).not.toContain('build/bench.js');
    expect(packed).not.toContain('build/generate.js');
  });

  it('package-lock.json agrees: no dependency at its root, and every package in it is for development', () => {
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; devOptional?: boolean; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }> };
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(lock.packages['']!.dependencies ?? {}).toEqual({});
    expect(lock.packages['']!.devDependencies).toEqual(pkg.devDependencies);
    const runtime = Object.entries(lock.packages).filter(([path, p]) => path !== '' && !p.dev && !p.devOptional).map(([path]) => path);
    expect(runtime, 'lock entries an install of the package would fetch').toEqual([]);
  });

  it('the CLI imports no package at run time: each is in the bundle, and the wasm files it loads are beside it', () => {
    expect(importedPackages(cli.text)).toEqual(new Set());
    expect(packed).toContain('build/web-tree-sitter.wasm');
    expect(packed).toContain('build/tree-sitter-hcl.wasm');
  });

  it('installs small: under 30 MB unpacked, with nothing else to fetch', () => {
    expect(pack.unpackedSize).toBeLessThan(30 * 1024 * 1024);
  });
});
