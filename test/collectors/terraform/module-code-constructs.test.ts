/**
 * Constructs the current public IRSA role module (terraform-aws-iam v6 `iam-role-for-service-accounts`) is written
 * with, reproduced by a stand-in written for this test and read as `terraform init` leaves it (`.terraform/modules`).
 */
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { collectInventory, scan } from '../../../src/scan.js';
import { tempTree } from '../../helpers/temp-tree.js';

const OIDC = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';

/** The module: a role named by prefix, optional generated policies collected through splats, map-driven attachments. */
const STAND_IN = `
variable "create" {
  type    = bool
  default = true
}
variable "name" {
  type = string
}
variable "use_name_prefix" {
  type    = bool
  default = true
}
variable "policies" {
  type    = map(string)
  default = {}
}
variable "with_reader" {
  type    = bool
  default = false
}
variable "permissions" {
  type = map(object({
    actions   = optional(list(string))
    effect    = optional(string)
    resources = optional(list(string))
    not_resources = optional(list(string))
  }))
  default = null
}

data "aws_iam_policy_document" "trust" {
  count = var.create ? 1 : 0
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["${OIDC}"]
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:sub"
      values   = ["system:serviceaccount:apps:api"]
    }
    condition {
      test     = "StringEquals"
      variable = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "main" {
  count              = var.create ? 1 : 0
  name               = var.use_name_prefix ? null : var.name
  name_prefix        = var.use_name_prefix ? "\${var.name}-" : null
  assume_role_policy = data.aws_iam_policy_document.trust[0].json
}

resource "aws_iam_role_policy_attachment" "extra" {
  for_each   = { for k, v in var.policies : k => v if var.create }
  role       = aws_iam_role.main[0].name
  policy_arn = each.value
}

data "aws_iam_policy_document" "reader" {
  count = var.create && var.with_reader ? 1 : 0
  statement {
    actions   = ["s3:GetObject"]
    resources = ["arn:aws:s3:::logs/*"]
  }
}

locals {
  generated  = flatten(concat(data.aws_iam_policy_document.reader[*].json, []))
  own_policy = var.create && (length(local.generated) > 0 || var.permissions != null)
}

data "aws_iam_policy_document" "own" {
  count                   = local.own_policy ? 1 : 0
  source_policy_documents = local.generated
  dynamic "statement" {
    for_each = var.permissions != null ? var.permissions : {}
    content {
      sid       = statement.key
      actions   = statement.value.actions
      effect    = statement.value.effect
      resources = statement.value.resources
      not_resources = statement.value.not_resources
    }
  }
}

resource "aws_iam_policy" "own" {
  count  = local.own_policy ? 1 : 0
  name   = "own"
  policy = data.aws_iam_policy_document.own[0].json
}

resource "aws_iam_role_policy_attachment" "own" {
  count      = local.own_policy ? 1 : 0
  role       = aws_iam_role.main[0].name
  policy_arn = aws_iam_policy.own[0].arn
}
`;

const CALLER = `module "admin" {
  source = "example/role/aws"
  name   = "admin"
  policies = {
    ro    = "arn:aws:iam::aws:policy/ReadOnlyAccess"
    admin = "arn:aws:iam::aws:policy/AdministratorAccess"
  }
}

module "perms" {
  source = "example/role/aws"
  name   = "perms"
  permissions = {
    all = {
      actions   = ["*"]
      resources = ["*"]
    }
  }
}

module "reader" {
  source      = "example/role/aws"
  name        = "reader"
  with_reader = true
}

module "plain" {
  source = "example/role/aws"
  name   = "plain"
}
`;

const KEYS = ['admin', 'perms', 'reader', 'plain'];

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function scanStandIn() {
  const files: Record<string, string> = {
    'main.tf': CALLER,
    '.terraform/modules/modules.json': JSON.stringify({
      Modules: [{ Key: '', Source: '', Dir: '.' }, ...KEYS.map((k) => ({ Key: k, Source: 'registry.terraform.io/example/role/aws', Version: '1.0.0', Dir: `.terraform/modules/${k}` }))],
    }),
  };
  for (const k of KEYS) files[`.terraform/modules/${k}/main.tf`] = STAND_IN;
  const dir = tempTree('podtrust-module-code-', files);
  dirs.push(dir);
  return { inventory: await collectInventory({ paths: [dir], root: dir }), result: await scan({ paths: [dir], root: dir }) };
}

describe('module code the way the public IRSA role module writes it', async () => {
  const { inventory, result } = await scanStandIn();
  const resources = inventory.resources;
  const role = (key: string) => resources.find((r) => r.address === `module.${key}.aws_iam_role.main[0]`)!;

  it('resolves `data.x[*].json` over count: [] when the count is 0, every instance otherwise', () => {
    const addresses = resources.map((r) => r.address);
    expect(addresses).not.toContain('module.plain.aws_iam_policy.own[*]');
    expect(addresses).not.toContain('module.plain.aws_iam_policy.own[0]');
    expect(addresses).toContain('module.reader.aws_iam_policy.own[0]');
    expect(addresses).toContain('module.perms.aws_iam_policy.own[0]');
  });

  it('reads a statement argument that is null (an optional() attribute the caller left out) as unset: effect Allow', () => {
    const policy = resources.find((r) => r.address === 'module.perms.aws_iam_policy.own[0]')!;
    expect((policy.body as any).PolicyDocument.Statement).toEqual([{ Sid: 'all', Effect: 'Allow', Action: '*', Resource: '*' }]);
  });

  it('joins attachments by the name of a role named by prefix (name = null), as the provider does', () => {
    expect((role('admin').body as any).AttachedManagedPolicies).toEqual([
      { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' },
      { PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' },
    ].map((p) => expect.objectContaining(p)));
  });

  it('reports the admin grant at the caller\'s input that makes it: the map entry the module filters, the statements it writes a policy from', () => {
    const admin = result.findings.filter((f) => f.ruleId === 'aws-workload-role-admin');
    const where = admin.map((f) => `${f.resource.address}@${f.location.file.split("/").pop()}:${f.location.position?.line}`).sort();
    expect(where).toEqual(['module.admin.aws_iam_role.main[0]@main.tf:6', 'module.perms.aws_iam_role.main[0]@main.tf:13']);
  });
});

/** The GKE cluster modules key their node pools by name: `for_each = { for np in var.node_pools : np.name => np }`. */
const POOLS = `
variable "node_pools" {
  type = list(map(string))
}
resource "google_container_node_pool" "pools" {
  for_each = { for np in var.node_pools : np.name => np }
  name     = each.key
  cluster  = "prod"
  node_config {
    service_account = lookup(each.value, "service_account", "pool@p.iam.gserviceaccount.com")
    workload_metadata_config {
      mode = lookup(each.value, "node_metadata", "GKE_METADATA")
    }
  }
}
`;

describe('a list of node pools keyed by a for expression, as the GKE modules write it', async () => {
  const dir = tempTree('podtrust-module-code-', {
    'main.tf': ['module "gke" {', '  source = "example/gke/google"', '  node_pools = [', '    { name = "default" },', '    {', '      name          = "legacy"', '      node_metadata = "GCE_METADATA"', '    },', '  ]', '}', ''].join('\n'),
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'gke', Source: 'registry.terraform.io/example/gke/google', Version: '1.0.0', Dir: '.terraform/modules/gke' }] }),
    '.terraform/modules/gke/main.tf': POOLS,
  });
  dirs.push(dir);
  const result = await scan({ paths: [dir], root: dir });
  const inventoryOf = await collectInventory({ paths: [dir], root: dir });

  it('reports a pool at the line of the list element that `lookup(each.value, ...)` reads, found through the for expression', () => {
    const exposed = result.findings.filter((f) => f.ruleId === 'gcp-node-metadata-exposed');
    expect(exposed.map((f) => [f.resource.address, f.location.file.split('/').pop(), f.location.position?.line])).toEqual([['module.gke.google_container_node_pool.pools["legacy"]', 'main.tf', 7]]);
  });

  it('shows a setting the element leaves to lookup()\'s default at the element', () => {
    const pool = inventoryOf.resources.find((r) => r.address === 'module.gke.google_container_node_pool.pools["legacy"]')!;
    const at = Object.entries(pool.positions).find(([p]) => p.endsWith('/serviceAccount') || p.endsWith('/service_account'))?.[1];
    expect(at).toMatchObject({ line: 5 });
  });
});

describe('a count that reads its own instances through a splat', async () => {
  const dir = tempTree('podtrust-module-code-', {
    'main.tf': [
      'resource "aws_iam_role" "a" {',
      '  count              = length(aws_iam_role.b[*].name)',
      '  name               = "a"',
      '  assume_role_policy = "{}"',
      '}',
      'resource "aws_iam_role" "b" {',
      '  count              = length(aws_iam_role.a[*].name) + 1',
      '  name               = "b"',
      '  assume_role_policy = "{}"',
      '}',
      '',
    ].join('\n'),
  });
  dirs.push(dir);
  const inventory = await collectInventory({ paths: [dir], root: dir });

  it('is a cycle left unresolved, not a nesting error that fails the file', () => {
    expect(inventory.notes.filter((n) => n.level === 'error')).toEqual([]);
    expect(inventory.resources.map((r) => r.address).sort()).toEqual(['aws_iam_role.a[*]', 'aws_iam_role.b[*]']);
  });
});

describe('a registry call inside a downloaded module that is not downloaded itself', async () => {
  const dir = tempTree('podtrust-module-code-', {
    'main.tf': '\nmodule "outer" {\n  source = "example/outer/aws"\n}\n',
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'outer', Source: 'registry.terraform.io/example/outer/aws', Version: '1.0.0', Dir: '.terraform/modules/outer' }] }),
    '.terraform/modules/outer/main.tf': 'module "keys" {\n  source  = "example/keys/aws"\n  version = "~> 2.0"\n}\n',
  });
  dirs.push(dir);
  const inventory = await collectInventory({ paths: [dir], root: dir });

  it('is named at the caller\'s module call, never at a file under .terraform', () => {
    const notes = inventory.notes.filter((n) => n.kind === 'module');
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warning', line: 2 });
    expect(notes[0]!.file).toMatch(/(^|\/)main\.tf$/);
    expect(notes[0]!.file).not.toContain('.terraform');
    expect(notes[0]!.message).toContain('module "keys" in module.outer');
  });
});

describe('a trust statement a module makes per entry of a caller\'s map (dynamic "statement")', async () => {
  const dir = tempTree('podtrust-module-code-', {
    'main.tf': ['module "irsa" {', '  source = "example/irsa/aws"', '  providers_map = {', '    one = { arn = "' + OIDC + '" }', '    two = { arn = "' + OIDC + '" }', '  }', '}', ''].join('\n'),
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, { Key: 'irsa', Source: 'registry.terraform.io/example/irsa/aws', Version: '1.0.0', Dir: '.terraform/modules/irsa' }] }),
    '.terraform/modules/irsa/main.tf': [
      'variable "providers_map" {', '  type = any', '}',
      'data "aws_iam_policy_document" "trust" {',
      '  dynamic "statement" {',
      '    for_each = var.providers_map',
      '    content {',
      '      actions = ["sts:AssumeRoleWithWebIdentity"]',
      '      principals {', '        type        = "Federated"', '        identifiers = [statement.value.arn]', '      }',
      '    }', '  }', '}',
      'resource "aws_iam_role" "this" {', '  name               = "irsa"', '  assume_role_policy = data.aws_iam_policy_document.trust.json', '}', '',
    ].join('\n'),
  });
  dirs.push(dir);
  const inventory = await collectInventory({ paths: [dir], root: dir });

  it('is shown at that entry of the caller, not at the module call', () => {
    const role = inventory.resources.find((r) => r.address === 'module.irsa.aws_iam_role.this')!;
    expect(role.positions['/AssumeRolePolicyDocument/Statement/0']).toMatchObject({ line: 4 });
    expect(role.positions['/AssumeRolePolicyDocument/Statement/1']).toMatchObject({ line: 5 });
  });
});

describe('a value a module picks with a condition', async () => {
  const dir = tempTree('podtrust-module-code-', {
    'main.tf': ['module "m" {', '  source = "./m"', '  on     = true', '  named  = "chosen"', '}', ''].join('\n'),
    'm/main.tf': 'variable "on" {}\nvariable "named" {}\nresource "aws_iam_role" "r" {\n  name               = "${var.on ? var.named : "fixed"}-role"\n  assume_role_policy = "{}"\n}\n',
  });
  dirs.push(dir);
  const inventory = await collectInventory({ paths: [dir], root: dir });

  it('is shown at the caller\'s input of the branch taken, not at the condition\'s', () => {
    const role = inventory.resources.find((r) => r.address === 'module.m.aws_iam_role.r')!;
    expect(role.name).toBe('chosen-role');
    expect(role.positions['/RoleName']).toMatchObject({ line: 4 });
  });
});

/** A policy a module writes from a caller's list of statements and attaches by ARN (as eks-pod-identity v2 does). */
const POLICY_MODULE = [
  'variable "statements" {',
  '  type    = any',
  '  default = null',
  '}',
  'variable "fixed" {',
  '  type    = bool',
  '  default = false',
  '}',
  'variable "name" {',
  '  default = "app"',
  '}',
  'resource "aws_iam_role" "this" {',
  '  name               = var.name',
  '  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["sts:AssumeRole", "sts:TagSession"], Principal = { Service = "pods.eks.amazonaws.com" } }] })',
  '}',
  'data "aws_iam_policy_document" "custom" {',
  '  count = var.statements != null || var.fixed ? 1 : 0',
  '  dynamic "statement" {',
  '    for_each = var.statements != null ? var.statements : []',
  '    content {',
  '      actions   = statement.value.actions',
  '      resources = statement.value.resources',
  '    }',
  '  }',
  '  dynamic "statement" {',
  '    for_each = var.fixed ? ["iam"] : []',
  '    content {',
  '      actions   = ["iam:*"]',
  '      resources = ["*"]',
  '    }',
  '  }',
  '}',
  'resource "aws_iam_policy" "custom" {',
  '  count  = var.statements != null || var.fixed ? 1 : 0',
  '  name   = "custom"',
  '  policy = data.aws_iam_policy_document.custom[0].json',
  '}',
  'resource "aws_iam_role_policy_attachment" "custom" {',
  '  count      = var.statements != null || var.fixed ? 1 : 0',
  '  role       = aws_iam_role.this.name',
  '  policy_arn = aws_iam_policy.custom[0].arn',
  '}',
  '',
].join('\n');

describe('a policy a module writes from a caller\'s statements and attaches by its ARN', async () => {
  const caller = [
    'module "listed" {',
    '  source = "example/pod/aws"',
    '',
    '  statements = [',
    '    {',
    '      actions   = ["*"]',
    '      resources = ["*"]',
    '    },',
    '  ]',
    '}',
    '',
    'module "fixed" {',
    '  source = "example/pod/aws"',
    '  name   = "fixed"',
    '  fixed  = true',
    '}',
    '',
  ].join('\n');
  const keys = ['listed', 'fixed'];
  const files: Record<string, string> = {
    'main.tf': caller,
    '.terraform/modules/modules.json': JSON.stringify({ Modules: [{ Key: '', Source: '', Dir: '.' }, ...keys.map((k) => ({ Key: k, Source: 'registry.terraform.io/example/pod/aws', Version: '1.0.0', Dir: `.terraform/modules/${k}` }))] }),
  };
  for (const k of keys) files[`.terraform/modules/${k}/main.tf`] = POLICY_MODULE;
  const dir = tempTree('podtrust-module-code-', files);
  dirs.push(dir);
  const result = await scan({ paths: [dir], root: dir });
  const admin = (key: string) => result.findings.find((f) => f.ruleId === 'aws-workload-role-admin' && f.resource.address === `module.${key}.aws_iam_role.this`);

  it('shows the attachment at the statements input, not at the module call', () => {
    expect(admin('listed')?.location.position?.line).toBe(4);
  });

  it('keeps the module call for a policy whose statements the module writes itself', () => {
    expect(admin('fixed')?.location.position?.line).toBe(12);
  });
});

describe('a policy attached by its ARN in a root module', async () => {
  const dir = tempTree('podtrust-module-code-', { 'main.tf': POLICY_MODULE.replace('default = null', 'default = [{ actions = ["*"], resources = ["*"] }]') });
  dirs.push(dir);
  const inventory = await collectInventory({ paths: [dir], root: dir });

  it('is shown at its own policy_arn line: a root module has no caller to point at', () => {
    const role = inventory.resources.find((r) => r.address === 'aws_iam_role.this')!;
    expect(role.positions['/AttachedManagedPolicies/0']).toMatchObject({ line: 41 });
  });
});
