/**
 * The benchmark's bundle without the YAML fast path (`npm run bench -- yaml` compares a scan with
 * it): it must build, and the fast path must be gone from parseYaml only. The raw parse floor
 * calls yaml-ast-parser through the fast path's module, so that module stays in the bundle.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
// @ts-expect-error the benchmark's scripts are plain JavaScript
import { referenceOnlyBundle } from '../bench/yaml-reference-bundle.mjs';

const outdir = mkdtempSync(join(tmpdir(), 'podtrust-yaml-reference-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

it('builds, with yaml.ts importing the stand-in and the parse floor the fast path itself', async () => {
  const { metafile } = (await referenceOnlyBundle(process.cwd(), outdir)) as { metafile: { inputs: Record<string, { imports: { path: string }[] }> } };
  const importsOf = (file: string) => metafile.inputs[file]!.imports.map((i) => i.path).filter((p) => p.includes('yaml-fast'));
  expect(importsOf('src/util/yaml.ts')).toEqual(['no-fast-path:./yaml-fast.js']);
  expect(importsOf('src/collect/parse-floor.ts')).toEqual(['src/util/yaml-fast.ts']);
}, 60_000);
