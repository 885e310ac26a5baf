import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';

const ROOT = '/project';
const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };

async function run(files: Record<string, string>) {
  const list = Object.entries(files).map(([name, text]) => ({ path: join(ROOT, 'infra', name), text }));
  return collectTerraform(list, { root: ROOT, limits: LIMITS });
}

function role(text: string, extra: Record<string, string> = {}) {
  return run({ 'main.tf': text, ...extra });
}

describe('evaluator', () => {
  it('applies tfvars over variable defaults, auto.tfvars last', async () => {
    const r = await role(`variable "a" { default = "def" }\nvariable "b" { default = "def" }\nvariable "c" { default = "def" }\nresource "aws_iam_role" "r" { name = "\${var.a}-\${var.b}-\${var.c}" }\n`, {
      'terraform.tfvars': 'a = "tfvars"\nb = "tfvars"\n',
      'x.auto.tfvars': 'b = "auto"\n',
    });
    expect(r.resources[0]!.name).toBe('tfvars-auto-def');
  });

  it('expands count and for_each into addresses', async () => {
    const r = await role(`locals { names = { x = "one", y = "two" } }\nresource "aws_iam_role" "c" {\n  count = 2\n  name = "c\${count.index}"\n}\nresource "aws_iam_role" "e" {\n  for_each = local.names\n  name = "\${each.key}-\${each.value}"\n}\n`);
    expect(r.resources.map((x) => [x.id, x.name])).toEqual([
      ['tf:infra:aws_iam_role.c[0]', 'c0'],
      ['tf:infra:aws_iam_role.c[1]', 'c1'],
      ['tf:infra:aws_iam_role.e["x"]', 'x-one'],
      ['tf:infra:aws_iam_role.e["y"]', 'y-two'],
    ]);
  });

  it('evaluates common functions, for expressions, splats and conditionals', async () => {
    const r = await role(`locals {
  list  = [{ n = "a" }, { n = "b" }]
  names = local.list[*].n
  m     = merge({ a = 1 }, { b = 2 })
  f     = { for k, v in local.m : upper(k) => v if v > 1 }
  s     = join(",", concat(local.names, keys(local.f), [tostring(length(local.m))], [lookup(local.m, "z", "none")]))
  t     = format("%s-%d", trimprefix("https://x", "https://"), 3)
  c     = contains(toset(["a"]), "a") ? coalesce("", "y") : "n"
  j     = jsondecode(jsonencode({ k = ["v"] })).k[0]
  e     = try(local.m.missing, "fallback")
  sp    = element(split("/", "a/b/c"), 1)
}
resource "aws_iam_role" "r" { name = "\${local.s}|\${local.t}|\${local.c}|\${local.j}|\${local.e}|\${local.sp}|\${substr("abcdef", 1, 3)}" }
`);
    expect(r.resources[0]!.name).toBe('a,b,B,2,none|x-3|y|v|fallback|b|bcd');
  });

  it('keeps known suffixes and prefixes of interpolated unknowns', async () => {
    const r = await role(`resource "aws_iam_role" "r" {\n  name = "pre-\${local.nope}:sub"\n}\nresource "aws_iam_policy" "p" {\n  name = "\${aws_iam_role.r.name}-x"\n}\n`);
    const body = r.resources[0]!.body as any;
    expect(body.RoleName).toMatchObject({ prefix: 'pre-', suffix: ':sub' });
    const policy = r.resources[1]!.body as any;
    // The role's name is configured: its known suffix carries into the policy's name.
    expect(policy.PolicyName).toMatchObject({ prefix: 'pre-', suffix: ':sub-x' });
  });

  it('turns references to other resources into Unknowns with a ref, kept through replace', async () => {
    const r = await role(`resource "aws_iam_openid_connect_provider" "p" { url = "https://x" }\nresource "aws_eks_pod_identity_association" "a" {\n  cluster_name = aws_eks_cluster.c[0].name\n  role_arn = replace(aws_iam_role.r.arn, "a", "b")\n  namespace = "ns"\n  service_account = "sa"\n}\n`);
    const body = r.resources[1]!.body as any;
    expect(body.clusterName.ref).toEqual({ id: 'tf:infra:aws_eks_cluster.c[0]', attribute: 'name' });
    expect(body.roleArn.ref).toEqual({ id: 'tf:infra:aws_iam_role.r', attribute: 'arn' });
    expect(r.resources[1]!.positions['/roleArn']!.line).toBe(4);
  });

  it('expands dynamic blocks', async () => {
    const r = await role(`locals { subs = ["a", "b"] }
data "aws_iam_policy_document" "d" {
  dynamic "statement" {
    for_each = local.subs
    content {
      actions = ["sts:AssumeRole"]
      principals {
        type        = "*"
        identifiers = ["*"]
      }
      sid = statement.value
    }
  }
}
resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = data.aws_iam_policy_document.d.json
}
`);
    const doc = (r.resources.find((x) => x.type === 'aws.iam.Role')!.body as any).AssumeRolePolicyDocument;
    expect(doc.Statement.map((s: any) => [s.Sid, s.Principal])).toEqual([['a', '*'], ['b', '*']]);
  });

  it('maps launch templates and node groups', async () => {
    const r = await role(`resource "aws_launch_template" "lt" {
  name = "lt"
  metadata_options {
    http_tokens                 = "optional"
    http_put_response_hop_limit = 2
  }
}
resource "aws_eks_node_group" "ng" {
  node_group_name = "ng"
  cluster_name    = "c"
  node_role_arn   = "arn:aws:iam::1:role/node"
  launch_template {
    name    = aws_launch_template.lt.name
    version = "$Latest"
  }
}
`);
    const lt = r.resources[0]!;
    expect(lt.body).toEqual({ LaunchTemplateName: 'lt', LaunchTemplateData: { MetadataOptions: { HttpTokens: 'optional', HttpPutResponseHopLimit: 2 } } });
    expect(lt.positions['/LaunchTemplateData/MetadataOptions/HttpTokens']!.line).toBe(4);
    const ng = r.resources[1]!.body as any;
    expect(ng.nodegroupName).toBe('ng');
    expect(ng.launchTemplate.version).toBe('$Latest');
  });
});
