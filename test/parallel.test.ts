/** Collecting in worker threads gives exactly the result of collecting in one thread. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers/fixtures.js';
import { bodyPrototypes } from './helpers/prototypes.js';
import { terraformUnits, jobsOf } from '../src/collect/partition.js';

describe('parallel collection', () => {
  it('keeps a module tree in one unit and groups units into jobs of about a given size', () => {
    const f = (path: string, text = '') => ({ path, text });
    const units = terraformUnits([
      f('/r/app/main.tf', 'module "irsa" {\n  source = "../modules/irsa"\n}\n'),
      f('/r/modules/irsa/main.tf'),
      f('/r/modules/irsa/variables.tf'),
      f('/r/other/main.tf'),
    ]);
    expect(units.map((u) => u.map((x) => x.path).sort())).toEqual([
      ['/r/app/main.tf', '/r/modules/irsa/main.tf', '/r/modules/irsa/variables.tf'],
      ['/r/other/main.tf'],
    ]);
    // A call in JSON syntax joins its module's folder too.
    const json = terraformUnits([f('/r/app/main.tf.json', '{ "module": { "irsa": { "source": "../modules/irsa" } } }'), f('/r/modules/irsa/main.tf.json'), f('/r/other/main.tf.json')]);
    expect(json.map((u) => u.map((x) => x.path).sort())).toEqual([['/r/app/main.tf.json', '/r/modules/irsa/main.tf.json'], ['/r/other/main.tf.json']]);
    expect(jobsOf([5, 1, 1, 1, 4, 2], 3, (n) => n)).toEqual([[5], [1, 1, 1], [4], [2]]);
    expect(jobsOf([], 3, (n: number) => n)).toEqual([]);
  });

  it('the built scan gives identical findings with and without workers', async () => {
    const api = (await import(join(REPO, 'build', 'bench.js'))) as typeof import('../src/bench-entry.js');
    const paths = [join(REPO, 'fixtures')];
    const sequential = await api.scan({ paths, root: REPO, workers: 0 });
    const parallel = await api.scan({ paths, root: REPO, workers: 2 });
    expect(parallel.findings.length).toBeGreaterThan(20);
    expect(JSON.stringify(parallel.findings)).toBe(JSON.stringify(sequential.findings));
    expect(JSON.stringify(parallel.notes)).toBe(JSON.stringify(sequential.notes));
    // The input ledger: accounts travel whole from the workers.
    expect(sequential.summary.inputs?.analysed).toBeGreaterThan(100);
    expect(JSON.stringify(parallel.inputs)).toBe(JSON.stringify(sequential.inputs));
    expect(JSON.stringify(parallel.summary)).toBe(JSON.stringify(sequential.summary));
  });

  it('gives identical findings with and without workers on a generated monorepo of many roots', async () => {
    const api = (await import(join(REPO, 'build', 'bench.js'))) as typeof import('../src/bench-entry.js');
    // @ts-expect-error the benchmark generator is plain JavaScript
    const { generateIac } = (await import('../bench/generate-iac.mjs')) as { generateIac: (dir: string, files: number, seed: number) => unknown };
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-monorepo-'));
    generateIac(dir, 312, 42);
    // A file of each other state of the input ledger, for the workers to account for too.
    writeFileSync(join(dir, 'Pulumi.yaml'), 'name: platform\nruntime: go\n');
    writeFileSync(join(dir, 'values.yaml'), 'replicas: 2\n');
    const sequential = await api.scan({ paths: [dir], root: dir, workers: 0 });
    const parallel = await api.scan({ paths: [dir], root: dir, workers: 2 });
    expect(sequential.summary.resources).toBeGreaterThan(2500);
    expect(sequential.notes.filter((n) => n.kind === 'limit')).toEqual([]);
    expect(JSON.stringify(parallel.findings)).toBe(JSON.stringify(sequential.findings));
    expect(JSON.stringify(parallel.notes)).toBe(JSON.stringify(sequential.notes));
    expect(JSON.stringify(parallel.identities)).toBe(JSON.stringify(sequential.identities));
    expect(sequential.summary.inputs).toMatchObject({ 'not-analysed': 1, 'not-infrastructure': 1, unparsable: 0 });
    expect(sequential.summary.inputs?.analysed).toBeGreaterThan(300);
    expect(JSON.stringify(parallel.inputs)).toBe(JSON.stringify(sequential.inputs));
    expect(JSON.stringify(parallel.summary)).toBe(JSON.stringify(sequential.summary));
    const [one, two] = [await api.collectInventory({ paths: [dir], root: dir, workers: 0 }), await api.collectInventory({ paths: [dir], root: dir, workers: 2 })];
    expect(one.clusters.length).toBeGreaterThan(10);
    expect(JSON.stringify(two.clusters)).toBe(JSON.stringify(one.clusters));
    // Objects built without a prototype arrive from a worker without one: a key such as `constructor` stays data.
    expect(bodyPrototypes(two.resources)).toEqual(bodyPrototypes(one.resources));
    // The whole inventory, positions included (a worker sends them packed), as `podtrust collect` writes it.
    const written = (inventory: typeof one): string => {
      const parts: string[] = [];
      api.writeInventory(inventory, (text) => parts.push(text));
      return parts.join('');
    };
    expect(written(two)).toBe(written(one));
  });
});

