import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO } from '../helpers/fixtures.js';

describe('the committed action bundle', () => {
  it('is what scripts/build-action.mjs builds from src/ now (run it and commit dist/ when this fails)', () => {
    const fresh = mkdtempSync(join(tmpdir(), 'podtrust-dist-'));
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-action.mjs'), '--outdir', fresh], { stdio: 'pipe' });
    const committed = join(REPO, 'dist');
    expect(readdirSync(committed).sort()).toEqual(readdirSync(fresh).sort());
    for (const name of readdirSync(fresh)) {
      expect(readFileSync(join(committed, name)).equals(readFileSync(join(fresh, name))), `dist/${name} is stale`).toBe(true);
    }
  });

  it('is what action.yml runs, on node24', () => {
    const action = parse(readFileSync(join(REPO, 'action.yml'), 'utf8')) as { runs: { using: string; main: string }; inputs: Record<string, unknown> };
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['path', 'config', 'fail-on', 'format', 'sarif-file', 'baseline', 'only-new', 'annotations']));
  });
});
