/**
 * The GitHub Action: a thin adapter over `scan()`. Reads the inputs, writes the SARIF file,
 * annotations, a job summary and outputs, and fails the step when findings reach `fail-on`.
 * `run()` is called by `index.ts` (the bundle's entry), so tools that import this module and call
 * `run()` themselves (`@github/local-action`) run it once.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import * as core from '@actions/core';
import { PodtrustError } from '../errors.js';
import { loadConfig } from '../engine/config.js';
import { decideVerdict, type Verdict } from '../engine/verdict.js';
import type { ScanResult } from '../engine/result.js';
import { scan } from '../scan.js';
import { applyBaseline, loadBaseline, newFindingCount } from '../baseline/baseline.js';
import { buildSarif } from '../reporters/sarif.js';
import { render } from '../reporters/index.js';
import { renderTable } from '../reporters/table.js';
import { countFindings } from '../reporters/counts.js';
import { shownPath } from '../reporters/paths.js';
import { SEVERITIES } from '../model/types.js';
import { readInputs, type ActionInputs } from './inputs.js';
import type { ModuleFetchOptions } from '../collectors/terraform/fetch/fetcher.js';
import { FETCH_TIME_MS } from '../collectors/terraform/fetch/fetch-time.js';
import { defaultCacheDir } from '../collectors/terraform/fetch/cache.js';
import { isInside } from '../util/input-reader.js';
import { makeDirs } from '../util/make-dirs.js';
import { planAnnotations } from './annotations.js';
import { renderJobSummary } from './summary.js';
import { annotate, fail, printInert, warn } from './log.js';

/** Code scanning keeps one analysis per category; a stable one lets runs replace each other. */
export const SARIF_CATEGORY = 'podtrust/';

function write(file: string, text: string): void {
  makeDirs(dirname(file));
  writeFileSync(file, text);
}

function sarifText(result: ScanResult): { text: string; helpUris: Map<string, string> } {
  const log = buildSarif(result);
  const run = log.runs[0]!;
  run.automationDetails = { id: SARIF_CATEGORY };
  const helpUris = new Map((run.tool.driver.rules ?? []).flatMap((r) => (r.helpUri ? [[r.id, r.helpUri] as const] : [])));
  return { text: `${JSON.stringify(log, null, 2)}\n`, helpUris };
}

/**
 * The commit the job summary links into: on a pull request the head commit from the event (the
 * runner's GITHUB_SHA is a merge commit that the pull request page does not show), else GITHUB_SHA.
 */
export function linkedCommit(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath && (env.GITHUB_EVENT_NAME ?? '').startsWith('pull_request')) {
    try {
      const event = JSON.parse(readFileSync(eventPath, 'utf8')) as { pull_request?: { head?: { sha?: unknown } } };
      const sha = event.pull_request?.head?.sha;
      if (typeof sha === 'string' && /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha)) return sha;
    } catch {
      // An unreadable event file leaves the runner's own commit.
    }
  }
  return env.GITHUB_SHA || undefined;
}

function blobBase(): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY } = process.env;
  const sha = linkedCommit();
  if (!GITHUB_REPOSITORY || !sha) return undefined;
  return `${GITHUB_SERVER_URL || 'https://github.com'}/${GITHUB_REPOSITORY}/blob/${sha}`;
}

/**
 * Whether the step fails: never with fail-on none (a base-branch baseline step must not break the
 * job for a broken file on the base); otherwise for findings at fail-on, and for an incomplete
 * scan unless fail-on-incomplete is off.
 */
export function stepFails(verdict: Verdict, inputs: Pick<ActionInputs, 'failOn' | 'failOnIncomplete'>): string | undefined {
  if (inputs.failOn === 'none') return undefined;
  if (verdict.outcome === 'incomplete' && inputs.failOnIncomplete) return verdict.reason;
  if (verdict.reached.length > 0) return `${verdict.reached.length} finding(s) at or above ${inputs.failOn}`;
  return undefined;
}

/** The runner's cache folder for fetched modules, never inside the workspace. */
function actionModuleCache(workspace: string): ModuleFetchOptions {
  const cacheDir = defaultCacheDir();
  return { cacheDir: isInside(cacheDir, workspace) ? join(process.env.RUNNER_TEMP || tmpdir(), 'podtrust') : cacheDir, deadline: Date.now() + FETCH_TIME_MS };
}

async function scanWithBaseline(inputs: ActionInputs, workspace: string): Promise<ScanResult> {
  const config = loadConfig(workspace, inputs.config);
  const commit = linkedCommit();
  const modules = inputs.downloadModules ? actionModuleCache(workspace) : undefined;
  const result = await scan({ paths: inputs.paths, root: workspace, config, exclude: inputs.exclude, ...(commit !== undefined ? { commit } : {}), ...(modules ? { modules } : {}) });
  if (inputs.baseline === undefined) return result;
  if (!existsSync(inputs.baseline)) {
    warn(`baseline ${shownPath(workspace, inputs.baseline)} not found: every finding counts as new`);
    return applyBaseline(result, { fingerprints: new Set(), format: 'sarif' }, { onlyNew: inputs.onlyNew });
  }
  return applyBaseline(result, loadBaseline(inputs.baseline), { onlyNew: inputs.onlyNew });
}

export async function run(): Promise<void> {
  const workspace = resolve(process.env.GITHUB_WORKSPACE || process.cwd());
  const inputs = readInputs((name) => core.getInput(name), workspace);
  const result = await scanWithBaseline(inputs, workspace);

  const sarif = sarifText(result);
  write(inputs.sarifFile, sarif.text);
  if (inputs.reportFile !== undefined) write(inputs.reportFile, render(inputs.format, result, { width: 160 }));
  for (const r of inputs.reports) write(r.file, render(r.format, result, { width: 160 }));

  printInert(renderTable(result, { color: false, width: 160 }));
  const plan = inputs.annotations ? planAnnotations(result) : { annotations: [], leftOut: 0 };
  for (const a of plan.annotations) annotate(a);

  const counts = countFindings(result.findings);
  const verdict = decideVerdict(result, { failOn: inputs.failOn });
  const failure = stepFails(verdict, inputs);
  await core.summary
    .addRaw(
      renderJobSummary(result, {
        helpUris: sarif.helpUris,
        ...(blobBase() !== undefined ? { blobBase: blobBase()! } : {}),
        notAnnotated: plan.leftOut,
        sarifFile: inputs.sarifFile,
        failOn: inputs.failOn,
        verdict,
        stepFails: failure !== undefined,
      }),
    )
    .write();

  core.setOutput('sarif-file', inputs.sarifFile);
  if (inputs.reportFile !== undefined) core.setOutput('report-file', inputs.reportFile);
  for (const s of SEVERITIES) core.setOutput(s, counts.bySeverity[s]);
  core.setOutput('new-findings', newFindingCount(result.findings));

  core.setOutput('incomplete', verdict.outcome === 'incomplete');
  if (failure !== undefined) fail(`podtrust: ${failure}`);
  else if (verdict.outcome === 'incomplete') warn(`podtrust: ${verdict.reason}; the step passes (${inputs.failOn === 'none' ? 'fail-on none' : 'fail-on-incomplete off'})`);
}

/** The failure of the whole run (a usage error, a crash): the one thing that fails the step whatever fail-on says. */
export function runFailed(e: unknown): void {
  const message = e instanceof PodtrustError ? e.message : `internal error: ${(e as Error).message}`;
  fail(`podtrust: ${message}`);
}
