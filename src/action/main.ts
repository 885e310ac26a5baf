/**
 * The GitHub Action: a thin adapter over `scan()`. Reads the inputs, writes the SARIF file,
 * annotations, a job summary and outputs, and fails the step when findings reach `fail-on`.
 */
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as core from '@actions/core';
import { PodtrustError } from '../errors.js';
import { loadConfig } from '../engine/config.js';
import { decideVerdict } from '../engine/verdict.js';
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
import { planAnnotations } from './annotations.js';
import { renderJobSummary } from './summary.js';
import { annotate, fail, printInert, warn } from './log.js';

/** Code scanning keeps one analysis per category; a stable one lets runs replace each other. */
export const SARIF_CATEGORY = 'podtrust/';

function write(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function sarifText(result: ScanResult): { text: string; helpUris: Map<string, string> } {
  const log = buildSarif(result);
  const run = log.runs[0]!;
  run.automationDetails = { id: SARIF_CATEGORY };
  const helpUris = new Map((run.tool.driver.rules ?? []).flatMap((r) => (r.helpUri ? [[r.id, r.helpUri] as const] : [])));
  return { text: `${JSON.stringify(log, null, 2)}\n`, helpUris };
}

function blobBase(): string | undefined {
  const { GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_SHA } = process.env;
  if (!GITHUB_REPOSITORY || !GITHUB_SHA) return undefined;
  return `${GITHUB_SERVER_URL || 'https://github.com'}/${GITHUB_REPOSITORY}/blob/${GITHUB_SHA}`;
}

async function scanWithBaseline(inputs: ActionInputs, workspace: string): Promise<ScanResult> {
  const config = loadConfig(workspace, inputs.config);
  const result = await scan({ paths: inputs.paths, root: workspace, config });
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

  printInert(renderTable(result, { color: false, width: 160 }));
  const plan = inputs.annotations ? planAnnotations(result) : { annotations: [], leftOut: 0 };
  for (const a of plan.annotations) annotate(a);

  const counts = countFindings(result.findings);
  const verdict = decideVerdict(result, { failOn: inputs.failOn });
  await core.summary
    .addRaw(
      renderJobSummary(result, {
        helpUris: sarif.helpUris,
        ...(blobBase() !== undefined ? { blobBase: blobBase()! } : {}),
        notAnnotated: plan.leftOut,
        sarifFile: inputs.sarifFile,
        failOn: inputs.failOn,
        verdict,
      }),
    )
    .write();

  core.setOutput('sarif-file', inputs.sarifFile);
  if (inputs.reportFile !== undefined) core.setOutput('report-file', inputs.reportFile);
  for (const s of SEVERITIES) core.setOutput(s, counts.bySeverity[s]);
  core.setOutput('new-findings', newFindingCount(result.findings));

  if (verdict.exitCode !== 0) fail(`podtrust: ${verdict.reason}`);
}

run().catch((e: unknown) => {
  const message = e instanceof PodtrustError ? e.message : `internal error: ${(e as Error).message}`;
  fail(`podtrust: ${message}`);
});
