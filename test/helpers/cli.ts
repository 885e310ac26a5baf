import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO } from './fixtures.js';

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI exactly as a user does. */
export function runCli(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliRun {
  const r = spawnSync(process.execPath, [join(REPO, 'bin', 'podtrust.js'), ...args], {
    cwd: options.cwd ?? REPO,
    input: options.input ?? '',
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
