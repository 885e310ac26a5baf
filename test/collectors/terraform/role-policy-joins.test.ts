import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

const ROOT = '/project';
const FILE = join(ROOT, 'infra', 'main.tf');

const role = (name: string, trust = '"{}"') => `resource "aws_iam_role" "${name}" {\n  name               = "${name}"\n  assume_role_policy = ${trust}\n}\n`;
const inline = (name: string, roleName: string, action: string) =>
  `resource "aws_iam_role_policy" "${name}" {\n  role = aws_iam_role.${roleName}.id\n  policy = jsonencode({\n    Statement = [{\n      Effect   = "Allow"\n      Action   = "${action}"\n      Resource = "*"\n    }]\n  })\n}\n`;

const MAIN = role('a') + role('b') + inline('a_read', 'a', 's3:GetObject') + inline('a_write', 'a', 's3:PutObject') + inline('b_read', 'b', 'sqs:ReceiveMessage');

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length;
}

/** Roles `a` and `b` of one root module written as `text`. */
async function roles(text: string) {
  const r = await collectTerraform([{ path: FILE, text }], { root: ROOT, limits: { maxNodes: 1_000_000, maxDepth: 256 } });
  const byAddress = (address: string) => r.resources.find((x) => x.address === address)!;
  return { a: byAddress('aws_iam_role.a'), b: byAddress('aws_iam_role.b') };
}

const ACTION = (i: number) => `/RolePolicyList/${i}/PolicyDocument/Statement/0/Action`;

describe('inline role policies joined into their roles', () => {
  it('places each policy of a root at its own index, each role with its own lines', async () => {
    const { a, b } = await roles(MAIN);
    expect(a.positions[ACTION(0)]?.line).toBe(lineOf(MAIN, 's3:GetObject'));
    expect(a.positions[ACTION(1)]?.line).toBe(lineOf(MAIN, 's3:PutObject'));
    expect(b.positions[ACTION(0)]?.line).toBe(lineOf(MAIN, 'sqs:ReceiveMessage'));
    expect(b.positions[ACTION(1)]).toBeUndefined();
    for (const r of [a, b]) for (const p of Object.keys(r.positions)) expect(r.positions[p]!.file).toBeUndefined();
  });

  it('gives each role positions of its own, also where two roles read one policy document', async () => {
    const trust = 'data.aws_iam_policy_document.trust.json';
    const text = `data "aws_iam_policy_document" "trust" {\n  statement {\n    actions = ["sts:AssumeRoleWithWebIdentity"]\n  }\n}\n` + role('a', trust) + role('b', trust);
    const { a, b } = await roles(text);
    const pointer = '/AssumeRolePolicyDocument/Statement/0/Action';
    const line = lineOf(text, 'sts:AssumeRoleWithWebIdentity');
    expect(a.positions[pointer]?.line).toBe(line);
    expect(b.positions[pointer]).toEqual(a.positions[pointer]);
    a.positions[pointer]!.line = 999;
    expect(b.positions[pointer]?.line).toBe(line);
  });
});
