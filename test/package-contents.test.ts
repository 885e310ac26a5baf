/**
 * The published package: it holds what the CLI loads and nothing of the developer tools, and
 * every package the CLI imports at run time is a dependency (the bundle keeps packages external).
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { REPO } from './helpers/fixtures.js';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

interface LsNode {
  version?: string;
  dependencies?: Record<string, LsNode>;
}

function packedFiles(): string[] {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
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
    if (name && !spec.startsWith('node:')) names.add(name);
  }
  return names;
}

describe('published package', () => {
  const packed = packedFiles();
  const cli = loadedByCli();

  it('ships every file the CLI loads, and no other bundle file (the bench and docs generator stay out)', () => {
    expect(cli.files.has('build/cli.js')).toBe(true);
    expect(cli.files.has('build/worker.js')).toBe(true);
    for (const f of cli.files) expect(packed, `${f} is loaded by the CLI but not published`).toContain(f);
    const extra = packed.filter((f) => f.startsWith('build/') && !cli.files.has(f));
    expect(extra, 'bundle files the CLI never loads are published: add them to the negations in package.json "files"').toEqual([]);
    expect(packed).not.toContain('build/bench.js');
    expect(packed).not.toContain('build/generate.js');
  });

  it('package-lock.json agrees: its root lists the same dependencies, and exactly the run-time tree is not marked dev', () => {
    const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, { name?: string; version?: string; dev?: boolean; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }> };
    expect(lock.packages['']!.dependencies).toEqual(pkg.dependencies);
    expect(lock.packages['']!.devDependencies).toEqual(pkg.devDependencies);
    // npm's own reading of the run-time tree, from the lock alone.
    const tree = JSON.parse(execFileSync('npm', ['ls', '--package-lock-only', '--omit=dev', '--all', '--json'], { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })) as LsNode;
    const runtime = new Set<string>();
    // A tree: a package met again is listed without its dependencies ("deduped"); an optional
    // peer that is not installed, without a version.
    const walk = (deps: Record<string, LsNode> | undefined): void => {
      for (const [name, node] of Object.entries(deps ?? {})) {
        if (node.version !== undefined) runtime.add(`${name}@${node.version}`);
        walk(node.dependencies);
      }
    };
    walk(tree.dependencies);
    const notDev = new Set(Object.entries(lock.packages).filter(([path, p]) => path !== '' && !p.dev).map(([path, p]) => `${path.slice(path.lastIndexOf('node_modules/') + 13)}@${p.version}`));
    expect([...notDev].filter((p) => !runtime.has(p)), 'lock entries not marked dev that nothing at run time needs').toEqual([]);
    expect([...runtime].filter((p) => !notDev.has(p)), 'run-time packages marked dev in the lock').toEqual([]);
  });

  it('every package the CLI imports at run time is a dependency, and every dependency is used by it', () => {
    const imported = importedPackages(cli.text);
    expect(imported.size).toBeGreaterThan(10);
    for (const name of imported) expect(pkg.dependencies, `the CLI imports ${name}`).toHaveProperty([name]);
    // A dependency the bundle does not import may still be loaded by path (a grammar's .wasm file).
    const unused = Object.keys(pkg.dependencies).filter((name) => !imported.has(name) && !cli.text.includes(`${name}/`));
    expect(unused, 'dependencies the CLI never loads: move them to devDependencies').toEqual([]);
  });
});
