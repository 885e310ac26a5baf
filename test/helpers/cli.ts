import { spawn, spawnSync } from 'node:child_process';
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

/** The built CLI in a child process, without blocking this process (where a loopback server may live). */
export function runCliAsync(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'podtrust.js'), ...args], { cwd: options.cwd ?? REPO, env: { ...process.env, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const timer = setTimeout(() => child.kill(), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}
