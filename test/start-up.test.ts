/**
 * `podtrust --version` loads no more than the few modules it uses: the built CLI entry's static
 * imports (followed through every chunk they import) hold none of the project's scanning code and
 * no package. Each command loads its own modules when it runs.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './helpers/fixtures.js';

const BUILD = join(REPO, 'build');

/** The files a bundle file imports statically (`import … from "./x.js"`, `import "./x.js"`; not `import()`). */
function staticImports(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)\s+(?:[^'"()]*?\s+from\s+)?["'](\.\/[^"']+)["'];?\s*$/gm)].map((m) => m[1]!);
}

/** Every source file bundled into the files a bundle file loads before it runs (esbuild's `// path` markers). */
function loadedSources(entry: string): { files: string[]; sources: string[] } {
  const files = new Set<string>();
  const sources = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const text = readFileSync(join(BUILD, file), 'utf8');
    for (const m of text.matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)) sources.add(m[1]!);
    for (const next of staticImports(text)) visit(next.slice(2));
  };
  visit(entry);
  return { files: [...files], sources: [...sources].sort() };
}

describe('start-up', () => {
  it('the CLI entry loads only the version, the error type and the log sanitizer before a command runs', () => {
    const { sources } = loadedSources('cli.js');
    expect(sources.filter((s) => s.startsWith('node_modules/'))).toEqual([]);
    expect(sources).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/version.ts']));
    expect(sources.filter((s) => !['src/cli/main.ts', 'src/version.ts', 'src/errors.ts', 'src/reporters/sanitize.ts'].includes(s))).toEqual([]);
  });

  it('the scan command module is loaded when a command runs, with what it needs', () => {
    const cli = readFileSync(join(BUILD, 'cli.js'), 'utf8');
    const commands = /import\("\.\/(commands-[^"]+\.js)"\)/.exec(cli)?.[1];
    expect(commands).toBeDefined();
    expect(loadedSources(commands!).sources).toContain('src/cli/commands.ts');
  });
});
