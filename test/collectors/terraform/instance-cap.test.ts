/** count and for_each beyond the instance cap are cut off with a note, never silently. */
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };
const ROOT = '/repo';

async function collect(text: string) {
  return collectTerraform([{ path: '/repo/infra/main.tf', text }], { root: ROOT, limits: LIMITS });
}

describe('Terraform instance cap', () => {
  it('a count above the cap keeps the first 1000 instances and notes the block', async () => {
    const result = await collect(`resource "aws_iam_role" "workers" {
  count = 5000
  name  = "worker-\${count.index}"
  assume_role_policy = "{}"
}
`);
    expect(result.resources.filter((r) => r.address?.startsWith('aws_iam_role.workers['))).toHaveLength(1000);
    const limits = result.notes.filter((n) => n.kind === 'limit');
    expect(limits).toEqual([expect.objectContaining({ level: 'warning', file: '/repo/infra/main.tf', line: 1 })]);
    expect(limits[0]!.message).toContain('resource "aws_iam_role" "workers": count = 5000 exceeds the cap of 1000 instances');
  });

  it('a for_each above the cap is cut to the cap, with the same note', async () => {
    const result = await collect(`locals {
  teams = toset([for i in concat(range(600), range(600, 1200)) : "team-\${i}"])
}

module "irsa" {
  source   = "./irsa"
  for_each = local.teams
  name     = each.key
}
`);
    const limits = result.notes.filter((n) => n.kind === 'limit');
    expect(limits).toEqual([expect.objectContaining({ level: 'warning', file: '/repo/infra/main.tf', line: 5 })]);
    expect(limits[0]!.message).toContain('module "irsa": for_each over 1200 elements exceeds the cap of 1000 instances');
  });

  it('a resource for_each above the cap yields exactly the cap', async () => {
    const result = await collect(`resource "aws_iam_role" "team" {
  for_each = toset([for i in concat(range(750), range(750, 1500)) : "team-\${i}"])
  name     = each.key
  assume_role_policy = "{}"
}
`);
    expect(result.resources.filter((r) => r.address?.startsWith('aws_iam_role.team['))).toHaveLength(1000);
    expect(result.notes.filter((n) => n.kind === 'limit').map((n) => n.line)).toEqual([1]);
  });

  it('a count at the cap or below adds no note', async () => {
    const result = await collect('resource "aws_iam_role" "a" {\n  count = 1000\n  name  = "a"\n  assume_role_policy = "{}"\n}\n');
    expect(result.resources).toHaveLength(1000);
    expect(result.notes.filter((n) => n.kind === 'limit')).toEqual([]);
  });

  it('roots scanned together each have their own budget: one root does not use up another\'s', async () => {
    const root = (dir: string) => ({ path: `/repo/${dir}/main.tf`, text: `resource "aws_iam_role" "app" {\n  count = 900\n  name  = "${dir}-\${count.index}"\n  assume_role_policy = "{}"\n}\n` });
    const result = await collectTerraform([root('billing'), root('catalog'), root('search')], { root: ROOT, limits: LIMITS });
    expect(result.notes.filter((n) => n.kind === 'limit')).toEqual([]);
    for (const dir of ['billing', 'catalog', 'search']) {
      expect(result.resources.filter((r) => r.type === 'aws.iam.Role' && r.file === `/repo/${dir}/main.tf`)).toHaveLength(900);
    }
  });
});

