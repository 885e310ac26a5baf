/**
 * The one place podtrust runs a program of someone else's (helm, bicep) on repository content.
 * The content may come from a pull request, so every run:
 * - reads only a copy made through the input reader (see tool-workspace.ts), in a temporary
 *   folder outside the repository, which is its working directory;
 * - gets a minimal environment: PATH, a HOME and TMPDIR inside the copy's folder, proxies that
 *   lead nowhere, no kubeconfig, and what the tool's caller adds (its caches pointed into the
 *   folder) — no credential, token or cloud variable of podtrust's own environment;
 * - runs without network where the system lets an unprivileged process make itself a network
 *   namespace (`unshare --user --map-root-user --net`); elsewhere the tool is given only commands
 *   that do not reach the network, and the proxies above;
 * - is capped in time, output and memory (address space through `ulimit -v` on Linux, or an
 *   environment setting the tool's runtime honours), and killed with its whole process group at a cap.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import type { CoverageNote } from '../model/types.js';
import { boundedLine } from './input-text.js';

export interface ToolRun {
  /** Absolute path of the program (see {@link findProgram}). */
  program: string;
  args: string[];
  /** The copy the tool reads: its working directory. */
  cwd: string;
  /** The temporary folder the run may write in (HOME, TMPDIR). */
  scratch: string;
  /** Variables the tool needs besides the minimal set (its caches, pointed into `scratch`). */
  env?: Record<string, string>;
  timeoutMs: number;
  /** Standard output beyond this ends the run. */
  maxOutputBytes: number;
  /** Address-space cap through `ulimit -v`; leave it out for runtimes that reserve more than they use (.NET). */
  maxAddressSpaceBytes?: number;
}

export type ToolOutcome =
  | { ok: true; stdout: string; stderr: string }
  | { ok: false; reason: 'timeout' | 'output' | 'budget' | 'failed' | 'not-started'; message: string; stderr: string };

/** What a run was told to keep from podtrust's own environment: nothing but where programs are. */
export function toolEnvironment(scratch: string, extra: Record<string, string> = {}): Record<string, string> {
  const nowhere = 'http://127.0.0.1:9';
  return {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: scratch,
    TMPDIR: scratch,
    LANG: 'C.UTF-8',
    HTTP_PROXY: nowhere,
    HTTPS_PROXY: nowhere,
    ALL_PROXY: nowhere,
    http_proxy: nowhere,
    https_proxy: nowhere,
    all_proxy: nowhere,
    NO_PROXY: '',
    no_proxy: '',
    KUBECONFIG: join(scratch, 'no-kubeconfig'),
    ...extra,
  };
}

/** The absolute path of an executable `name` on `path` (or `name` itself when it is absolute), else undefined. */
export function findProgram(name: string, path = process.env['PATH'] ?? ''): string | undefined {
  const candidates = isAbsolute(name) ? [name] : path.split(delimiter).filter((d) => d !== '' && isAbsolute(d)).map((d) => join(d, name));
  for (const candidate of candidates) {
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

let isolation: boolean | undefined;

/** True when this system lets an unprivileged process run a command in a new, empty network namespace. */
export function networkIsolationAvailable(): boolean {
  if (isolation !== undefined) return isolation;
  if (process.platform !== 'linux') return (isolation = false);
  const unshare = findProgram('unshare');
  if (!unshare) return (isolation = false);
  const probe = spawnSync(unshare, ['--user', '--map-root-user', '--net', 'true'], { stdio: 'ignore', timeout: 5000, env: {} });
  return (isolation = probe.status === 0);
}

/**
 * A command line that runs `file` under `ulimit -v` (status 125 when the cap cannot be set). Linux
 * only: macOS's `ulimit -v` refuses to lower the limit, and Windows has no shell for it.
 */
export function underAddressSpaceCap(file: string, args: string[], maxBytes: number): { file: string; args: string[] } {
  if (process.platform !== 'linux') return { file, args };
  const kib = String(Math.max(1, Math.floor(maxBytes / 1024)));
  return { file: '/bin/sh', args: ['-c', 'ulimit -v "$0" || exit 125; exec "$@"', kib, file, ...args] };
}

/** The command line of a run: the program, inside a network namespace and under `ulimit -v` where they apply. */
function commandLine(run: ToolRun): { file: string; args: string[] } {
  let file = run.program;
  let args = run.args;
  if (run.maxAddressSpaceBytes !== undefined) ({ file, args } = underAddressSpaceCap(file, args, run.maxAddressSpaceBytes));
  if (networkIsolationAvailable()) {
    args = ['--user', '--map-root-user', '--net', '--', file, ...args];
    file = findProgram('unshare')!;
  }
  return { file, args };
}

const STDERR_KEEP = 64 * 1024;

/** Ends a program started `detached` (its own process group) and whatever it started. */
export function killProcessGroup(child: ChildProcess): void {
  try {
    if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
    else child.kill('SIGKILL');
  } catch {
    // already gone
  }
}

/** Runs one tool to its end or to a cap; never throws. */
export function runTool(run: ToolRun): Promise<ToolOutcome> {
  const { file, args } = commandLine(run);
  return new Promise<ToolOutcome>((resolve) => {
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let capped: 'timeout' | 'output' | undefined;
    let settled = false;
    const child = spawn(file, args, {
      cwd: run.cwd,
      env: toolEnvironment(run.scratch, run.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a cap ends whatever the tool started too.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const killGroup = (): void => killProcessGroup(child);
    const stop = (why: 'timeout' | 'output'): void => {
      if (capped) return;
      capped = why;
      killGroup();
    };
    const timer = setTimeout(() => stop('timeout'), run.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      if (capped) return;
      outBytes += chunk.length;
      if (outBytes > run.maxOutputBytes) return stop('output');
      out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < STDERR_KEEP) err += chunk.toString('utf8').slice(0, STDERR_KEEP - err.length);
    });
    const finish = (outcome: ToolOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    child.on('error', (e) => finish({ ok: false, reason: 'not-started', message: `could not start: ${(e as NodeJS.ErrnoException).code ?? e.message}`, stderr: '' }));
    child.on('close', (code, signal) => {
      // Anything the tool left behind in its group goes with it.
      killGroup();
      if (capped === 'timeout') return finish({ ok: false, reason: 'timeout', message: `did not finish within ${run.timeoutMs / 1000} s and was stopped`, stderr: err });
      if (capped === 'output') return finish({ ok: false, reason: 'output', message: `wrote more than ${run.maxOutputBytes} bytes and was stopped`, stderr: err });
      if (code !== 0) return finish({ ok: false, reason: 'failed', message: code === null ? `ended by ${signal}` : `exited with status ${code}`, stderr: err });
      finish({ ok: true, stdout: Buffer.concat(out).toString('utf8'), stderr: err });
    });
  });
}

/** How a scan runs external tools (`--no-external-tools`, `--helm PATH`, `--bicep PATH`). */
export interface ExternalToolOptions {
  /** False: no tool runs; what needs one is named in a warning. Default true. */
  enabled?: boolean;
  /** The helm program: a name looked up on PATH or an absolute path (default `helm`). */
  helm?: string;
  /** The bicep program (default `bicep`). */
  bicep?: string;
  /** Longest one run may take (default 60 s). */
  timeoutMs?: number;
  /** Longest all runs of one scan may take together (default 10 min). */
  totalMs?: number;
}

export const DEFAULT_TOOL_TIMEOUT_MS = 60_000;
export const DEFAULT_TOOLS_TOTAL_MS = 10 * 60_000;

/** Time spent so far by the runs of each scan (one options object per scan). */
const spent = new WeakMap<ExternalToolOptions, number>();

/**
 * Runs a tool within the per-run cap and what is left of the scan's budget: a repository of
 * many charts cannot keep a scan running for hours, one cap at a time.
 */
export async function runBudgeted(options: ExternalToolOptions, run: Omit<ToolRun, 'timeoutMs'>): Promise<ToolOutcome> {
  const total = options.totalMs ?? DEFAULT_TOOLS_TOTAL_MS;
  const left = total - (spent.get(options) ?? 0);
  if (left <= 0) return { ok: false, reason: 'budget', message: `was not run: the scan's time for external tools (${total / 1000} s) is spent`, stderr: '' };
  const started = Date.now();
  try {
    return await runTool({ ...run, timeoutMs: Math.min(options.timeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, left) });
  } finally {
    spent.set(options, (spent.get(options) ?? 0) + Math.max(1, Date.now() - started));
  }
}

/** The program to run for `tool`, or why there is none (for the warning). */
export function toolProgram(tool: 'helm' | 'bicep', options: ExternalToolOptions = {}): { program: string } | { missing: string } {
  if (options.enabled === false) return { missing: 'external tools are turned off (--no-external-tools)' };
  const name = options[tool] ?? tool;
  const program = findProgram(name);
  return program ? { program } : { missing: options[tool] ? `${name} is not an executable file` : `${tool} is not installed` };
}

/**
 * The note for a run that did not end well, at `where`: a cap is a `limit`, a failure a
 * `parse-error` of the input. What the tool said is kept to its first line, bounded, with the
 * copy's paths made relative and quoted text left out (a quoted value could be a secret).
 */
export function failedRunNote(outcome: Extract<ToolOutcome, { ok: false }>, where: { file: string; line: number }, what: string, copy: string): CoverageNote {
  const said = boundedLine(outcome.stderr.split(`${copy}/`).join(''));
  const kind = outcome.reason === 'timeout' || outcome.reason === 'output' || outcome.reason === 'budget' ? 'limit' : 'parse-error';
  return { kind, level: 'error', ...where, message: `${what} ${outcome.message}${said ? `: ${said}` : ''}` };
}
