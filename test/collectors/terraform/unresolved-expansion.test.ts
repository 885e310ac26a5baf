/** A block whose count / for_each is not known statically stands for its instances as one `[*]`, and the report says so. */
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

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
  });

  it('names the block once, at its count / for_each line, however many module instances there are', () => {
    expect(unresolved.map((n) => [n.file, n.line, n.level])).toEqual([
      ['/repo/infra/role/main.tf', 5, 'note'],
      ['/repo/infra/role/main.tf', 11, 'note'],
    ]);
    expect(unresolved[0]!.message).toBe('module.team.aws_iam_role.this: count is not known statically (an expression); analysed as one instance module.team.aws_iam_role.this[*]');
    expect(unresolved[1]!.message).toContain('module.team.aws_iam_role_policy_attachment.extra: for_each is not known statically');
  });

  it('adds no note for a count that is known', () => {
    expect(unresolved.some((n) => n.message.includes('aws_iam_role.known'))).toBe(false);
  });
});

describe('an unknown count in a root module', () => {
  it('names the reference the count is, without instance keys to strip', async () => {
    const result = await collectTerraform([{ path: '/repo/infra/main.tf', text: 'variable "n" {\n  type = number\n}\nresource "aws_iam_role" "r" {\n  count              = var.n\n  name               = "r"\n  assume_role_policy = "{}"\n}\n' }], { root: ROOT, limits: LIMITS });
    expect(result.notes.filter((n) => n.kind === 'unresolved')).toEqual([
      { kind: 'unresolved', level: 'note', file: '/repo/infra/main.tf', line: 5, column: 3, message: 'aws_iam_role.r: count is not known statically (var.n); analysed as one instance aws_iam_role.r[*]' },
    ]);
  });
});
