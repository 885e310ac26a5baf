/**
 * `npm run new-rule`, end to end in a copy of the repository: it writes a rule that compiles and
 * placeholder cases that fail the rule fixture test, regenerates what is generated, and refuses
 * bad or taken ids.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { REPO } from './helpers/fixtures.js';

/** What new-rule, the generators and the rule fixture test read; fixtures of other rules are left out. */
const COPIED = ['package.json', 'tsconfig.json', 'vitest.config.ts', 'README.md', 'scripts', 'src', 'rules', 'docs', 'test/helpers', 'test/global-setup.ts', 'test/rules.fixtures.test.ts'];

function copyOfRepo(): string {
  const copy = mkdtempSync(join(tmpdir(), 'podtrust-new-rule-'));
  for (const rel of COPIED) cpSync(join(REPO, rel), join(copy, rel), { recursive: true });
  symlinkSync(realpathSync(join(REPO, 'node_modules')), join(copy, 'node_modules'));
  return copy;
}

function run(cwd: string, command: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: r.status, out: r.stdout + r.stderr };
}

const newRule = (cwd: string, ...args: string[]) => run(cwd, process.execPath, [join(cwd, 'scripts', 'new-rule.mjs'), ...args]);

function typeErrors(file: string, tsconfig: string): string[] {
  const { config } = ts.readConfigFile(tsconfig, (p) => ts.sys.readFile(p));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, join(tsconfig, '..'));
  const program = ts.createProgram([file], options);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('npm run new-rule', () => {
  const copy = copyOfRepo();

  it('refuses a missing, malformed or taken id with a clear message and writes nothing', () => {
    const refusals: [string[], RegExp][] = [
      [[], /usage: npm run new-rule -- <rule-id>/],
      [['ec2-imds-open'], /"ec2-imds-open": a rule id starts with the provider: aws-, azure-, gcp-, k8s- \(Kubernetes\) or iac- \(across clouds\)/],
      [['aws-Trust_wide'], /"aws-Trust_wide": a rule id is lower-case words and digits joined by single hyphens/],
      [['aws'], /"aws": a rule id is lower-case words/],
      [['aws-trust-sub-wildcard'], /rule aws-trust-sub-wildcard exists already: rules\/aws\/aws-trust-sub-wildcard\.ts/],
      [['k8s-identity-on-default-sa'], /rule k8s-identity-on-default-sa exists already: rules\/kubernetes\/k8s-identity-on-default-sa\./],
    ];
    for (const [args, message] of refusals) {
      const r = newRule(copy, ...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.out).toMatch(message);
    }
    expect(existsSync(join(copy, 'fixtures'))).toBe(false);
    expect(readdirSync(join(copy, 'rules'), { recursive: true })).toEqual(readdirSync(join(REPO, 'rules'), { recursive: true }));
  });

  it('writes a compiling rule and its cases, regenerates the index, docs and README, and the placeholders fail the fixture test', () => {
    const id = 'gcp-example-problem';
    const r = run(copy, 'npm', ['run', '--silent', 'new-rule', '--', id]);
    expect(r.status, r.out).toBe(0);
    expect(r.out).toContain(`wrote rules/gcp/${id}.ts`);
    expect(r.out).toContain(`wrote fixtures/rules/${id}/cases.yaml`);

    const ruleFile = join(copy, 'rules', 'gcp', `${id}.ts`);
    expect(readFileSync(ruleFile, 'utf8')).toContain(`id: '${id}'`);
    expect(typeErrors(ruleFile, join(copy, 'tsconfig.json'))).toEqual([]);
    expect(readFileSync(join(copy, 'src', 'engine', 'rule-index.generated.ts'), 'utf8')).toContain(`'../../rules/gcp/${id}.js'`);
    expect(existsSync(join(copy, 'docs', 'rules', `${id}.md`))).toBe(true);
    expect(readFileSync(join(copy, 'README.md'), 'utf8')).toContain(`[\`${id}\`](docs/rules/${id}.md)`);

    // A second time, the id is taken.
    expect(newRule(copy, id).out).toMatch(new RegExp(`rule ${id} exists already`));

    // The generic fixture test, run in the copy on the new rule: both placeholders fail, and so does the metadata.
    const test = run(copy, process.execPath, [join(copy, 'node_modules', 'vitest', 'vitest.mjs'), 'run', 'test/rules.fixtures.test.ts', '-t', `${id}|metadata is written`]);
    expect(test.status, test.out).not.toBe(0);
    expect(test.out).toContain(`fixtures/rules/${id}/cases.yaml#fail-todo is still a placeholder`);
    expect(test.out).toContain(`fixtures/rules/${id}/cases.yaml#pass-todo is still a placeholder`);
    expect(test.out).toContain(`${id}: its metadata still holds a TODO of npm run new-rule`);
  }, 240_000);
});
