/**
 * Terraform roots that share local modules are collected in parallel, one unit per root, sized by
 * what their module calls expand to, and give exactly the result of one thread.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers/fixtures.js';
import { terraformUnits } from '../src/collect/partition.js';
import { collectJob, sharingGroups } from '../src/collect/collect-job.js';
import { packInPlace } from '../src/collect/packed-positions.js';
import { EXPANDED_CALL_INSTANCES, terraformWorkOf } from '../src/collect/terraform-work.js';
import { PARALLEL_MIN_BYTES, collectInParallel } from '../src/collect/pool.js';
import type { SourceFile } from '../src/collectors/types.js';
import { DEFAULT_LIMITS } from '../src/util/structured.js';
import { sortCollected } from '../src/scan.js';

const f = (path: string, text = ''): SourceFile => ({ path, text });
const paths = (units: SourceFile[][]): string[][] => units.map((u) => u.map((x) => x.path).sort());
const call = (name: string, source: string, extra = ''): string => `module "${name}" {\n  source = "${source}"\n${extra}}\n`;

// @ts-expect-error the benchmark generator is plain JavaScript
const { generateSharedModules } = (await import('../bench/generate-shared-modules.mjs')) as { generateSharedModules: (dir: string, roots: number, seed: number) => { bytes: number } };

function generated(roots: number): { dir: string; files: SourceFile[]; bytes: number } {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-shared-modules-'));
  const { bytes } = generateSharedModules(dir, roots, 42);
  const files = (readdirSync(dir, { recursive: true }) as string[]).filter((p) => p.endsWith('.tf')).sort().map((p) => f(join(dir, p), readFileSync(join(dir, p), 'utf8')));
  return { dir, files, bytes };
}

describe('Terraform roots sharing modules', () => {
  it('makes one unit per root, each with the modules it reaches', () => {
    const units = terraformUnits([
      f('/r/live/a/main.tf', call('x', '../../modules/x')),
      f('/r/live/b/main.tf', call('x', '../../modules/x') + call('y', '../../modules/y')),
      f('/r/modules/x/main.tf', call('z', '../z')),
      f('/r/modules/y/main.tf'),
      f('/r/modules/z/main.tf'),
    ]);
    expect(paths(units)).toEqual([
      ['/r/live/a/main.tf', '/r/modules/x/main.tf', '/r/modules/z/main.tf'],
      ['/r/live/b/main.tf', '/r/modules/x/main.tf', '/r/modules/y/main.tf', '/r/modules/z/main.tf'],
    ]);
  });

  it('keeps a tree whole when splitting it could change what is read', () => {
    // A Terragrunt unit reads folders by other links than `source`.
    const terragrunt = terraformUnits([
      f('/r/live/a/main.tf', call('x', '../../modules/x')),
      f('/r/live/b/main.tf', call('x', '../../modules/x')),
      f('/r/live/b/terragrunt.hcl', 'inputs = {}\n'),
      f('/r/modules/x/main.tf'),
    ]);
    expect(terragrunt).toHaveLength(1);
    // A cycle no root reaches would be collected with no root at all.
    const cycle = terraformUnits([
      f('/r/live/a/main.tf', call('x', '../../modules/x')),
      f('/r/live/b/main.tf', call('x', '../../modules/x')),
      f('/r/modules/x/main.tf'),
      f('/r/modules/p/main.tf', call('q', '../q') + call('x', '../x')),
      f('/r/modules/q/main.tf', call('p', '../p')),
    ]);
    expect(cycle).toHaveLength(1);
  });

  it('collects units that share a module together, each other unit alone', () => {
    const units = terraformUnits([
      f('/r/live/a/main.tf', call('x', '../../modules/x')),
      f('/r/live/b/main.tf'),
      f('/r/live/c/main.tf', call('y', '../../modules/y')),
      f('/r/live/d/main.tf', call('x', '../../modules/x')),
      f('/r/live/e/main.tf', call('y', '../../modules/y') + call('x', '../../modules/x')),
      f('/r/live/g/main.tf', call('w', '../../modules/w')),
      f('/r/modules/w/main.tf'),
      f('/r/modules/x/main.tf'),
      f('/r/modules/y/main.tf'),
    ]);
    // e joins the groups of a (x) and c (y): one group for a, c, d and e, each shared file once.
    expect(sharingGroups(units).map((g) => g.map((x) => x.path))).toEqual([
      ['/r/live/a/main.tf', '/r/modules/x/main.tf', '/r/live/c/main.tf', '/r/modules/y/main.tf', '/r/live/d/main.tf', '/r/live/e/main.tf'],
      ['/r/live/b/main.tf'],
      ['/r/live/g/main.tf', '/r/modules/w/main.tf'],
    ]);
    // A Terragrunt unit may call any folder: its job is one collection.
    const withUnit = [...units, [f('/r/live/h/terragrunt.hcl', 'terraform {\n  source = local.module\n}\n')]];
    expect(sharingGroups(withUnit).map((g) => g.length)).toEqual([new Set(withUnit.flat().map((x) => x.path)).size]);
  });

  it('collects a job holding a Terragrunt unit whole: the unit may call a module the partition does not link', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-grouping-'));
    mkdirSync(join(dir, 'live', 'irsa'), { recursive: true });
    mkdirSync(join(dir, 'modules', 'irsa'), { recursive: true });
    mkdirSync(join(dir, 'live', 'plain'), { recursive: true });
    const write = (path: string, text: string): SourceFile => {
      writeFileSync(join(dir, path), text);
      return f(join(dir, path), text);
    };
    // The source is a local: the partition cannot tell which folder it names.
    const files = [
      write('live/irsa/terragrunt.hcl', 'locals {\n  module = "${get_terragrunt_dir()}/../../modules/irsa"\n}\nterraform {\n  source = local.module\n}\ninputs = {\n  name = "app"\n}\n'),
      write('live/plain/main.tf', 'resource "google_service_account" "plain" {\n  account_id = "plain"\n}\n'),
      write('modules/irsa/main.tf', 'variable "name" {}\nresource "google_service_account" "this" {\n  account_id = var.name\n}\n'),
    ];
    const options = { root: dir, limits: DEFAULT_LIMITS };
    const units = terraformUnits(files);
    expect(units.length).toBeGreaterThan(1);
    const { collectTerraform } = await import('../src/collectors/terraform/index.js');
    const whole = await collectTerraform(files, options);
    const grouped = await collectJob({ id: 0, kind: 'terraform', files: units, options }, undefined, (part) => packInPlace(part.resources));
    for (const r of [whole, grouped]) sortCollected(r);
    // The module is collected through the unit only, as a whole collection does, not as a root of its own.
    expect(whole.resources.map((r) => r.id)).toEqual(['tf:live/plain:google_service_account.plain', 'tf:live/irsa:module.irsa.google_service_account.this']);
    expect(grouped.resources.map((r) => r.id)).toEqual(whole.resources.map((r) => r.id));
    expect(JSON.stringify(grouped.resources)).toBe(JSON.stringify(whole.resources));
    expect(JSON.stringify(grouped.notes)).toBe(JSON.stringify(whole.notes));
    expect(JSON.stringify(grouped.accounts)).toBe(JSON.stringify(whole.accounts));
  });

  it('weighs a unit by the instances its calls may expand to', () => {
    const module = f('/r/modules/x/main.tf', 'resource "google_service_account" "this" {\n  account_id = var.name\n}\n');
    const once = f('/r/live/a/main.tf', call('x', '../../modules/x'));
    const each = f('/r/live/a/main.tf', call('x', '../../modules/x', '  for_each = local.names\n'));
    const work = (unit: SourceFile[]): number => terraformWorkOf(unit)(unit);
    expect(work([once, module])).toBe(once.text.length + module.text.length);
    expect(work([each, module])).toBe(each.text.length + EXPANDED_CALL_INSTANCES * module.text.length);
    // A call to a module that calls itself back is counted once, not forever.
    const loop = f('/r/modules/x/main.tf', call('x', './'));
    expect(work([each, loop])).toBe(each.text.length + EXPANDED_CALL_INSTANCES * loop.text.length);
    // Two roots calling one module: each unit is weighed with its own calls, the module read once for both.
    const other = f('/r/live/b/main.tf', call('x', '../../modules/x'));
    const both = terraformWorkOf([each, other, module]);
    expect(both([each, module])).toBe(each.text.length + EXPANDED_CALL_INSTANCES * module.text.length);
    expect(both([other, module])).toBe(other.text.length + module.text.length);
  });

  it('collects a small tree of many roots in parallel: its work, not its bytes, decides', async () => {
    const { files, bytes } = generated(120);
    expect(bytes).toBeLessThan(PARALLEL_MIN_BYTES / 4);
    const options = { root: files[0]!.path.split('/live/')[0]!, limits: DEFAULT_LIMITS };
    const result = await collectInParallel([], files, options, 2, PARALLEL_MIN_BYTES, join(REPO, 'build', 'worker.js'));
    expect(result).toBeDefined();
    expect(result!.resources.length).toBeGreaterThan(5000);
    // Each module file is accounted for once, however many jobs read it.
    const accounted = (result!.accounts ?? []).map((a) => a.file);
    expect(accounted.length).toBe(new Set(accounted).size);
    expect(new Set(accounted).size).toBe(files.length);
  });

  it('without threads, collects a large input job by job on this thread, with the threads\' result', async () => {
    const { files } = generated(120);
    const options = { root: files[0]!.path.split('/live/')[0]!, limits: DEFAULT_LIMITS };
    const here = await collectInParallel([], files, options, 0);
    const threads = await collectInParallel([], files, options, 2, PARALLEL_MIN_BYTES, join(REPO, 'build', 'worker.js'));
    expect(here).toBeDefined();
    for (const r of [here!, threads!]) sortCollected(r);
    expect(here!.resources.length).toBeGreaterThan(5000);
    // Positions packed in this thread read back as the worker's do: every pointer, every field.
    expect(JSON.stringify(here!.resources)).toBe(JSON.stringify(threads!.resources));
    expect(JSON.stringify(here!.notes)).toBe(JSON.stringify(threads!.notes));
    expect(JSON.stringify(here!.accounts)).toBe(JSON.stringify(threads!.accounts));
    // A small input is left to the caller's one pass, with threads or without.
    const small = generated(3).files;
    expect(await collectInParallel([], small, options, 0)).toBeUndefined();
  });

  it('finds exactly what one thread finds on a generated tree', async () => {
    const api = (await import(join(REPO, 'build', 'bench.js'))) as typeof import('../src/bench-entry.js');
    const { dir } = generated(60);
    // A broken file in a module every root calls: every job that reads it finds the error, the report names it once.
    writeFileSync(join(dir, 'modules', 'gsa', 'broken.tf'), 'resource "google_service_account" "extra" {\n  account_id = \n');
    const sequential = await api.scan({ paths: [dir], root: dir, workers: 0 });
    const parallel = await api.scan({ paths: [dir], root: dir, workers: 2 });
    expect(sequential.notes.filter((n) => n.file?.endsWith('broken.tf'))).toHaveLength(1);
    expect(sequential.findings.map((x) => x.ruleId)).toContain('gcp-wi-no-binding');
    expect(sequential.findings.length).toBeGreaterThan(50);
    expect(JSON.stringify(parallel.findings)).toBe(JSON.stringify(sequential.findings));
    expect(JSON.stringify(parallel.notes)).toBe(JSON.stringify(sequential.notes));
    expect(JSON.stringify(parallel.inputs)).toBe(JSON.stringify(sequential.inputs));
    expect(JSON.stringify(parallel.summary)).toBe(JSON.stringify(sequential.summary));
  });
});
