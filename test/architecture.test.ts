/**
 * The layout holds: no import circles, and each layer imports only what it may. Rules read the
 * model; the rule engine runs on any inventory; collectors know no rules.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { REPO } from './helpers/fixtures.js';

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sources(full, out);
    else if (name.endsWith('.ts')) out.push(full);
  }
  return out;
}

/** Every file each source file imports (values and types, static and dynamic), repository-relative. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of [...sources(join(REPO, 'src')), ...sources(join(REPO, 'rules'))]) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets: string[] = [];
    for (const { fileName } of importedFiles) {
      if (!fileName.startsWith('.')) continue;
      const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'));
      if (existsSync(target)) targets.push(relative(REPO, target).split(sep).join('/'));
    }
    graph.set(relative(REPO, file).split(sep).join('/'), targets);
  }
  return graph;
}

/** Strongly connected components of more than one file (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

function reachable(graph: Map<string, string[]>, from: string): Set<string> {
  const seen = new Set<string>();
  const queue = [from];
  while (queue.length > 0) {
    for (const w of graph.get(queue.pop()!) ?? []) {
      if (!seen.has(w)) {
        seen.add(w);
        queue.push(w);
      }
    }
  }
  return seen;
}

describe('the layout', () => {
  const graph = importGraph();

  it('reads the imports it checks (a broken reader would pass everything)', () => {
    expect(graph.get('src/scan.ts')).toEqual(expect.arrayContaining(['src/model/model.ts', 'src/engine/engine.ts']));
  });

  it('has no import circles', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('keeps rules away from collectors, the collection runtime and live sources, through any chain', () => {
    const reached = [...graph.keys()]
      .filter((f) => f.startsWith('rules/'))
      .flatMap((rule) => [...reachable(graph, rule)].filter((f) => /^src\/(collectors|collect|live)\//.test(f)).map((f) => `${rule} → ${f}`));
    expect(reached).toEqual([]);
  });

  it('keeps the rule engine and the collectors apart', () => {
    const wrong: string[] = [];
    for (const [file, targets] of graph) {
      for (const t of targets) {
        if (file.startsWith('src/collectors/') && /^src\/(engine|collect)\//.test(t)) wrong.push(`${file} → ${t}`);
        if (file.startsWith('src/engine/') && /^src\/(collectors|collect|live)\//.test(t)) wrong.push(`${file} → ${t}`);
      }
    }
    expect(wrong).toEqual([]);
  });
});
