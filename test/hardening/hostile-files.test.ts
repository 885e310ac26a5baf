/**
 * Files a pull request can add, scanned end to end through the built CLI: links out of the
 * repository, devices, FIFOs and a huge sparse file under `.terraform/modules`, a linked
 * `.podtrust.yaml`, JSON with trailing commas, a report piped into `head`. Every run must end
 * (a hang fails the test at its timeout), read nothing outside the repository and say what it
 * did not read.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, runCliStdinOpen, type CliRun } from '../helpers/cli.js';
import { REPO } from '../helpers/fixtures.js';

/** Written only into files outside the scanned repository: it must never appear in any output. */
const MARKER = 'ZX_OUTSIDE_MARKER_41c7';
const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/ABC';

const role = (name: string, sub: string): string =>
  [
    `resource "aws_iam_role" "${name}" {`,
    `  name = "${name}"`,
    '  assume_role_policy = jsonencode({',
    `    Statement = [{ Effect = "Allow", Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/${ISSUER}" }, Action = "sts:AssumeRoleWithWebIdentity", Condition = { StringLike = { "${ISSUER}:sub" = "${sub}" }, StringEquals = { "${ISSUER}:aud" = "sts.amazonaws.com" } } }]`,
    '  })',
    '}',
    '',
  ].join('\n');

interface Layout {
  repo: string;
  /** `.terraform/modules/m`: not created; the test puts there what it wants. */
  moduleDir: string;
  /** A folder outside the repository holding `main.tf` (a role named after MARKER) and `config.yaml` (MARKER as its first key). */
  outside: string;
}

/**
 * A repository whose root module defines a role with a wildcard subject (one finding, so the
 * scan is seen to go on) and calls one downloaded module, `m`, as `terraform init` records it.
 */
function hostileRepo(): Layout {
  const base = mkdtempSync(join(tmpdir(), 'podtrust-hostile-files-'));
  const repo = join(base, 'repo');
  const outside = join(base, 'outside');
  mkdirSync(join(repo, '.terraform', 'modules'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(join(outside, 'main.tf'), role(MARKER, 'system:serviceaccount:*'));
  writeFileSync(join(outside, 'config.yaml'), `${MARKER}: true\nrules:\n  aws-trust-sub-wildcard: off\n`);
  writeFileSync(join(repo, 'main.tf'), `${role('inside', 'system:serviceaccount:web:*')}\nmodule "m" {\n  source  = "example/hostile/aws"\n  version = "1.0.0"\n}\n`);
  writeFileSync(
    join(repo, '.terraform', 'modules', 'modules.json'),
    JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'm', Source: 'registry.terraform.io/example/hostile/aws', Version: '1.0.0', Dir: '.terraform/modules/m' }] }),
  );
  return { repo, moduleDir: join(repo, '.terraform', 'modules', 'm'), outside };
}

interface JsonReport {
  findings: { ruleId: string; resource: { name: string } }[];
  notes: { kind: string; level: string; file?: string; line?: number; message: string }[];
  summary: { partial: boolean };
}

function scanJson(repo: string, extra: string[] = []): { run: CliRun; report: JsonReport } {
  const run = runCli(['scan', repo, '--root', repo, '--format', 'json', ...extra]);
  return { run, report: JSON.parse(run.stdout) as JsonReport };
}

/** The marker is nowhere, the repository's own finding is there, and the scan says why it is partial. */
function expectRefused(run: CliRun, report: JsonReport, note: RegExp): void {
  expect(run.stdout + run.stderr).not.toContain(MARKER);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  expect(report.findings.map((f) => `${f.ruleId} ${f.resource.name}`)).toEqual(['aws-trust-sub-wildcard inside']);
  expect(run.stderr).toMatch(note);
  expect(report.summary.partial).toBe(true);
  expect(run.status).toBe(2);
}

describe('files in a downloaded module folder', () => {
  it('a .tf linked to a file outside the repository is not read, in any format', () => {
    const { repo, moduleDir, outside } = hostileRepo();
    mkdirSync(moduleDir);
    symlinkSync(join(outside, 'main.tf'), join(moduleDir, 'main.tf'));
    const { run, report } = scanJson(repo);
    expectRefused(run, report, /^\.terraform\/modules\/m\/main\.tf:1: error: symbolic link leads outside the scanned folders \(--root and the paths given\); not read$/m);
    expect(run.stderr).toMatch(/^main\.tf:\d+: warning: module "m" \(example\/hostile\/aws\) is not analysed: its downloaded folder was not read/m);
    for (const format of ['table', 'sarif']) {
      const other = runCli(['scan', repo, '--root', repo, '--format', format]);
      expect(other.status).toBe(2);
      expect(other.stdout + other.stderr).not.toContain(MARKER);
      expect(other.stdout + other.stderr).toContain('.terraform/modules/m/main.tf');
    }
  });

  it('a .tf linked to /dev/zero is refused before it is opened', (ctx) => {
    if (!existsSync('/dev/zero')) ctx.skip('no /dev/zero on this system');
    const { repo, moduleDir } = hostileRepo();
    mkdirSync(moduleDir);
    symlinkSync('/dev/zero', join(moduleDir, 'main.tf'));
    const { run, report } = scanJson(repo);
    expectRefused(run, report, /^\.terraform\/modules\/m\/main\.tf:1: error: symbolic link leads outside the scanned folders/m);
  });

  it('a FIFO is refused: it is not a regular file', (ctx) => {
    const { repo, moduleDir } = hostileRepo();
    mkdirSync(moduleDir);
    try {
      execFileSync('mkfifo', [join(moduleDir, 'main.tf')]);
    } catch (e) {
      ctx.skip(`mkfifo is not available here (${(e as Error).message}); the FIFO case is not tested`);
    }
    const { run, report } = scanJson(repo);
    expectRefused(run, report, /^\.terraform\/modules\/m\/main\.tf:1: error: a FIFO \(named pipe\), not a regular file; not read$/m);
  });

  it('a .tf linked to /dev/stdin does not wait for input that never comes', async (ctx) => {
    if (!existsSync('/dev/stdin')) ctx.skip('no /dev/stdin on this system');
    const { repo, moduleDir } = hostileRepo();
    mkdirSync(moduleDir);
    symlinkSync('/dev/stdin', join(moduleDir, 'main.tf'));
    const run = await runCliStdinOpen(['scan', repo, '--root', repo, '--format', 'json']);
    // Where /dev/stdin leads depends on what stdin is (here a pipe, which has no path).
    expectRefused(run, JSON.parse(run.stdout) as JsonReport, /^\.terraform\/modules\/m\/main\.tf:1: error: symbolic link leads (nowhere|outside the scanned folders)/m);
  });

  it('a 200 MB sparse file is refused by its size, not read', () => {
    const { repo, moduleDir } = hostileRepo();
    mkdirSync(moduleDir);
    const big = join(moduleDir, 'main.tf');
    writeFileSync(big, '');
    truncateSync(big, 200 * 1024 * 1024);
    const { run, report } = scanJson(repo);
    expectRefused(run, report, /^\.terraform\/modules\/m\/main\.tf:1: error: file is 200 MiB, over the per-file limit of 10 MiB \(--max-file-size\)$/m);
  });

  it('a module folder linked outside the repository is not followed, and says so', () => {
    const { repo, moduleDir, outside } = hostileRepo();
    symlinkSync(outside, moduleDir);
    const run = runCli(['scan', repo, '--root', repo, '--format', 'json', '--fail-on', 'none']);
    expect(run.stdout + run.stderr).not.toContain(MARKER);
    expect(run.stderr).toMatch(/^\.terraform\/modules\/m: warning: symbolic link leads outside the scanned folders \(--root and the paths given\); not followed$/m);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.resource.name)).toEqual(['inside']);
    // A module that is not analysed is a warning, as one that is not downloaded.
    expect(run.status).toBe(0);
  });

  it('a module folder that is a real folder is still analysed', () => {
    const { repo, moduleDir } = hostileRepo();
    mkdirSync(moduleDir);
    writeFileSync(join(moduleDir, 'main.tf'), role('from-module', '*'));
    const { run, report } = scanJson(repo, ['--fail-on', 'none']);
    expect(run.status).toBe(0);
    expect(report.findings.map((f) => f.resource.name).sort()).toEqual(['from-module', 'inside']);
  });
});

describe('the configuration file', () => {
  it('a .podtrust.yaml linked outside the repository is not read: named, nothing of it printed, report written, exit 2', () => {
    const { repo, outside } = hostileRepo();
    symlinkSync(join(outside, 'config.yaml'), join(repo, '.podtrust.yaml'));
    const output = join(repo, 'report.json');
    const run = runCli(['scan', repo, '--root', repo, '--format', 'json', '--output', output]);
    expect(run.status).toBe(2);
    expect(run.stdout + run.stderr).not.toContain(MARKER);
    expect(run.stderr).toMatch(/^\.podtrust\.yaml:1: error: configuration file not read: symbolic link leads outside the scanned folders \(--root and the paths given\); the scan ran without it$/m);
    const text = readFileSync(output, 'utf8');
    expect(text).not.toContain(MARKER);
    const report = JSON.parse(text) as JsonReport;
    // Named once, as the configuration (the walk meets the same file).
    expect(report.notes.filter((n) => n.file === '.podtrust.yaml')).toEqual([expect.objectContaining({ level: 'error', line: 1, message: expect.stringContaining('configuration file not read') })]);
    // Without it, the rule it would have turned off still runs.
    expect(report.findings.map((f) => f.ruleId)).toContain('aws-trust-sub-wildcard');

    const table = runCli(['scan', repo, '--root', repo]);
    expect(table.status).toBe(2);
    expect(table.stdout + table.stderr).not.toContain(MARKER);
    expect(table.stdout).toContain('configuration file not read');
  });

  it('a .podtrust.yaml linked to /dev/zero is refused at once', (ctx) => {
    if (!existsSync('/dev/zero')) ctx.skip('no /dev/zero on this system');
    const { repo } = hostileRepo();
    symlinkSync('/dev/zero', join(repo, '.podtrust.yaml'));
    const output = join(repo, 'report.sarif');
    const run = runCli(['scan', repo, '--root', repo, '--format', 'sarif', '--output', output]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^\.podtrust\.yaml:1: error: configuration file not read: symbolic link leads outside/m);
    expect(existsSync(output)).toBe(true);
  });

  it('--config may name a file outside the repository, but only a regular one', (ctx) => {
    const { repo, outside } = hostileRepo();
    const named = runCli(['scan', repo, '--root', repo, '--format', 'json', '--config', join(outside, 'config.yaml')]);
    // The user named it: it is read (and its unknown first key is reported, as in any config).
    expect(named.status).toBe(2);
    expect(named.stderr).toContain(`unknown setting "${MARKER}"`);
    writeFileSync(join(outside, 'good.yaml'), 'rules:\n  aws-trust-sub-wildcard: off\n');
    const good = runCli(['scan', repo, '--root', repo, '--format', 'json', '--config', join(outside, 'good.yaml'), '--fail-on', 'none']);
    expect(good.status).toBe(0);
    expect((JSON.parse(good.stdout) as JsonReport).findings).toEqual([]);

    try {
      execFileSync('mkfifo', [join(outside, 'fifo.yaml')]);
    } catch (e) {
      ctx.skip(`mkfifo is not available here (${(e as Error).message}); the FIFO case is not tested`);
    }
    const fifo = runCli(['scan', repo, '--root', repo, '--format', 'json', '--config', join(outside, 'fifo.yaml')]);
    expect(fifo.status).toBe(2);
    expect(fifo.stderr).toMatch(/fifo\.yaml:1: error: configuration file not read: a FIFO \(named pipe\), not a regular file; the scan ran without it/);
    expect((JSON.parse(fifo.stdout) as JsonReport).findings.map((f) => f.ruleId)).toContain('aws-trust-sub-wildcard');
  });
});

describe('JSON with trailing commas or comments', () => {
  it('a trust policy with trailing commas gives its finding and a warning naming the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-lenient-json-'));
    const policy = [
      '{',
      '  "Version": "2012-10-17",',
      '  "Statement": [',
      '    {',
      '      "Effect": "Allow",',
      `      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${ISSUER}" },`,
      '      "Action": "sts:AssumeRoleWithWebIdentity",',
      `      "Condition": { "StringLike": { "${ISSUER}:sub": "system:serviceaccount:*", "${ISSUER}:aud": "sts.amazonaws.com", } }`,
      '    },',
      '  ]',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'trust.json'), policy);
    const run = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.map((f) => f.ruleId)).toContain('aws-trust-sub-wildcard');
    expect(report.notes).toEqual([{ kind: 'parse-error', level: 'warning', file: 'trust.json', line: 8, column: expect.any(Number), message: expect.stringMatching(/^not valid JSON: a trailing comma \(the first such place\)/) }]);
    expect(run.stderr).toMatch(/^trust\.json:8: warning: not valid JSON: a trailing comma/m);
  });

  it('a comment is named at its own line; strict JSON gives no warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-lenient-json-'));
    const role = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISSUER}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${ISSUER}:sub`]: 'system:serviceaccount:web:api', [`${ISSUER}:aud`]: 'sts.amazonaws.com' } } }] };
    const strict = JSON.stringify(role, null, 2);
    writeFileSync(join(dir, 'strict.json'), strict);
    writeFileSync(join(dir, 'commented.json'), strict.replace('"Statement"', '// who may assume it\n  "Statement"'));
    const run = runCli(['scan', dir, '--root', dir, '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.notes.map((n) => `${n.file}:${n.line} ${n.level} ${n.message.slice(0, 25)}`)).toEqual(['commented.json:3 warning not valid JSON: a comment']);
  });
});

describe('a report piped into a reader that stops early', () => {
  it('`podtrust scan … --format json | head -c 10` ends quietly with the usual exit status', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-epipe-'));
    // Several hundred findings: the report is far larger than a pipe holds, so head leaves before it is written.
    const docs = Array.from({ length: 400 }, (_, i) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: team-${i}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/team-${i}\n`);
    writeFileSync(join(dir, 'sas.yaml'), docs.join('---\n'));
    const whole = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'medium']);
    expect(whole.stdout.length).toBeGreaterThan(256 * 1024);
    expect(whole.status).toBe(1);

    const bin = join(REPO, 'bin', 'podtrust.js');
    const err = join(dir, 'stderr.txt');
    const status = join(dir, 'status.txt');
    const script = `{ "$NODE" "$BIN" scan "$DIR" --root "$DIR" --format json --fail-on medium 2>"$ERR"; echo $? >"$STATUS"; } | head -c 10`;
    const r = spawnSync('/bin/sh', ['-c', script], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE: process.execPath, BIN: bin, DIR: dir, ERR: err, STATUS: status } });
    expect(r.stdout).toBe(whole.stdout.slice(0, 10));
    const stderr = readFileSync(err, 'utf8');
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(readFileSync(status, 'utf8').trim()).toBe('1');
  });
});
