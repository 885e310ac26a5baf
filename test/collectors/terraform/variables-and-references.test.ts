import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

const ROOT = '/project';

async function run(files: Record<string, string>) {
  const list = Object.entries(files).map(([name, text]) => ({ path: join(ROOT, 'infra', name), text }));
  return collectTerraform(list, { root: ROOT, limits: { maxNodes: 1_000_000, maxDepth: 256 } });
}

function names(r: Awaited<ReturnType<typeof run>>): Record<string, string> {
  return Object.fromEntries(r.resources.map((x) => [x.address ?? x.id, x.name]));
}

const MODULE = `
variable "flag" {
  type     = bool
  default  = true
  nullable = false
}
variable "open" {
  type    = bool
  default = true
}
variable "groups" {
  type = map(object({
    size = optional(number, 2)
    tags = optional(list(object({ key = string, value = optional(string, "none") })), [])
  }))
  default = {}
}
resource "aws_iam_role" "flags" { name = "\${var.flag}-\${var.open == null ? "null" : var.open}" }
resource "aws_iam_role" "groups" { name = jsonencode(var.groups) }
`;

describe('module variables', () => {
  it('gives a nullable = false variable its default for null, keeps null for a nullable one', async () => {
    const r = await run({ 'main.tf': 'module "m" {\n  source = "./m"\n  flag = null\n  open = null\n}\n', 'm/main.tf': MODULE });
    expect(names(r)['module.m.aws_iam_role.flags']).toBe('true-null');
  });

  it('fills optional() attributes with their defaults at any depth and drops attributes the type does not declare', async () => {
    const r = await run({
      'main.tf': 'module "m" {\n  source = "./m"\n  groups = { a = {}, b = { size = 5, extra = true, tags = [{ key = "k" }] } }\n}\n',
      'm/main.tf': MODULE,
    });
    expect(JSON.parse(names(r)['module.m.aws_iam_role.groups']!)).toEqual({
      a: { size: 2, tags: [] },
      b: { size: 5, tags: [{ key: 'k', value: 'none' }] },
    });
  });

  it('applies the type to tfvars values of a root module', async () => {
    const r = await run({
      'main.tf': 'variable "s" {\n  type = object({ mode = optional(string, "strict") })\n}\nresource "aws_iam_role" "r" { name = var.s.mode }\n',
      'terraform.tfvars': 's = {}\n',
    });
    expect(names(r)['aws_iam_role.r']).toBe('strict');
  });
});

describe('references to resources of the same module', () => {
  it('resolve attributes the configuration sets, nested blocks as lists, and leave computed ones to the resource', async () => {
    const r = await run({
      'main.tf': `
resource "kubernetes_service_account" "app" {
  count = 1
  metadata {
    name      = "app"
    namespace = "shop"
  }
}
resource "aws_iam_role" "configured" { name = "\${kubernetes_service_account.app[0].metadata[0].namespace}/\${kubernetes_service_account.app[0].metadata[0].name}" }
resource "aws_iam_role" "computed" { name = "x" }
resource "aws_iam_policy" "p" { name = aws_iam_role.computed.unique_id }
resource "aws_iam_role" "self" { name = aws_iam_role.self.name }
`,
    });
    const byAddress = Object.fromEntries(r.resources.map((x) => [x.address, x]));
    expect(byAddress['aws_iam_role.configured']!.name).toBe('shop/app');
    expect((byAddress['aws_iam_policy.p']!.body as { PolicyName: unknown }).PolicyName).toMatchObject({ ref: { id: 'tf:infra:aws_iam_role.computed', attribute: 'unique_id' } });
    // A block that names itself is not evaluated in a loop: the reference stays unknown.
    expect(byAddress['aws_iam_role.self']!.name).toBe('aws_iam_role.self');
  });

  it('keep the reference to the resource when the configured value is known only in part', async () => {
    const r = await run({
      'main.tf': `
variable "env" { type = string }
resource "aws_iam_role" "app" {
  name               = "\${var.env}-app"
  assume_role_policy = "{}"
}
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.app.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
`,
    });
    const role = r.resources.find((x) => x.address === 'aws_iam_role.app')!;
    expect((role.body as { AttachedManagedPolicies: unknown[] }).AttachedManagedPolicies).toEqual([{ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', PolicyName: 'AdministratorAccess' }]);
  });
});
