import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import { parseHcl } from '../../../src/collectors/terraform/hcl-parser.js';
import type { Resource } from '../../../src/model/types.js';

const ROOT = join(import.meta.dirname, 'fixtures', 'in-memory');
const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };
const ISSUER = 'oidc.eks.eu-north-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789';

async function collect(files: Record<string, string>) {
  return collectTerraform(
    Object.entries(files).map(([name, text]) => ({ path: join(ROOT, name), text })),
    { root: ROOT, limits: LIMITS },
  );
}

function byAddress(resources: Resource[], address: string): Resource {
  const r = resources.find((x) => x.address === address);
  if (!r) throw new Error(`no ${address} in ${resources.map((x) => x.address).join(', ')}`);
  return r;
}

function trust(r: Resource): any {
  return (r.body as any).AssumeRolePolicyDocument;
}

const CONDITION = '/AssumeRolePolicyDocument/Statement/0/Condition';

describe('heredoc trust policy with interpolations', () => {
  it('keeps the lines of statements and conditions inside the heredoc', async () => {
    const text = [
      'variable "issuer" {',
      `  default = "${ISSUER}"`,
      '}',
      'resource "aws_iam_role" "r" {',
      '  name = "r"',
      '  assume_role_policy = <<POLICY',
      '{',
      '  "Statement": [',
      '    {',
      '      "Effect": "Allow",',
      '      "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/${var.issuer}" },',
      '      "Action": "sts:AssumeRoleWithWebIdentity",',
      '      "Condition": {',
      '        "StringLike": {',
      '          "${var.issuer}:sub": [',
      '            "system:serviceaccount:a:b",',
      '            "system:serviceaccount:c:*"',
      '          ]',
      '        }',
      '      }',
      '    }',
      '  ]',
      '}',
      'POLICY',
      '}',
    ].join('\n');
    const { resources } = await collect({ 'heredoc/main.tf': text });
    const role = byAddress(resources, 'aws_iam_role.r');
    const key = `${CONDITION}/StringLike/${ISSUER.replace(/\//g, '~1')}:sub`;
    expect(trust(role).Statement[0].Condition.StringLike[`${ISSUER}:sub`]).toEqual(['system:serviceaccount:a:b', 'system:serviceaccount:c:*']);
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0']).toMatchObject({ line: 9, column: 5 });
    expect(role.positions[CONDITION]).toMatchObject({ line: 13 });
    expect(role.positions[key]).toMatchObject({ line: 15, column: 11 });
    expect(role.positions[`${key}/0`]).toMatchObject({ line: 16, column: 13 });
    expect(role.positions[`${key}/1`]).toMatchObject({ line: 17, column: 13 });
  });
});

describe('indexed references to counted and for_each blocks', () => {
  const policyDocument = (meta: string, values: string) => [
    'data "aws_iam_policy_document" "assume" {',
    `  ${meta}`,
    '  statement {',
    '    actions = ["sts:AssumeRoleWithWebIdentity"]',
    '    principals {',
    '      type        = "Federated"',
    `      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${ISSUER}"]`,
    '    }',
    '    condition {',
    '      test     = "StringLike"',
    `      variable = "${ISSUER}:sub"`,
    `      values   = ${values}`,
    '    }',
    '  }',
    '}',
  ].join('\n');

  it('reads data.x[0].json of a counted policy document, with positions', async () => {
    const text = [
      'variable "create" {',
      '  default = true',
      '}',
      policyDocument('count = var.create ? 1 : 0', '["system:serviceaccount:*"]'),
      'resource "aws_iam_role" "this" {',
      '  count              = var.create ? 1 : 0',
      '  name               = "counted"',
      '  assume_role_policy = data.aws_iam_policy_document.assume[0].json',
      '}',
    ].join('\n');
    const { resources } = await collect({ 'counted/main.tf': text });
    const role = byAddress(resources, 'aws_iam_role.this[0]');
    expect(trust(role).Statement[0].Condition.StringLike[`${ISSUER}:sub`]).toBe('system:serviceaccount:*');
    const key = `${CONDITION}/StringLike/${ISSUER.replace(/\//g, '~1')}:sub`;
    expect(role.positions[key]).toMatchObject({ line: 14 });
    expect(role.positions[`${key}/0`]).toMatchObject({ line: 15 });
  });

  it('reads data.x[each.key].json and data.x["key"].json of a for_each policy document', async () => {
    const text = [
      'locals {',
      '  subjects = {',
      '    loki  = "system:serviceaccount:monitoring:loki"',
      '    tempo = "system:serviceaccount:monitoring:tempo-*"',
      '  }',
      '}',
      policyDocument('for_each = local.subjects', '[each.value]'),
      'resource "aws_iam_role" "irsa" {',
      '  for_each           = local.subjects',
      '  name               = "irsa-${each.key}"',
      '  assume_role_policy = data.aws_iam_policy_document.assume[each.key].json',
      '}',
      'resource "aws_iam_role" "fixed" {',
      '  name               = "fixed"',
      '  assume_role_policy = data.aws_iam_policy_document.assume["tempo"].json',
      '}',
    ].join('\n');
    const { resources } = await collect({ 'for-each/main.tf': text });
    const sub = (r: Resource) => trust(r).Statement[0].Condition.StringLike[`${ISSUER}:sub`];
    expect(sub(byAddress(resources, 'aws_iam_role.irsa["loki"]'))).toBe('system:serviceaccount:monitoring:loki');
    expect(sub(byAddress(resources, 'aws_iam_role.irsa["tempo"]'))).toBe('system:serviceaccount:monitoring:tempo-*');
    expect(sub(byAddress(resources, 'aws_iam_role.fixed'))).toBe('system:serviceaccount:monitoring:tempo-*');
  });

  it('refers to the right instance of a for_each resource and reads outputs of a counted module', async () => {
    const main = [
      'locals {',
      '  apps = toset(["web", "api"])',
      '}',
      'resource "aws_iam_role" "app" {',
      '  for_each           = local.apps',
      '  name               = each.key',
      '  assume_role_policy = "{}"',
      '}',
      'module "names" {',
      '  count  = 1',
      '  source = "./names"',
      '}',
      'resource "kubernetes_service_account" "sa" {',
      '  for_each = local.apps',
      '  metadata {',
      '    name      = module.names[0].prefix',
      '    namespace = each.key',
      '    annotations = {',
      '      "eks.amazonaws.com/role-arn" = aws_iam_role.app[each.key].arn',
      '    }',
      '  }',
      '}',
    ].join('\n');
    const names = 'output "prefix" {\n  value = "svc"\n}\n';
    const { resources } = await collect({ 'module/main.tf': main, 'module/names/main.tf': names });
    const sa = byAddress(resources, 'kubernetes_service_account.sa["api"]');
    const meta = (sa.body as any).metadata;
    expect(meta.name).toBe('svc');
    expect(meta.annotations['eks.amazonaws.com/role-arn'].ref).toEqual({ id: 'tf:module:aws_iam_role.app["api"]', attribute: 'arn' });
  });
});

describe('positions of condition values', () => {
  it('gives each entry of a multi-line values list its own line, and a one-line list one shared line', async () => {
    const text = [
      'data "aws_iam_policy_document" "d" {',
      '  statement {',
      '    actions = ["sts:AssumeRoleWithWebIdentity"]',
      '    principals {',
      '      type        = "Federated"',
      `      identifiers = ["arn:aws:iam::111122223333:oidc-provider/${ISSUER}"]`,
      '    }',
      '    condition {',
      '      test     = "StringEquals"',
      `      variable = "${ISSUER}:sub"`,
      '      values = [',
      '        "system:serviceaccount:a:one",',
      '        "system:serviceaccount:a:two",',
      '      ]',
      '    }',
      '    condition {',
      '      test     = "StringEquals"',
      `      variable = "${ISSUER}:sub"`,
      '      values   = ["system:serviceaccount:b:three", "system:serviceaccount:b:four"]',
      '    }',
      '    condition {',
      '      test     = "StringEquals"',
      `      variable = "${ISSUER}:aud"`,
      '      values   = ["sts.amazonaws.com"]',
      '    }',
      '  }',
      '}',
      'resource "aws_iam_role" "r" {',
      '  name               = "r"',
      '  assume_role_policy = data.aws_iam_policy_document.d.json',
      '}',
    ].join('\n');
    const { resources } = await collect({ 'values/main.tf': text });
    const role = byAddress(resources, 'aws_iam_role.r');
    const issuer = ISSUER.replace(/\//g, '~1');
    const sub = `${CONDITION}/StringEquals/${issuer}:sub`;
    expect(trust(role).Statement[0].Condition.StringEquals[`${ISSUER}:sub`]).toEqual([
      'system:serviceaccount:a:one',
      'system:serviceaccount:a:two',
      'system:serviceaccount:b:three',
      'system:serviceaccount:b:four',
    ]);
    expect([0, 1, 2, 3].map((i) => role.positions[`${sub}/${i}`]?.line)).toEqual([12, 13, 19, 19]);
    expect(role.positions[`${CONDITION}/StringEquals/${issuer}:aud/0`]).toMatchObject({ line: 24 });
  });

  it('gives entries of a jsonencode list their positions', async () => {
    const text = [
      'resource "aws_iam_role" "r" {',
      '  name = "r"',
      '  assume_role_policy = jsonencode({',
      '    Statement = [{',
      '      Effect    = "Allow"',
      '      Action    = "sts:AssumeRoleWithWebIdentity"',
      `      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/${ISSUER}" }`,
      '      Condition = {',
      '        StringLike = {',
      `          "${ISSUER}:sub" = [`,
      '            "system:serviceaccount:a:*",',
      '            "system:serviceaccount:b:*",',
      '          ]',
      '        }',
      '      }',
      '    }]',
      '  })',
      '}',
    ].join('\n');
    const { resources } = await collect({ 'jsonencode/main.tf': text });
    const role = byAddress(resources, 'aws_iam_role.r');
    const sub = `${CONDITION}/StringLike/${ISSUER.replace(/\//g, '~1')}:sub`;
    expect(role.positions[`${sub}/0`]).toMatchObject({ line: 11 });
    expect(role.positions[`${sub}/1`]).toMatchObject({ line: 12 });
  });
});

describe('syntax error messages', () => {
  const cases: [string, number, string][] = [
    ['resource "a" "b" {\n  name = "x"\n}\n}\n', 4, 'syntax error: unexpected "}"'],
    ['resource "a" "b" {\n  name "x"\n}\n', 2, 'syntax error: missing "=" before the value (or "{" to open a block)'],
    ['resource "a" "b" {\n  name = \n}\n', 2, 'syntax error: missing value after "="'],
    ['resource "a" "b" {\n  name = "x"\n', 2, 'syntax error: missing "}"'],
    ['variable "x" {\n  default = [1, 2,,]\n}\n', 2, 'syntax error: missing a value'],
  ];
  for (const [text, line, message] of cases) {
    it(`says "${message}"`, async () => {
      const parsed = await parseHcl('/abs/path/bad.tf', text);
      expect(parsed.error).toMatchObject({ line, message });
    });
  }

  it('names neither the path nor text that could be a secret', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const { notes } = await collect({ 'broken/bad.tf': `resource "a" "b" {\n  secret = "${secret}\n}\n`, 'broken/junk.tf': `locals {\n  a = ${secret} ${secret}\n}\n` });
    const errors = notes.filter((n) => n.kind === 'parse-error');
    expect(errors.length).toBe(2);
    for (const n of errors) {
      expect(n.message).not.toContain(ROOT);
      expect(n.message).not.toContain('wJalr');
      expect(n.message).toMatch(/^syntax error: /);
    }
    expect(errors.find((n) => n.file?.endsWith('bad.tf'))).toMatchObject({ line: 2, column: 12, message: 'syntax error: unterminated string' });
  });
});

describe('trust policies that cannot be read', () => {
  it('notes each role whose trust policy is not known statically, once', async () => {
    const text = [
      'variable "trust" {}',
      'resource "aws_iam_role" "templated" {',
      '  name = "templated"',
      '  assume_role_policy = templatefile("${path.module}/trust.json.tpl", { issuer = "x" })',
      '}',
      'resource "aws_iam_role" "from_file" {',
      '  name               = "from-file"',
      '  assume_role_policy = file("${path.module}/trust.json")',
      '}',
      'resource "aws_iam_role" "from_var" {',
      '  name               = "from-var"',
      '  assume_role_policy = var.trust',
      '}',
      'resource "aws_iam_role" "known" {',
      '  name               = "known"',
      '  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = var.trust } }] })',
      '}',
    ].join('\n');
    const { notes } = await collect({ 'unresolved/main.tf': text });
    const unresolved = notes.filter((n) => n.kind === 'unresolved');
    const file = join(ROOT, 'unresolved', 'main.tf');
    expect(unresolved).toEqual([
      { kind: 'unresolved', level: 'note', file, line: 4, column: 24, message: 'aws_iam_role.templated: trust policy is not known statically (templatefile(...)); rules that need it stayed silent' },
      { kind: 'unresolved', level: 'note', file, line: 8, column: 24, message: 'aws_iam_role.from_file: trust policy is not known statically (file(...)); rules that need it stayed silent' },
      { kind: 'unresolved', level: 'note', file, line: 12, column: 24, message: 'aws_iam_role.from_var: trust policy is not known statically (var.trust); rules that need it stayed silent' },
    ]);
  });
});
