/**
 * A pull request writes every name podtrust prints. Hostile file and folder names, namespaces,
 * role names, module sources and ignore reasons go through the real CLI (table) and the bundled
 * Action with the runner's environment; the captured logs are read as the runner reads them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { checkWorkflowLog, logLines } from '../helpers/workflow-log.js';
import { nodeBinaries, runAction } from './run-action.js';
import { EKS, NO_SUB, workspace } from './workspace.js';

const FORGED = ['::error title=X::forged', '::stop-commands::tok', '##[error]forged', '%0A::warning::pct', '::add-mask::x'];

/** YAML double-quoted, so the parsed value holds the line breaks. */
function quoted(s: string): string {
  return JSON.stringify(s);
}

function serviceAccount(namespace: string): string {
  return [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: default',
    `  namespace: ${quoted(namespace)}`,
    '  annotations:',
    '    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app',
    '',
  ].join('\n');
}

function hostileRole(name: string, arnName: string): string {
  const statement = { Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${EKS}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: NO_SUB };
  return `${JSON.stringify({ Role: { RoleName: name, Arn: `arn:aws:iam::111122223333:role/${arnName}`, AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [statement] } } }, null, 2)}\n`;
}

/**
 * Module sources padded so that, at some width, a forged command falls at the start of a
 * wrapped line; namespaces and role names with line breaks; file names with all of it.
 */
function hostileFiles(): Record<string, string> {
  const modules = Array.from({ length: 40 }, (_, i) => `module "m${i}" {\n  source = ${quoted(`git::https://x.example/m ${'w '.repeat(20 + i)}${FORGED[i % FORGED.length]} ##[warning]w`)}\n}\n`).join('\n');
  return {
    'infra ::error title=X::dir/main.tf': modules,
    'sa ::error title=F::forged.yaml': serviceAccount('ns##[error]forged ::error title=Y::z'),
    'nl\n::error title=NL::x.yaml': serviceAccount('ns\n::error title=N::n\r::stop-commands::tok2'),
    'pct%0A::warning::y,z:w.yaml': serviceAccount('ns%0A::warning::p'),
    '##[error]role.json': hostileRole('r\n::error title=R::role ##[error]x', 'r'),
    'zw\u200b::error::z.json': hostileRole('\u200b::notice::zw', 'zw'),
    'broken\n::error title=B::b.yaml': 'a: [\n',
    '.podtrust.yaml': `ignore:\n  - rule: "*"\n    path: "nothing/##[error]/**"\n    reason: ${quoted('ok\n::error title=C::cfg')}\n`,
  };
}

const TITLE = /^(critical|high|medium|low): [a-z0-9-]+$/;

describe('the CLI table on a hostile repository', () => {
  const ws = workspace(hostileFiles());

  it('prints no workflow command and no legacy marker, on stdout or stderr', () => {
    // JSON and SARIF on stdout are data a runner prints too: escaped inside their strings.
    for (const args of [[], ['--verbose'], ['--format', 'json'], ['--format', 'sarif'], ['--output', join(ws, 'out.txt')]]) {
      const run = runCli(['scan', ws, '--root', ws, '--fail-on', 'none', ...args]);
      for (const stream of [run.stdout, run.stderr]) {
        const check = checkWorkflowLog(stream, ws);
        expect(check.problems).toEqual([]);
        expect(check.annotations).toEqual([]);
        expect(check.tokens).toEqual([]);
      }
    }
  });

  it('prints the notes of other formats inertly on stderr', () => {
    const run = runCli(['scan', ws, '--root', ws, '--fail-on', 'none', '--format', 'markdown']);
    expect(run.stderr).toContain('broken\\n::error title=B::b.yaml:2: error:');
    expect(checkWorkflowLog(run.stderr, ws).problems).toEqual([]);
  });

  it('keeps the data of JSON reports exact', () => {
    const run = runCli(['scan', ws, '--root', ws, '--fail-on', 'none', '--format', 'json']);
    const report = JSON.parse(run.stdout) as { findings: { location: { file: string } }[] };
    expect(report.findings.map((f) => f.location.file)).toContain('##[error]role.json');
  });

  it('shows each hostile name, escaped where it has control characters', () => {
    const run = runCli(['scan', ws, '--root', ws, '--fail-on', 'none']);
    expect(run.stdout).toContain('nl\\n::error title=NL::x.yaml');
    expect(run.stdout).toContain('broken\\n::error title=B::b.yaml');
    expect(run.stdout).toContain('zw\\u{200b}::error::z.json');
    expect(run.stdout).toContain('##\\[error]role.json');
    // A forged command that wrapping put at the start of a line is broken, not dropped.
    expect(logLines(run.stdout).some((line) => /^\s*\\::(error|stop-commands|warning|add-mask)/.test(line))).toBe(true);
  });
});

describe.each(nodeBinaries())('the bundled action on a hostile repository, $name', ({ path: node }) => {
  it('writes only its own commands: annotations with escaped properties at existing files, the report between stop-commands and resume', () => {
    const ws = workspace(hostileFiles());
    const run = runAction(node, ws, { 'fail-on': 'none' });
    expect(run.status).toBe(0); // the broken file makes the scan incomplete; fail-on none never fails the step
    expect(run.stderr).toBe('');
    const check = checkWorkflowLog(run.stdout, ws);
    expect(check.problems).toEqual([]);
    expect(check.tokens).toHaveLength(1);
    // The table and the notes are inside the stopped region.
    const lines = logLines(run.stdout);
    const stop = lines.findIndex((l) => l === `::stop-commands::${check.tokens[0]}`);
    const resume = lines.findIndex((l) => l === `::${check.tokens[0]}::`);
    expect(lines.slice(stop, resume).join('\n')).toContain('Coverage notes:');

    const located = check.annotations.filter((a) => a.props.file !== undefined);
    expect(located.map((a) => a.props.file).sort()).toEqual(['broken\n::error title=B::b.yaml', 'nl\n::error title=NL::x.yaml', 'pct%0A::warning::y,z:w.yaml', 'sa ::error title=F::forged.yaml']);
    for (const a of check.annotations.slice(0, -1)) expect(a.props.title).toMatch(/^(critical|high|medium|low): [a-z0-9-]+$|^podtrust: [a-z-]+$/);
    // The broken file is annotated as what made the scan incomplete, at its escaped name.
    const incomplete = check.annotations.filter((a) => a.props.title === 'podtrust: parse-error');
    expect(incomplete.map((a) => a.props.file)).toEqual(['broken\n::error title=B::b.yaml']);
    // Not attachable exactly: annotated without file=, the message says where.
    const unattached = check.annotations.filter((a) => a.props.file === undefined && TITLE.test(a.props.title ?? ''));
    expect(unattached.map((a) => a.data.split(':')[0]).sort()).toEqual(['##\\[error]role.json', 'zw\\u{200b}']);
    expect(check.annotations.at(-1)!.data).toBe('podtrust: the scan is incomplete: some input could not be read (see the coverage notes); the step passes (fail-on none)');
  });

  it('uses a new token on every run', () => {
    const ws = workspace(hostileFiles());
    const tokens = [runAction(node, ws, { 'fail-on': 'none' }), runAction(node, ws, { 'fail-on': 'none' })].map((r) => checkWorkflowLog(r.stdout, ws).tokens[0]);
    expect(tokens[0]).not.toBe(tokens[1]);
  });

  it('escapes error messages that quote the configuration', () => {
    const ws = workspace({ '.podtrust.yaml': `rules:\n  ${quoted('x\n::error title=E::cfg ##[error]y')}: off\n` });
    const run = runAction(node, ws, {});
    expect(run.status).toBe(1);
    const check = checkWorkflowLog(run.stdout, ws);
    expect(check.problems).toEqual([]);
    expect(check.annotations).toHaveLength(1);
    expect(check.annotations[0]!.data).toMatch(/^podtrust: .*\.podtrust\.yaml:2: unknown rule "x\n\\::error title=E::cfg ##\\\[error]y"/);
  });
});

describe.each(nodeBinaries())('the bundled action on an input it cannot read, $name', ({ path: node }) => {
  it('annotates the file and line that made the scan incomplete', () => {
    const ws = workspace({ 'k8s/bad.yaml': 'a: 1\nb: [\n' });
    const run = runAction(node, ws, { 'fail-on': 'none' });
    const check = checkWorkflowLog(run.stdout, ws);
    expect(check.problems).toEqual([]);
    const error = check.annotations.find((a) => a.props.title === 'podtrust: parse-error');
    expect(error?.props).toMatchObject({ file: 'k8s/bad.yaml', line: '3' });
  });
});

describe('the job summary of a hostile repository', () => {
  it('lists the ignore entry with its scope, names escaped', () => {
    const ws = workspace(hostileFiles());
    const run = runAction(process.execPath, ws, { 'fail-on': 'none' });
    expect(run.summary).toContain('every rule · path nothing/\\#\\#\\[error\\]/\\*\\* · every resource · no expiry · reason: ok ::error title=C::cfg');
    expect(readFileSync(join(ws, 'podtrust.sarif'), 'utf8')).toContain('"path": "nothing/##[error]/**"');
  });
});
