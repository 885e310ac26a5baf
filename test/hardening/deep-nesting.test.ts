/**
 * Nesting as deep as a pull request can make it, in every format and through every walk that
 * recurses, scanned end to end through the built CLI: each bad file is one error note naming the
 * file, the line and the flag; the good file's finding is still reported; nothing reaches the
 * engine's stack overflow. All inputs are generated here, at the sizes that used to crash.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';

interface Report {
  findings: { ruleId: string; location: { file: string } }[];
  notes: { kind: string; level: string; file?: string; line?: number; message: string }[];
}

const FLAG = 'nesting deeper than 256 levels; raise the limit with --max-depth';
const OIDC = 'arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-deep-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

/** A JSON value `levels` deep written one opening bracket per line, so the line of each level is known. */
function deepObjectsJson(levels: number): string {
  return '{"a":\n'.repeat(levels) + '1' + '}'.repeat(levels) + '\n';
}

function trustPolicy(condition: unknown): unknown {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: OIDC }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] };
}

function cloudFormationJoins(levels: number): string {
  let name: unknown = 'web';
  for (let i = 0; i < levels; i++) name = { 'Fn::Join': ['', [name]] };
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: { Role: { Type: 'AWS::IAM::Role', Properties: { RoleName: name, AssumeRolePolicyDocument: trustPolicy({}) } } } }, null, 2);
}

/** Conditions that each negate the one before: a chain no nesting of the text bounds. */
function cloudFormationConditionChain(links: number): string {
  const conditions: Record<string, unknown> = { C0: { 'Fn::Equals': ['a', 'a'] } };
  for (let i = 1; i < links; i++) conditions[`C${i}`] = { 'Fn::Not': [{ Condition: `C${i - 1}` }] };
  return JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Conditions: conditions, Resources: { Role: { Type: 'AWS::IAM::Role', Condition: `C${links - 1}`, Properties: { AssumeRolePolicyDocument: trustPolicy({}) } } } }, null, 2);
}

function armExpression(levels: number): string {
  let expression = "'web'";
  for (let i = 0; i < levels; i++) expression = `concat(${expression})`;
  return JSON.stringify({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    resources: [{ type: 'Microsoft.ManagedIdentity/userAssignedIdentities', apiVersion: '2023-01-31', name: `[${expression}]`, location: 'westeurope' }],
  }, null, 2);
}

function iamCondition(levels: number): string {
  let condition: unknown = { 'oidc.eks.eu-west-1.amazonaws.com/id/ABC:sub': 'system:serviceaccount:web:api' };
  for (let i = 0; i < levels; i++) condition = { StringEquals: condition };
  return JSON.stringify({ Role: { RoleName: 'api', Arn: 'arn:aws:iam::123456789012:role/api', AssumeRolePolicyDocument: trustPolicy(condition) } }, null, 2);
}

/** Each level merges the previous one twice: 2^40 values once expanded, from under 3 KB. */
function mergeBomb(levels: number): string {
  const lines = ['a0: &a0', '  k0: v'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i}`, `  <<: [*a${i - 1}, *a${i - 1}]`, `  k${i}: v`);
  return lines.join('\n') + '\n';
}

function terraformLocalsChain(links: number): string {
  const lines = ['locals {', '  l0 = "web"'];
  for (let i = 1; i < links; i++) lines.push(`  l${i} = [local.l${i - 1}]`);
  lines.push('}', 'resource "aws_iam_role" "chain" {', '  name = "chain"', `  tags = { deep = jsonencode(local.l${links - 1}) }`, '  assume_role_policy = "{}"', '}');
  return lines.join('\n') + '\n';
}

const GOOD = [
  'apiVersion: v1',
  'kind: ServiceAccount',
  'metadata:',
  '  name: default',
  '  namespace: web',
  '  annotations:',
  '    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/web',
  '',
].join('\n');

describe('nesting past --max-depth, in every format, through the CLI', () => {
  const dir = repo({
    'good.yaml': GOOD,
    'arrays.json': '['.repeat(200_000) + ']'.repeat(200_000),
    'objects.json': deepObjectsJson(4000),
    'flow.yaml': 'a: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n',
    'block.yaml': Array.from({ length: 1000 }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + '\n',
    'compact.yaml': '- '.repeat(5000) + 'x\n',
    'tuples.tf': 'locals {\n  x = ' + '['.repeat(50_000) + ']'.repeat(50_000) + '\n}\n',
    'joins.template.json': cloudFormationJoins(100),
    'conditions.json': cloudFormationConditionChain(5000),
    'arm.json': armExpression(300),
    'role.json': iamCondition(300),
    'merge.yaml': mergeBomb(40),
    'chain.tf': terraformLocalsChain(20_000),
  });
  const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none']);
  const report = JSON.parse(r.stdout) as Report;
  const noteOf = (file: string) => report.notes.filter((n) => n.file === join(dir, file) || n.file === file);

  it('ends as a partial scan that still reports the good file', () => {
    expect(r.status).toBe(2);
    expect(report.findings.map((f) => `${f.ruleId} ${f.location.file}`)).toContain('k8s-identity-on-default-sa good.yaml');
  });

  it('names each bad file, the line where the limit was crossed and the flag', () => {
    // Lines follow from how each file is written: one level per line where it can be.
    const expected: [string, number, string][] = [
      ['arrays.json', 1, FLAG],
      ['objects.json', 258, FLAG],
      ['flow.yaml', 1, FLAG],
      ['block.yaml', 257, FLAG],
      ['compact.yaml', 1, FLAG],
      ['tuples.tf', 2, FLAG],
      // The merge that expands past the limit, as written (a18's, 2^18 copies of a0 deep).
      ['merge.yaml', 55, 'document expands to more than 2000000 values (alias bomb?); raise the limit with --max-document-values'],
    ];
    for (const [file, line, message] of expected) {
      expect(r.stderr, file).toContain(`${file}:${line}: error: ${message}`);
      expect(noteOf(file), file).toEqual([expect.objectContaining({ kind: 'limit', level: 'error', line, message })]);
    }
    for (const file of ['joins.template.json', 'conditions.json', 'arm.json', 'role.json', 'chain.tf']) {
      expect(r.stderr, file).toMatch(new RegExp(`${file.replace(/\./g, '\\.')}:\\d+: error: ${FLAG.replace(/[.]/g, '\\.')}`));
      expect(noteOf(file).map((n) => n.kind), file).toEqual(['limit']);
    }
  });

  it('places walker notes where the walk stopped, not at the top of the file', () => {
    expect(mergeBomb(40).split('\n')[54]).toBe('  <<: [*a17, *a17]');
    const arm = noteOf('arm.json')[0]!;
    const armText = armExpression(300).split('\n');
    expect(armText[arm.line! - 1]).toContain('"name": "[concat(');
    // The chain of locals crosses the limit part way down, at one of its links.
    const chain = noteOf('chain.tf')[0]!;
    expect(terraformLocalsChain(20_000).split('\n')[chain.line! - 1]).toMatch(/^ {2}l\d+ = \[local\.l\d+\]$/);
    const conditions = noteOf('conditions.json')[0]!;
    expect(cloudFormationConditionChain(5000).split('\n')[conditions.line! - 1]).toMatch(/"C\d+": \{|"Fn::Not"|"Condition": "C\d+"/);
  });

  it('never prints the engine stack overflow or a stack trace', () => {
    for (const text of [r.stdout, r.stderr]) {
      expect(text).not.toMatch(/Maximum call stack|RangeError|internal error/);
      expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);
    }
  });
});

describe('the most --max-depth can be', () => {
  it('reads every format nested right up to it without running out of stack', () => {
    const levels = 400;
    const dir = repo({
      'good.yaml': GOOD,
      'arrays.json': '['.repeat(levels + 1) + ']'.repeat(levels + 1),
      'objects.json': deepObjectsJson(levels),
      'flow.yaml': 'a: ' + '{b: '.repeat(levels - 1) + '1' + '}'.repeat(levels - 1) + '\n',
      'anchored.yaml': 'x: &x 1\na: ' + '['.repeat(levels - 1) + ']'.repeat(levels - 1) + '\n',
      'block.yaml': Array.from({ length: levels }, (_, i) => ' '.repeat(i) + 'k:').join('\n') + '\n',
      'tuples.tf': 'locals {\n  x = ' + '['.repeat(levels - 1) + ']'.repeat(levels - 1) + '\n}\n',
      'role.json': iamCondition(levels - 10),
    });
    const r = runCli(['scan', dir, '--root', dir, '--format', 'json', '--fail-on', 'none', '--max-depth', String(levels)]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const over = runCli(['scan', dir, '--max-depth', String(levels + 1)]);
    expect(over.status).toBe(2);
    expect(over.stderr).toContain(`--max-depth takes at most ${levels}`);
  });
});

describe('a saved inventory nested past --max-depth', () => {
  it('is refused with the line and the flag before it is walked', () => {
    const body = '{"a":\n'.repeat(300) + '1' + '}'.repeat(300);
    const dir = repo({
      'inventory.json': `{\n  "version": 1,\n  "resources": [\n    {"id": "k8s:x", "type": "k8s.ConfigMap", "name": "x", "file": "x.yaml", "format": "kubernetes", "positions": {}, "body": ${body}}\n  ],\n  "clusters": [],\n  "notes": []\n}\n`,
    });
    const r = runCli(['scan', '--inventory', join(dir, 'inventory.json'), '--root', dir]);
    expect(r.status).toBe(2);
    // The body opens on line 4, three levels below the root, then one level per line: its 257th
    // level, the first past the limit, opens on line 4 + 257.
    expect(r.stderr).toContain(`inventory.json:261: a resource body: ${FLAG}`);
    expect(r.stderr).not.toMatch(/Maximum call stack|RangeError/);
  });
});
