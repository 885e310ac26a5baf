import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scan } from '../../../src/scan.js';
import { readInputs } from '../../../src/collect/inputs.js';
import { terraformUnits } from '../../../src/collect/partition.js';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import type { CollectOptions } from '../../../src/collectors/types.js';
import { unitSource } from '../../../src/collectors/terragrunt/source.js';
import type { Finding } from '../../../src/model/types.js';
import { REPO, actualOf } from '../../helpers/fixtures.js';
import { DEFAULT_LIMITS } from '../../../src/util/structured.js';

const LIVE = join(import.meta.dirname, 'fixtures', 'live');

function options(root: string): CollectOptions {
  return { root, limits: DEFAULT_LIMITS };
}

async function collectTree(root: string) {
  const inputs = readInputs({ paths: [root], root, exclude: [], maxFileBytes: 10_000_000, maxTotalBytes: 100_000_000 });
  return { inputs, result: await collectTerraform(inputs.terraform, options(root)) };
}

function at(f: Finding, root = LIVE): string {
  const { file, line } = actualOf(f, root);
  return `${file}:${line}`;
}

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

/** A tree written at test time: path → text. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'podtrust-terragrunt-'));
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const IRSA = 'tfr:///terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks?version=5.44.0';
const PROVIDER = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/5C3A1B7E9D2F4A6B8C0D1E2F3A4B5C6D';

describe('Terragrunt units', () => {
  it('finds each planted wildcard at the inputs line of its unit, with the module as a related location', async () => {
    const result = await scan({ paths: [LIVE], root: LIVE });
    const wildcards = result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard');
    expect(wildcards.map((f) => [at(f), f.severity]).sort()).toEqual([
      ['prod/eu-west-1/billing-role/terragrunt.hcl:25', 'critical'],
      ['prod/eu-west-1/reporting-irsa/terragrunt.hcl:29', 'critical'],
    ]);
    const billing = wildcards.find((f) => f.location.file.includes('billing-role'))!;
    expect(billing.related.map((r) => `${relative(LIVE, r.file)}:${r.position?.line}`)).toEqual(['prod/eu-west-1/billing-role/terragrunt.hcl:22', 'modules/workload-role/main.tf:5']);
    const reporting = wildcards.find((f) => f.location.file.includes('reporting-irsa'))!;
    expect(reporting.related[0]).toMatchObject({ file: join(LIVE, 'prod/eu-west-1/reporting-irsa/terragrunt.hcl'), position: { line: 22 } });
    // The stage unit inherits StringEquals from the included _envcommon file and names one subject.
    expect(result.findings.filter((f) => f.location.file.startsWith('stage/eu-west-1/reporting-irsa'))).toEqual([]);
  });

  it('evaluates a module the units call only through them, and accounts for every file it read', async () => {
    const { result } = await collectTree(LIVE);
    const roles = result.resources.filter((r) => r.type === 'aws.iam.Role');
    expect(roles.map((r) => r.name).sort()).toEqual(['billing-exporter', 'billing-exporter-stage', 'payments', 'reporting', 'reporting-stage']);
    expect(result.resources.some((r) => r.id.startsWith('tf:modules/'))).toBe(false);
    const accounts = new Map((result.accounts ?? []).map((a) => [a.file.slice(LIVE.length + 1), `${a.format} ${a.state}`]));
    expect(accounts.get('modules/workload-role/main.tf')).toBe('Terraform analysed');
    expect(accounts.get('modules/workload-role/variables.tf')).toBe('Terraform analysed');
    for (const f of ['root.hcl', '_envcommon/irsa.hcl', 'prod/account.hcl', 'prod/env.hcl', 'prod/eu-west-1/region.hcl', 'prod/eu-west-1/eks/terragrunt.hcl']) expect(accounts.get(f), f).toBe('Terragrunt analysed');
    expect(accounts.get('prod/eu-west-1/broken/terragrunt.hcl')).toBe('Terragrunt not-analysed');
    // Each file once in the ledger, however many units read it.
    const files = (result.accounts ?? []).map((a) => a.file);
    const seen = new Map<string, number>(); for (const f of files) seen.set(f, (seen.get(f) ?? 0) + 1);
    expect([...seen].filter(([, n]) => n > 1).map(([f]) => f.slice(LIVE.length + 1))).toEqual([]);
  });

  it('uses dependency mock outputs, and leaves other dependency outputs unknown', async () => {
    const { result } = await collectTree(LIVE);
    const role = (name: string) => result.resources.find((r) => r.type === 'aws.iam.Role' && r.name === name)!;
    expect(JSON.stringify(role('billing-exporter').body)).toContain(PROVIDER);
    const stage = role('billing-exporter-stage').body as { AssumeRolePolicyDocument: { Statement: { Principal: { Federated: unknown } }[] } };
    expect(stage.AssumeRolePolicyDocument.Statement[0]!.Principal.Federated).toEqual({ $unknown: 'dependency.eks.outputs.oidc_provider_arn' });
  });

  it('names a unit whose source cannot be read, and values that stay unknown', async () => {
    const { result } = await collectTree(LIVE);
    const broken = result.notes.find((n) => n.file?.endsWith('prod/eu-west-1/broken/terragrunt.hcl'));
    expect(broken).toMatchObject({ kind: 'unsupported', level: 'warning', line: 6 });
    expect(broken!.message).toContain('Terragrunt unit prod/eu-west-1/broken');
    expect(broken!.message).toContain('modules/retired-role');
    // get_env without a default is unknown, whatever the environment holds.
    const scanned = await scan({ paths: [LIVE], root: LIVE });
    const payments = scanned.notes.find((n) => n.kind === 'unresolved' && n.file?.endsWith('payments-irsa/terragrunt.hcl'));
    expect(payments?.message).toContain('not known statically');
  });

  it('names inputs whose keys cannot be known, without quoting them', async () => {
    const root = tree({ 'app/terragrunt.hcl': `terraform {\n  source = "${IRSA}"\n}\n\ninputs = merge(jsondecode(get_env("INPUTS")), {\n  role_name = "hunter2-not-a-name"\n})\n` });
    const { result } = await collectTree(root);
    const note = result.notes.find((n) => n.kind === 'unresolved');
    expect(note).toMatchObject({ level: 'warning', line: 5 });
    expect(note!.message).toContain('not known statically');
    expect(note!.message).not.toContain('hunter2');
  });

  it('reads the older layout: a parent terragrunt.hcl the units include with a bare include', async () => {
    const root = tree({
      'live/terragrunt.hcl': `locals {\n  provider = "${PROVIDER}"\n}\n\ninputs = {\n  assume_role_condition_test = "StringLike"\n}\n`,
      'live/prod/app/terragrunt.hcl': `include {\n  path = find_in_parent_folders()\n}\n\nterraform {\n  source = "${IRSA}"\n}\n\ninputs = {\n  role_name = "app"\n  oidc_providers = {\n    main = {\n      provider_arn               = include.locals.provider\n      namespace_service_accounts = ["app:*"]\n    }\n  }\n}\n`,
    });
    const result = await scan({ paths: [root], root });
    expect(result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard').map((f) => [at(f, root), f.severity])).toEqual([['live/prod/app/terragrunt.hcl:14', 'high']]);
    expect(result.notes.filter((n) => n.level !== 'note')).toEqual([]);
    const { result: collected } = await collectTree(root);
    expect((collected.accounts ?? []).map((a) => `${a.file.slice(root.length + 1)} ${a.state}`).sort()).toEqual(['live/prod/app/terragrunt.hcl analysed', 'live/terragrunt.hcl analysed']);
  });

  it('never reads the real environment: get_env gives its default or stays unknown', async () => {
    process.env.PODTRUST_TEST_NAMESPACE = 'payments';
    try {
      const root = tree({
        'root.hcl': '',
        'irsa/terragrunt.hcl': `include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "${IRSA}"\n}\n\ninputs = {\n  role_name = "a"\n  assume_role_condition_test = get_env("CONDITION_TEST", "StringLike")\n  oidc_providers = {\n    main = {\n      provider_arn               = "${PROVIDER}"\n      namespace_service_accounts = ["\${get_env("PODTRUST_TEST_NAMESPACE")}:api", "*:api"]\n    }\n  }\n}\n`,
      });
      const result = await scan({ paths: [root], root });
      const found = result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard');
      expect(found.map((f) => at(f, root))).toEqual(['irsa/terragrunt.hcl:15']);
      const inventory = await collectTree(root);
      expect(JSON.stringify(inventory.result.resources)).not.toContain('payments:api');
    } finally {
      delete process.env.PODTRUST_TEST_NAMESPACE;
    }
  });

  it('merges included inputs shallowly by default and deeply when asked', async () => {
    const unit = (strategy: string) => `include "common" {\n  path = find_in_parent_folders("common.hcl")\n  merge_strategy = "${strategy}"\n}\n\nterraform {\n  source = "${IRSA}"\n}\n\ninputs = {\n  role_name = "${strategy}"\n  oidc_providers = {\n    main = {\n      namespace_service_accounts = ["app:api"]\n    }\n  }\n}\n`;
    const root = tree({
      'common.hcl': `inputs = {\n  assume_role_condition_test = "StringLike"\n  oidc_providers = {\n    main = {\n      provider_arn               = "${PROVIDER}"\n      namespace_service_accounts = ["team-*:worker"]\n    }\n  }\n}\n`,
      'shallow/terragrunt.hcl': unit('shallow'),
      'deep/terragrunt.hcl': unit('deep'),
      'none/terragrunt.hcl': unit('no_merge'),
    });
    const { result } = await collectTree(root);
    const subjects = (name: string) => JSON.stringify(result.resources.find((r) => r.type === 'aws.iam.Role' && r.name === name)?.body ?? null);
    // Shallow: the unit's oidc_providers replaces the included one whole (and with it the provider ARN).
    expect(subjects('shallow')).toContain('system:serviceaccount:app:api');
    expect(subjects('shallow')).not.toContain('team-*');
    // Deep: maps merge key by key and lists concatenate.
    expect(subjects('deep')).toContain('system:serviceaccount:team-*:worker');
    expect(subjects('deep')).toContain('system:serviceaccount:app:api');
    expect(subjects('deep')).toContain('oidc.eks.eu-west-1.amazonaws.com');
    // no_merge: nothing of the included inputs.
    expect(subjects('none')).not.toContain('team-*');
    expect(subjects('none')).not.toContain('StringLike');
  });

  it('treats root.hcl as Terragrunt only when a unit includes it or it tops a tree of units', async () => {
    const root = tree({ 'tools/root.hcl': 'this is { not hcl', 'live/root.hcl': 'locals {\n  a = 1\n}\n', 'live/app/terragrunt.hcl': 'terraform {\n  source = "../../modules/none"\n}\n' });
    const { result } = await collectTree(root);
    expect(result.notes.filter((n) => n.file?.endsWith('tools/root.hcl'))).toEqual([]);
    const accounted = (result.accounts ?? []).map((a) => a.file.slice(root.length + 1));
    expect(accounted).toContain('live/root.hcl');
    expect(accounted).not.toContain('tools/root.hcl');
  });

  it('evaluates the path functions for the unit, and names the settings it does not read', async () => {
    const root = tree({
      '.git/HEAD': 'ref: refs/heads/main\n',
      'modules/role/main.tf': 'variable "name" {\n  type = string\n}\n\nvariable "from_repo" {\n  type = string\n}\n\nresource "aws_iam_role" "this" {\n  name = "${var.name}|${var.from_repo}"\n  assume_role_policy = "{}"\n}\n',
      'live/root.hcl': 'terraform {\n  extra_arguments "vars" {\n    commands           = ["plan"]\n    required_var_files = ["${get_parent_terragrunt_dir()}/common.tfvars"]\n  }\n}\n\ninputs = {\n  name = path_relative_to_include()\n}\n',
      'live/prod/app/terragrunt.hcl': 'include "root" {\n  path = find_in_parent_folders("root.hcl")\n}\n\nterraform {\n  source = "${get_repo_root()}/modules//role"\n}\n\ninputs = {\n  from_repo = "${get_path_from_repo_root()}>${path_relative_from_include("root")}"\n}\n',
    });
    const { result } = await collectTree(root);
    expect(result.resources.find((r) => r.type === 'aws.iam.Role')?.name).toBe('prod/app|live/prod/app>../..');
    const unread = result.notes.filter((n) => n.kind === 'unsupported');
    expect(unread.map((n) => [n.file?.slice(root.length + 1), n.line])).toEqual([['live/root.hcl', 4]]);
    expect(unread[0]!.message).toContain('required_var_files is not read');
  });

  it('ends hostile units promptly: a file that reads itself, locals that expand without bound', async () => {
    const root = tree({
      'loop/terragrunt.hcl': 'locals {\n  me = read_terragrunt_config("terragrunt.hcl")\n  other = read_terragrunt_config("other.hcl")\n}\n\nterraform {\n  source = local.me.locals.other.locals.back\n}\n',
      'loop/other.hcl': 'locals {\n  back = read_terragrunt_config("terragrunt.hcl")\n}\n',
      'wide/terragrunt.hcl': 'locals {\n  n = [for a in range(1024) : [for b in range(1024) : [for c in range(1024) : c]]]\n}\n\nterraform {\n  source = "./${length(local.n)}"\n}\n',
    });
    const { result } = await collectTree(root);
    const noteOf = (unit: string) => result.notes.filter((n) => n.file?.includes(`/${unit}/`)).map((n) => `${n.kind} ${n.level}`);
    expect(noteOf('loop')).toEqual(['unsupported warning']);
    expect(noteOf('wide')).toContain('limit error');
    expect(noteOf('wide')).toContain('unsupported warning');
  });

  it('reads nothing outside the scan root through includes, read_terragrunt_config or sources', async () => {
    const outside = tree({ 'secret/root.hcl': 'inputs = {\n  role_name = "outside-role"\n}\n', 'secret/main.tf': 'resource "aws_iam_role" "x" {\n  name = "outside-module"\n  assume_role_policy = "{}"\n}\n' });
    const root = tree({
      'app/terragrunt.hcl': `include "root" {\n  path = "${outside}/secret/root.hcl"\n}\n\nlocals {\n  other = read_terragrunt_config("${outside}/secret/root.hcl", { inputs = {} })\n}\n\nterraform {\n  source = "${outside}/secret"\n}\n\ninputs = local.other.inputs\n`,
    });
    const { result } = await collectTree(root);
    expect(JSON.stringify(result.resources)).not.toContain('outside-');
    expect(result.notes.filter((n) => n.message.includes('outside'))).not.toEqual([]);
    expect((result.accounts ?? []).every((a) => a.file.startsWith(root))).toBe(true);
  });

  it('finds nothing above the scan root with find_in_parent_folders, even with a name that climbs', async () => {
    const outer = tree({ 'probe.hcl': 'inputs = {}\n' });
    mkdirSync(join(outer, 'repo', 'live', 'unit'), { recursive: true });
    mkdirSync(join(outer, 'repo', 'modules', 'irsa'), { recursive: true });
    const root = join(outer, 'repo');
    writeFileSync(join(root, 'live', 'unit', 'terragrunt.hcl'), 'locals {\n  probe = find_in_parent_folders("../../probe.hcl", "absent")\n}\n\nterraform {\n  source = "../../modules/irsa"\n}\n\ninputs = {\n  role_name = local.probe\n}\n');
    writeFileSync(join(root, 'modules', 'irsa', 'main.tf'), 'variable "role_name" {}\n\nresource "aws_iam_role" "r" {\n  name = var.role_name\n  assume_role_policy = "{}"\n}\n');
    const { result } = await collectTree(root);
    expect(result.resources.filter((r) => r.type === 'aws.iam.Role').map((r) => r.name)).toEqual(['absent']);
  });

  it('keeps a unit and the module an interpolated source names in one unit of parallel work', () => {
    const units = terraformUnits([
      { path: '/r/live/app/terragrunt.hcl', text: 'terraform {\n  source = "${get_repo_root()}/modules//role?ref=x"\n}\n' },
      { path: '/r/modules/role/main.tf', text: 'resource "aws_iam_role" "r" {}\n' },
      { path: '/r/other/main.tf', text: 'resource "aws_iam_role" "o" {}\n' },
    ]);
    expect(units.map((u) => u.map((f) => f.path).sort())).toEqual([['/r/live/app/terragrunt.hcl', '/r/modules/role/main.tf'], ['/r/other/main.tf']]);
  });

  it('keeps a unit and the module a source climbing from the unit names in one unit of parallel work', () => {
    const units = terraformUnits([
      { path: '/r/live/prod/role/terragrunt.hcl', text: 'terraform {\n  source = "${get_terragrunt_dir()}/../../../modules/role"\n}\n' },
      { path: '/r/live/stage/app/terragrunt.hcl', text: 'terraform {\n  source = "${get_parent_terragrunt_dir()}/./../shared/irsa"\n}\n' },
      { path: '/r/modules/role/main.tf', text: 'resource "aws_iam_role" "r" {}\n' },
      { path: '/r/shared/irsa/main.tf', text: 'resource "aws_iam_role" "i" {}\n' },
      { path: '/r/other/main.tf', text: 'resource "aws_iam_role" "o" {}\n' },
    ]);
    expect(units.map((u) => u.map((f) => f.path).sort())).toEqual([
      ['/r/live/prod/role/terragrunt.hcl', '/r/modules/role/main.tf'],
      ['/r/live/stage/app/terragrunt.hcl', '/r/shared/irsa/main.tf'],
      ['/r/other/main.tf'],
    ]);
  });

  it('keeps units, the files they include and the modules they call in one unit of parallel work', async () => {
    const { inputs } = await collectTree(LIVE);
    const units = terraformUnits(inputs.terraform);
    const unitOf = (suffix: string) => units.findIndex((u) => u.some((f) => f.path.endsWith(suffix)));
    const rootUnit = unitOf('/root.hcl');
    expect(unitOf('prod/eu-west-1/billing-role/terragrunt.hcl')).toBe(rootUnit);
    expect(unitOf('modules/workload-role/main.tf')).toBe(rootUnit);
    expect(unitOf('stage/eu-west-1/reporting-irsa/terragrunt.hcl')).toBe(rootUnit);
  });

  it('gives identical findings and notes with and without worker threads', async () => {
    const api = (await import(join(REPO, 'build', 'bench.js'))) as typeof import('../../../src/bench-entry.js');
    const sequential = await api.scan({ paths: [LIVE], root: LIVE, workers: 0 });
    const parallel = await api.scan({ paths: [LIVE], root: LIVE, workers: 2 });
    expect(parallel.findings.length).toBeGreaterThan(2);
    expect(JSON.stringify(parallel.findings)).toBe(JSON.stringify(sequential.findings));
    expect(JSON.stringify(parallel.notes)).toBe(JSON.stringify(sequential.notes));
  });

  it('reads the source forms of terraform { source }', () => {
    expect(unitSource('../../modules//irsa', '/live/prod/app')).toEqual({ kind: 'local', dir: '/live/modules/irsa' });
    expect(unitSource('/repo/modules//irsa', '/live/prod/app')).toEqual({ kind: 'local', dir: '/repo/modules/irsa' });
    expect(unitSource(IRSA, '/x')).toEqual({ kind: 'module', source: 'terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks', version: '5.44.0' });
    expect(unitSource('tfr://registry.terraform.io/terraform-aws-modules/eks/aws?version=20.1.0', '/x')).toEqual({ kind: 'module', source: 'registry.terraform.io/terraform-aws-modules/eks/aws', version: '20.1.0' });
    expect(unitSource('git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/x?ref=v5.1.0', '/x')).toEqual({ kind: 'module', source: 'git::https://github.com/terraform-aws-modules/terraform-aws-iam.git//modules/x?ref=v5.1.0' });
  });
});
