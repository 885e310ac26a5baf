/** A block whose count / for_each is not known statically stands for its instances as one `[*]`, and the report says so. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import { collectInventory } from '../../../src/scan.js';
import { tempTree } from '../../helpers/temp-tree.js';

const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };
const ROOT = '/repo';

const CALLER = `variable "enabled" {
  type = bool
}

module "team" {
  source   = "./role"
  for_each = toset(["a", "b", "c"])
  name     = each.key
  enabled  = var.enabled
}

module "other" {
  source  = "./role"
  name    = "other"
  enabled = var.enabled
}
`;

const ROLE = `variable "name" {}
variable "enabled" {}

resource "aws_iam_role" "this" {
  count              = var.enabled ? 1 : 0
  name               = var.name
  assume_role_policy = "{}"
}

resource "aws_iam_role_policy_attachment" "extra" {
  for_each   = var.enabled ? { ro = "arn:aws:iam::aws:policy/ReadOnlyAccess" } : {}
  role       = var.name
  policy_arn = each.value
}

resource "aws_iam_role" "known" {
  count              = 1
  name               = "known-\${var.name}"
  assume_role_policy = "{}"
}
`;

async function collect() {
  return collectTerraform([{ path: '/repo/infra/main.tf', text: CALLER }, { path: '/repo/infra/role/main.tf', text: ROLE }], { root: ROOT, limits: LIMITS });
}

describe('count / for_each not known statically', async () => {
  const result = await collect();
  const unresolved = result.notes.filter((n) => n.kind === 'unresolved');

  it('still analyses each module instance\'s block as one [*] instance', () => {
    const addresses = result.resources.map((r) => r.address);
    for (const key of ['a', 'b', 'c']) expect(addresses).toContain(`module.team["${key}"].aws_iam_role.this[*]`);
    expect(addresses).toContain('module.other.aws_iam_role.this[*]');
  });

  it('names the block once, at its count / for_each line, however many module instances and callers there are', () => {
    expect(unresolved.map((n) => [n.file, n.line, n.level])).toEqual([
      ['/repo/infra/role/main.tf', 5, 'note'],
      ['/repo/infra/role/main.tf', 11, 'note'],
    ]);
    expect(unresolved[0]!.message).toBe('aws_iam_role.this: count is not known statically (an expression); analysed as one instance aws_iam_role.this[*]');
    expect(unresolved[1]!.message).toContain('aws_iam_role_policy_attachment.extra: for_each is not known statically');
  });

  it('adds no note for a count that is known', () => {
    expect(unresolved.some((n) => n.message.includes('aws_iam_role.known'))).toBe(false);
  });
});

describe('an unknown count in a root module', () => {
  it('names the reference the count is, at the count line', async () => {
    const result = await collectTerraform([{ path: '/repo/infra/main.tf', text: 'variable "n" {\n  type = number\n}\nresource "aws_iam_role" "r" {\n  count              = var.n\n  name               = "r"\n  assume_role_policy = "{}"\n}\n' }], { root: ROOT, limits: LIMITS });
    expect(result.notes.filter((n) => n.kind === 'unresolved')).toEqual([
      { kind: 'unresolved', level: 'note', file: '/repo/infra/main.tf', line: 5, column: 3, message: 'aws_iam_role.r: count is not known statically (var.n); analysed as one instance aws_iam_role.r[*]' },
    ]);
  });
});

describe('an unknown count in a downloaded module', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('is named at the caller\'s module call by its full address, never at a file under .terraform', async () => {
    const dir = tempTree('podtrust-unresolved-', {
      'main.tf': 'variable "on" {\n  type = bool\n}\n\nmodule "irsa" {\n  source = "example/irsa/aws"\n  create = var.on\n}\n',
      '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'irsa', Source: 'registry.terraform.io/example/irsa/aws', Version: '1.0.0', Dir: '.terraform/modules/irsa' }] }),
      '.terraform/modules/irsa/main.tf': ROLE.replace(/var\.enabled/g, 'var.create').replace('variable "enabled" {}', 'variable "create" {}').replace('variable "name" {}', 'variable "name" {\n  default = "irsa"\n}'),
    });
    dirs.push(dir);
    const inventory = await collectInventory({ paths: [dir], root: dir });
    const unresolved = inventory.notes.filter((n) => n.kind === 'unresolved');
    expect(unresolved.map((n) => [n.file, n.line])).toEqual([[join(dir, 'main.tf'), 5], [join(dir, 'main.tf'), 5]]);
    expect(unresolved.map((n) => n.message.split(':')[0])).toEqual(['module.irsa.aws_iam_role.this', 'module.irsa.aws_iam_role_policy_attachment.extra']);
  });
});

describe('a count written as a string', () => {
  it('is the number Terraform converts it to, not zero instances', async () => {
    const text = 'variable "on" {\n  default = true\n}\nresource "aws_iam_role" "r" {\n  count              = var.on ? "2" : "0"\n  name               = "r${count.index}"\n  assume_role_policy = "{}"\n}\n';
    const result = await collectTerraform([{ path: '/repo/infra/main.tf', text }], { root: ROOT, limits: LIMITS });
    expect(result.resources.map((r) => r.address)).toEqual(['aws_iam_role.r[0]', 'aws_iam_role.r[1]']);
    expect(result.notes.filter((n) => n.kind === 'unresolved')).toEqual([]);
  });
});

describe('a module call whose count is not known statically', () => {
  it('is named at its count line, as a resource block is', async () => {
    const result = await collectTerraform([
      { path: '/repo/infra/main.tf', text: 'variable "n" {\n  type = number\n}\nmodule "m" {\n  source = "./role"\n  count  = var.n\n}\n' },
      { path: '/repo/infra/role/main.tf', text: 'resource "aws_iam_role" "r" {\n  name               = "r"\n  assume_role_policy = "{}"\n}\n' },
    ], { root: ROOT, limits: LIMITS });
    expect(result.resources).toHaveLength(1);
    expect(result.notes.filter((n) => n.kind === 'unresolved')).toEqual([
      { kind: 'unresolved', level: 'note', file: '/repo/infra/main.tf', line: 6, column: 3, message: 'module.m: count is not known statically (var.n); analysed as one instance module.m[*]' },
    ]);
  });
});
