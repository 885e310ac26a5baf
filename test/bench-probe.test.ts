/**
 * The start-up benchmark's probe (bench/cpu-at-exit.cjs) reports the CPU of the whole process
 * whatever the run prints: a line written to stderr at exit must not take the figure's place.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './helpers/fixtures.js';

const PROBE = join(REPO, 'bench', 'cpu-at-exit.cjs');

describe('start-up benchmark probe', () => {
  it('writes the process CPU to its file even when the run prints to stderr last', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-probe-'));
    try {
      const file = join(dir, 'cpu.json');
      const program = "process.on('exit', () => process.stderr.write('podtrust: 1 finding(s)\\n'))";
      const r = spawnSync(process.execPath, ['--require', PROBE, '-e', program], {
        encoding: 'utf8',
        env: { ...process.env, PODTRUST_CPU_FILE: file },
      });
      expect(r.status).toBe(0);
      expect(r.stderr.trim().split('\n').pop()).toBe('podtrust: 1 finding(s)');
      const { cpuMs } = JSON.parse(readFileSync(file, 'utf8')) as { cpuMs: number };
      expect(cpuMs).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is loaded as CommonJS (a preloaded ES module would start the ESM loader `node -e 0` does not)', () => {
    const r = spawnSync(process.execPath, ['--require', PROBE, '-e', "process.stdout.write(String(require.cache[require.resolve(process.argv[1])] !== undefined))", PROBE], {
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('true');
  });
});
