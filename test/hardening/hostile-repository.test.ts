/**
 * One hostile repository with every attack at once, scanned end to end through the built CLI:
 * the report is complete for the ordinary files, each bad file is named, the exit says the scan
 * was partial, and nothing forged, outside or secret reaches any output. Time and memory bounds
 * for the same repository are in `npm run bench -- hostile`.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/fixtures.js';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI with its standard input held open and never written, as in a pull-request job. */
function scan(repo: string, args: string[]): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(REPO, 'bin', 'podtrust.js'), 'scan', repo, '--root', repo, ...args], {
      cwd: repo,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (status) => done({ status, stdout, stderr }));
  });
}

interface Hostile {
  generateHostile: (dir: string) => { repo: string; outside: string };
  OUTSIDE_MARKER: string;
  PLANTED_SECRET: string;
}

/** Every 8-character piece of the secret: none may appear anywhere. */
function secretPieces(PLANTED_SECRET: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i + 8 <= PLANTED_SECRET.length; i++) pieces.push(PLANTED_SECRET.slice(i, i + 8));
  return pieces;
}

describe('a hostile repository', () => {
  it('gets a complete report: every real finding, each bad file named, exit 2, nothing outside, no secret, no stack', async () => {
    // @ts-expect-error the generator is plain JavaScript, shared with the benchmark
    const { generateHostile, OUTSIDE_MARKER, PLANTED_SECRET } = (await import('../../bench/generate-hostile.mjs')) as Hostile;
    const { repo } = generateHostile(join(mkdtempSync(join(tmpdir(), 'podtrust-hostile-repo-')), 'tree'));
    const runs = await Promise.all([scan(repo, ['--format', 'json', '--fail-on', 'none']), scan(repo, ['--format', 'sarif', '--fail-on', 'none']), scan(repo, ['--fail-on', 'none'])]);
    const [json, sarif, table] = runs as [Run, Run, Run];
    for (const run of runs) {
      expect(run.status, run.stderr.slice(0, 2000)).toBe(2);
      const all = run.stdout + run.stderr;
      expect(all).not.toContain(OUTSIDE_MARKER);
      for (const piece of secretPieces(PLANTED_SECRET)) expect(all).not.toContain(piece);
      expect(all).not.toMatch(/Maximum call stack|RangeError|\n\s+at \S+ \(/);
    }

    const report = JSON.parse(json.stdout) as { findings: { ruleId: string; location: { file: string } }[]; notes: { level: string; file?: string; message: string }[]; summary: { partial: boolean } };
    expect(report.summary.partial).toBe(true);
    const found = report.findings.map((f) => `${f.ruleId} ${f.location.file}`);
    expect(found).toEqual(expect.arrayContaining(['aws-trust-sub-wildcard good/irsa-role.json', 'k8s-identity-on-default-sa good/default-sa.yaml']));
    const named = new Set(report.notes.filter((n) => n.level === 'error').map((n) => n.file));
    for (const file of ['bombs/arrays.json', 'bombs/objects.json', 'bombs/merge.yaml', 'bombs/deep.yaml', 'zero.yaml', '.podtrust.yaml']) expect([...named], file).toContain(file);
    expect([...named].some((f) => f?.startsWith('bombs/for/'))).toBe(true);

    const log = JSON.parse(sarif.stdout) as { runs: { results: { ruleId: string }[] }[] };
    expect(log.runs[0]!.results.map((r) => r.ruleId)).toEqual(expect.arrayContaining(['aws-trust-sub-wildcard', 'k8s-identity-on-default-sa']));

    // Printed text is inert in a GitHub Actions log.
    for (const line of (table.stdout + table.stderr).split(/\r\n|\r|\n/)) {
      expect(line.trimStart().startsWith('::'), line).toBe(false);
      expect(line.includes('##['), line).toBe(false);
    }
  }, 240_000);
});
