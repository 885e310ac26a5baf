/** One measured run of bench/child.mjs in a child process, for the benchmarks vitest runs (live, fleet): its last line of output, parsed. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '..');

export function runChild(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 20 * 60_000): Promise<Record<string, unknown>> {
  return new Promise((done, fail) => {
    // PODTRUST_BENCH_NODE_ARGS: extra node flags for the measured child (`--cpu-prof`, `--heap-prof`).
    const extra = (process.env.PODTRUST_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const child = spawn(process.execPath, ['--max-old-space-size=4096', ...extra, join(REPO, 'bench', 'child.mjs'), ...args], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !last.startsWith('{')) fail(new Error(`child exited ${code}: ${out.slice(-500)}`));
      else done(JSON.parse(last) as Record<string, unknown>);
    });
  });
}
