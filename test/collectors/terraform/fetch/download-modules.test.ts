/**
 * `--download-modules` end to end: a scan of a repository with no `.terraform/` fetches its registry
 * modules over real HTTPS from a loopback registry (a CA made at test time), evaluates them like a
 * downloaded module, and refuses what a hostile pull request could make it fetch.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../../../src/scan.js';
import type { ModuleFetchOptions } from '../../../../src/collectors/terraform/fetch/fetcher.js';
import { makeTestTls, type TestTls } from '../../../live/tls.js';
import { createServer as createHttpsServer } from 'node:https';
import { type TestRegistry, listenLoopback, startRegistry, tarGz } from './registry-server.js';
import { caller, irsaModule } from './stand-ins.js';
import { type TestGitServer, makeRepository, startGitServer } from './git-server.js';
import { zip } from './zip-writer.js';

const TOKEN = 'registry-token-0123456789';

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function listTree(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort();
}

describe('--download-modules against a loopback HTTPS registry', () => {
  let tls: TestTls;
  let registry: TestRegistry;

  beforeAll(async () => {
    tls = makeTestTls();
    const version = async (v: string, op: string): Promise<Buffer> => tarGz([{ name: 'main.tf', body: irsaModule(v, op) }]);
    registry = await startRegistry(tls, [
      { address: 'acme/irsa/aws', versions: { '1.0.0': await version('1.0.0', 'StringLike'), '1.2.5': await version('1.2.5', 'StringLike'), '1.4.0': await version('1.4.0', 'StringLike'), '1.5.0-beta1': await version('1.5.0-beta1', 'StringLike'), '2.0.0': await version('2.0.0', 'StringEquals') } },
      { address: 'acme/json/aws', versions: { '3.1.0': await version('3.1.0', 'StringLike') }, jsonLocation: true },
      { address: 'acme/escape/aws', versions: { '1.0.0': await tarGz([{ name: 'main.tf', body: irsaModule('1.0.0', 'StringLike') }, { name: '../../escaped.tf', body: 'x' }]) } },
      { address: 'acme/link/aws', versions: { '1.0.0': await tarGz([{ name: 'main.tf', body: irsaModule('1.0.0', 'StringLike') }, { name: 'secrets.tf', type: 'symlink', linkname: '/etc/passwd' }]) } },
      { address: 'acme/elsewhere/aws', versions: { '1.0.0': await version('1.0.0', 'StringLike') }, location: (v, base) => `${base.replace('127.0.0.1', 'localhost')}/archives/acme/elsewhere/aws/${v}.tar.gz` },
      { address: 'acme/sub/aws', versions: { '1.0.0': await tarGz([{ name: 'modules/role/main.tf', body: irsaModule('1.0.0', 'StringLike') }]) } },
      { address: 'acme/zipped/aws', versions: { '1.0.0': Buffer.alloc(0) }, location: () => '/archives/zipped-1.0.0.zip' },
    ], { '/archives/zipped-1.0.0.zip': zip([{ name: 'terraform-aws-zipped-1.0.0/', mode: 0o040755 }, { name: 'terraform-aws-zipped-1.0.0/main.tf', body: irsaModule('zip', 'StringLike'), mode: 0o100644 }]) });
  });
  afterAll(async () => registry?.close());

  /** A user's Terraform CLI configuration naming the registry host (trusted) and its token. */
  function cliConfig(): string {
    const dir = tempDir('podtrust-home-');
    const file = join(dir, 'terraformrc');
    writeFileSync(file, `host "${registry.host}" {\n  services = {\n    "modules.v1" = "${registry.base}/v1/modules/"\n  }\n}\ncredentials "${registry.host}" {\n  token = "${TOKEN}"\n}\n`);
    return file;
  }

  function options(extra: Partial<ModuleFetchOptions> = {}): ModuleFetchOptions {
    return { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, env: { HOME: tempDir('podtrust-home-'), TF_CLI_CONFIG_FILE: cliConfig() }, timeoutMs: 10_000, ...extra };
  }

  function repo(text: string): string {
    const dir = tempDir('podtrust-repo-');
    writeFileSync(join(dir, 'main.tf'), text);
    return dir;
  }

  it('fetches the newest version the constraint admits, evaluates it, and reports at the caller', async () => {
    const dir = repo(caller(registry.host, 'app', 'HOST/acme/irsa/aws', '~> 1.2'));
    const before = listTree(dir);
    const modules = options();
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules });
    const role = result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard');
    expect(role?.resource.name).toBe('app-v1.4.0');
    expect(role?.location.file).toBe(join(dir, 'main.tf'));
    expect(result.findings.every((f) => f.location.file === join(dir, 'main.tf'))).toBe(true);
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    // Nothing is written into the scanned repository.
    expect(listTree(dir)).toEqual(before);
    // The token goes to the registry's API, never to the archive.
    const api = registry.requests.filter((r) => r.path.startsWith('/v1/modules/acme/irsa/'));
    expect(api.length).toBeGreaterThan(0);
    expect(api.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const archive = registry.requests.filter((r) => r.path.startsWith('/archives/acme/irsa/'));
    expect(archive.map((r) => r.path)).toEqual(['/archives/acme/irsa/aws/1.4.0.tar.gz']);
    expect(archive.every((r) => r.authorization === undefined)).toBe(true);
    // The token is in no report.
    expect(JSON.stringify(result)).not.toContain(TOKEN);

    // A second scan with the warm cache fetches no archive again.
    const hits = registry.archiveHits();
    const again = await scan({ paths: [dir], root: dir, workers: 0, modules });
    expect(again.findings.map((f) => f.ruleId)).toEqual(result.findings.map((f) => f.ruleId));
    expect(registry.archiveHits()).toBe(hits);
  });

  it('takes a pre-release only when the constraint pins it, and the next major only when admitted', async () => {
    const dir = repo(caller(registry.host, 'beta', 'HOST/acme/irsa/aws', '1.5.0-beta1') + caller(registry.host, 'two', 'HOST/acme/irsa/aws', '>= 1.0') + caller(registry.host, 'old', 'HOST/acme/irsa/aws', '~> 1.2.0'));
    const seen = registry.requests.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    // Three calls of one module: its versions are asked for once.
    expect(registry.requests.slice(seen).filter((r) => r.path.endsWith('/versions'))).toHaveLength(1);
    const roles = result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard').map((f) => f.resource.name).sort();
    // `>= 1.0` takes 2.0.0, whose StringEquals has no wildcard: no finding for it.
    expect(roles).toEqual(['beta-v1.5.0-beta1', 'old-v1.2.5']);
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
  });

  it('reads the download location from a JSON answer, and a //subdir of the package', async () => {
    const dir = repo(caller(registry.host, 'json', 'HOST/acme/json/aws') + caller(registry.host, 'sub', 'HOST/acme/sub/aws//modules/role'));
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    expect(result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard').map((f) => f.resource.name).sort()).toEqual(['json-v3.1.0', 'sub-v1.0.0']);
  });

  it('unpacks a zip archive the registry names, and its one top folder through //*', async () => {
    const dir = repo(caller(registry.host, 'zipped', 'HOST/acme/zipped/aws//*'));
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    const found = result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard');
    expect(found.map((f) => [f.resource.name, f.location.file])).toEqual([['zipped-vzip', join(dir, 'main.tf')]]);
  });

  it('trusts a loopback registry named by --trusted-module-host, found through service discovery', async () => {
    const dir = repo(caller(registry.host, 'app', 'HOST/acme/irsa/aws', '1.2.5'));
    const seen = registry.requests.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ env: { HOME: tempDir('podtrust-home-') }, trustedHosts: [registry.host] }) });
    expect(result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard')?.resource.name).toBe('app-v1.2.5');
    const paths = registry.requests.slice(seen).map((r) => r.path);
    expect(paths[0]).toBe('/.well-known/terraform.json');
    // No token configured: none sent.
    expect(registry.requests.slice(seen).every((r) => r.authorization === undefined)).toBe(true);
  });

  it('never fetches from a loopback address the user did not name, and says so', async () => {
    const dir = repo(caller(registry.host, 'app', 'HOST/acme/irsa/aws', '~> 1.0'));
    const seen = registry.requests.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ env: { HOME: tempDir('podtrust-home-') } }) });
    expect(registry.requests.slice(seen)).toEqual([]);
    const note = result.notes.find((n) => n.kind === 'module' && n.message.includes('could not be downloaded'));
    expect(note).toMatchObject({ level: 'warning', file: join(dir, 'main.tf'), line: 2 });
    expect(note?.message).toContain('private or loopback');
    expect(result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard')).toEqual([]);
  });

  it('refuses an archive host in the registry answer that the user did not name', async () => {
    const dir = repo(caller(registry.host, 'app', 'HOST/acme/elsewhere/aws'));
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    const note = result.notes.find((n) => n.kind === 'module');
    expect(note?.message).toMatch(/module "app" .* could not be downloaded: localhost resolves to a private or loopback address/);
    expect(registry.requests.some((r) => r.path.startsWith('/archives/acme/elsewhere/'))).toBe(false);
  });

  it('refuses archives whose entries or links lead out of the module folder', async () => {
    const dir = repo(caller(registry.host, 'esc', 'HOST/acme/escape/aws') + caller(registry.host, 'lnk', 'HOST/acme/link/aws'));
    const modules = options();
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules });
    const messages = result.notes.filter((n) => n.kind === 'module' && n.message.includes('could not be downloaded')).map((n) => n.message);
    expect(messages).toHaveLength(2);
    expect(messages.find((m) => m.includes('"esc"'))).toContain('leads outside the module folder');
    expect(messages.find((m) => m.includes('"lnk"'))).toContain('link "secrets.tf" leads outside the module folder');
    // Nothing escaped, and no partial package is left in the cache.
    const cached = listTree(modules.cacheDir);
    expect(cached.some((p) => p.endsWith('escaped.tf'))).toBe(false);
    expect(cached.filter((p) => p.includes('.partial-'))).toEqual([]);
  });

  it('names sources it will not fetch (ssh, file, http, s3) without connecting anywhere', async () => {
    const sources = ['git::ssh://git@example.com/org/repo.git', 'git@github.com:org/repo.git', 'file:///etc/terraform', 'http://example.com/module.tar.gz', 's3::https://s3.amazonaws.com/bucket/module.zip', '/abs/path/module'];
    const dir = repo(sources.map((s, i) => `module "m${i}" {\n  source = "${s}"\n}\n`).join(''));
    const seen = registry.requests.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    const notes = result.notes.filter((n) => n.kind === 'module' && n.message.includes('could not be downloaded'));
    expect(notes.map((n) => n.line)).toEqual([1, 4, 7, 10, 13, 16]);
    expect(notes[0]!.message).toContain('git over ssh is not fetched (https only)');
    expect(notes[1]!.message).toContain('git over ssh is not fetched (https only)');
    expect(notes[2]!.message).toContain('file sources are not fetched');
    expect(notes[3]!.message).toContain('http is not fetched (https only)');
    expect(notes[4]!.message).toContain('s3 sources are not fetched');
    expect(notes[5]!.message).toContain('absolute local path');
    expect(registry.requests.length).toBe(seen);
  });

  it('fetches the registry modules a fetched module calls, directly and through its local modules', async () => {
    const inner = (name: string): string => `module "${name}" {\n  source  = "${registry.host}/acme/irsa/aws"\n  version = "1.0.0"\n  role_name = "${name}"\n  oidc_provider_arn = var.arn\n  oidc_issuer = var.issuer\n  namespace_service_accounts = var.sas\n}\n`;
    const vars = 'variable "arn" {}\nvariable "issuer" {}\nvariable "sas" {}\n';
    const pass = 'arn = var.arn\n  issuer = var.issuer\n  sas = var.sas\n';
    registry.add({
      address: 'acme/outer/aws',
      versions: {
        '1.0.0': await tarGz([
          { name: 'main.tf', body: `${vars}${inner('direct')}module "wrapped" {\n  source = "./modules/wrap"\n  ${pass}}\n` },
          { name: 'modules/wrap/main.tf', body: `${vars}${inner('nested')}` },
        ]),
      },
    });
    const dir = repo(`module "outer" {\n  source = "${registry.host}/acme/outer/aws"\n  arn = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"\n  issuer = "oidc.eks.eu-west-1.amazonaws.com/id/ABC"\n  sas = ["team-*:app"]\n}\n`);
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    const found = result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard');
    expect(found.map((f) => f.resource.address).sort()).toEqual(['module.outer.module.direct.aws_iam_role.this', 'module.outer.module.wrapped.module.nested.aws_iam_role.this']);
    expect(found.every((f) => f.location.file === join(dir, 'main.tf'))).toBe(true);
  });

  it('follows a redirect only through the same checks', async () => {
    registry.add({ address: 'acme/moved/aws', versions: { '1.0.0': Buffer.alloc(0), '2.0.0': Buffer.alloc(0) }, location: (v) => `/archives/moved-${v}.tar.gz` });
    registry.redirect('/archives/moved-1.0.0.tar.gz', `${registry.base.replace('127.0.0.1', 'localhost')}/archives/acme/irsa/aws/1.0.0.tar.gz`);
    registry.redirect('/archives/moved-2.0.0.tar.gz', `http://${registry.host}/archives/acme/irsa/aws/1.0.0.tar.gz`);
    const dir = repo(caller(registry.host, 'one', 'HOST/acme/moved/aws', '1.0.0') + caller(registry.host, 'two', 'HOST/acme/moved/aws', '2.0.0'));
    const seen = registry.archiveHits();
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    const messages = result.notes.filter((n) => n.kind === 'module').map((n) => n.message);
    expect(messages.find((m) => m.includes('"one"'))).toContain('localhost resolves to a private or loopback address');
    expect(messages.find((m) => m.includes('"two"'))).toContain('http is not fetched (https only)');
    // Only the two redirecting requests reached the server.
    expect(registry.archiveHits() - seen).toBe(2);
  });

  it('fetches the registry source of a Terragrunt unit (tfr://) and reports at its inputs line, once', async () => {
    const dir = tempDir('podtrust-repo-');
    mkdirSync(join(dir, 'live', 'app'), { recursive: true });
    const unit = join(dir, 'live', 'app', 'terragrunt.hcl');
    writeFileSync(unit, `terraform {\n  source = "tfr://${registry.host}/acme/irsa/aws?version=1.2.5"\n}\n\ninputs = {\n  role_name                  = "unit"\n  oidc_provider_arn          = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"\n  oidc_issuer                = "oidc.eks.eu-west-1.amazonaws.com/id/ABC"\n  namespace_service_accounts = ["team-*:app"]\n}\n`);
    // A unit without a source runs its own folder, whose module call is fetched.
    mkdirSync(join(dir, 'live', 'own'));
    writeFileSync(join(dir, 'live', 'own', 'terragrunt.hcl'), 'inputs = {}\n');
    writeFileSync(join(dir, 'live', 'own', 'main.tf'), caller(registry.host, 'own', 'HOST/acme/irsa/aws', '1.0.0'));
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options() });
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    const found = result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard');
    // Both at their unit, as every finding through a unit is.
    expect(found.map((f) => [f.resource.name, f.location.file]).sort()).toEqual([['own-v1.0.0', join(dir, 'live', 'own', 'terragrunt.hcl')], ['unit-v1.2.5', unit]]);
  });

  it('fetches in collector threads as in this one', async () => {
    const dir = tempDir('podtrust-repo-');
    for (const name of ['a', 'b']) {
      mkdirSync(join(dir, name));
      writeFileSync(join(dir, name, 'main.tf'), caller(registry.host, name, 'HOST/acme/irsa/aws', '1.0.0'));
    }
    const result = await scan({ paths: [dir], root: dir, workers: 2, modules: options() });
    expect(result.notes.filter((n) => n.kind === 'module' || n.kind === 'internal-error')).toEqual([]);
    expect(result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard').map((f) => f.resource.name).sort()).toEqual(['a-v1.0.0', 'b-v1.0.0']);
  });

  it('names a Terraform CLI configuration it cannot read, without quoting it', async () => {
    const home = tempDir('podtrust-home-');
    const rc = join(home, 'terraformrc');
    writeFileSync(rc, `credentials "app.example.com" {\n  token = "${TOKEN}\n}\n`);
    const dir = repo(caller(registry.host, 'app', 'HOST/acme/irsa/aws', '1.0.0'));
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ env: { HOME: home, TF_CLI_CONFIG_FILE: rc } }) });
    const note = result.notes.find((n) => n.message.startsWith('Terraform CLI configuration'));
    expect(note).toMatchObject({ kind: 'module', level: 'warning' });
    expect(note?.message).toContain(`${rc}:2: not valid HCL`);
    expect(JSON.stringify(result)).not.toContain(TOKEN);
  });

  it('does not run a credentials helper: it names the helper and each host asked without a token', async () => {
    const home = tempDir('podtrust-home-');
    // Where terraform would find the helper: it must not run (it would leave a mark).
    const mark = join(home, 'helper-ran');
    const plugins = join(home, '.terraform.d', 'plugins');
    mkdirSync(plugins, { recursive: true });
    const helper = join(plugins, 'terraform-credentials-vault');
    writeFileSync(helper, `#!/bin/sh\ntouch ${mark}\necho '{"token":"from-helper"}'\n`, { mode: 0o755 });
    const rc = join(home, 'terraformrc');
    const hostBlock = `host "${registry.host}" {\n  services = {\n    "modules.v1" = "${registry.base}/v1/modules/"\n  }\n}\n`;
    writeFileSync(rc, `credentials_helper "vault" {\n  args = ["--profile", "ci"]\n}\n${hostBlock}`);
    const dir = repo(caller(registry.host, 'app', 'HOST/acme/irsa/aws', '1.0.0'));
    const seen = registry.requests.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ env: { HOME: home, TF_CLI_CONFIG_FILE: rc, PATH: `${plugins}:${process.env.PATH ?? ''}` } }) });
    expect(existsSync(mark)).toBe(false);
    expect(registry.requests.slice(seen).every((r) => r.authorization === undefined)).toBe(true);
    const notes = result.notes.filter((n) => n.message.includes('credentials helper'));
    expect(notes).toEqual([{ kind: 'module', level: 'warning', message: `the Terraform CLI configuration names credentials helper "vault", which podtrust does not run: requests to ${registry.host} went without a token; set TF_TOKEN_<host> to give podtrust one` }]);
    // The module itself was fetched (this registry needs no token).
    expect(result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard')?.resource.name).toBe('app-v1.0.0');

    // A host with a token of its own never needed the helper: no note.
    writeFileSync(rc, `credentials_helper "vault" {}\n${hostBlock}credentials "${registry.host}" {\n  token = "${TOKEN}"\n}\n`);
    const withToken = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ env: { HOME: home, TF_CLI_CONFIG_FILE: rc } }) });
    expect(withToken.notes.filter((n) => n.message.includes('credentials helper'))).toEqual([]);
  });

  it('offline, a modelled public module is evaluated with its model, and the warning says why the fetch failed', async () => {
    const closed = await startRegistry(tls, []);
    await closed.close();
    // The public registry, redirected by the user's CLI configuration to a port nobody listens on.
    const home = tempDir('podtrust-home-');
    const rc = join(home, 'terraformrc');
    writeFileSync(rc, `host "registry.terraform.io" {\n  services = {\n    "modules.v1" = "${closed.base}/v1/modules/"\n  }\n}\n`);
    const dir = repo(`module "irsa" {\n  source  = "terraform-aws-modules/iam/aws//modules/iam-role-for-service-accounts-eks"\n  version = "~> 5.0"\n\n  role_name = "app"\n  oidc_providers = {\n    a = {\n      provider_arn               = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AAA"\n      namespace_service_accounts = ["team-*:app"]\n    }\n  }\n}\n`);
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ env: { HOME: home, TF_CLI_CONFIG_FILE: rc } }) });
    const warning = result.notes.find((n) => n.message.includes('could not be downloaded'));
    expect(warning).toMatchObject({ kind: 'module', level: 'warning', file: join(dir, 'main.tf'), line: 1 });
    expect(warning?.message).toMatch(/ECONNREFUSED/);
    expect(result.notes.find((n) => n.message.includes("is analysed with podtrust's model"))).toMatchObject({ kind: 'module', line: 1 });
    // The model's StringEquals cannot match a wildcard: the role is reported, at the caller.
    expect(result.findings.map((f) => [f.ruleId, f.location.file, f.resource.address])).toEqual([['aws-trust-unsatisfiable', join(dir, 'main.tf'), 'module.irsa.aws_iam_role.this[0]']]);
  });

  it('fetches nothing once the time for fetching of the scan is spent', async () => {
    const dir = repo(caller(registry.host, 'late', 'HOST/acme/irsa/aws', '~> 1.0'));
    const seen = registry.requests.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ deadline: 0 }) });
    expect(registry.requests.length).toBe(seen);
    expect(result.notes.find((n) => n.kind === 'module')?.message).toContain('could not be downloaded: the time for fetching modules in this scan is spent');
  });

  it('offline: the call keeps its model (or none) and a warning names the module and why', async () => {
    const closed = await startRegistry(tls, []);
    const host = closed.host;
    await closed.close();
    const dir = repo(caller(host, 'gone', 'HOST/acme/irsa/aws', '~> 1.0'));
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ trustedHosts: [host] }) });
    const notes = result.notes.filter((n) => n.kind === 'module' && n.file === join(dir, 'main.tf'));
    expect(notes.find((n) => n.message.includes('could not be downloaded'))?.message).toMatch(/module "gone" \(127\.0\.0\.1:\d+\/acme\/irsa\/aws\) could not be downloaded: 127\.0\.0\.1:\d+: ECONNREFUSED/);
    expect(result.summary.partial).toBe(false);
  });
});


describe('--download-modules with a git source over loopback HTTPS (git http-backend)', () => {
  let tls: TestTls;
  let git: TestGitServer;
  beforeAll(async () => {
    tls = makeTestTls();
    git = await startGitServer(tls, makeRepository({ 'modules/role/main.tf': irsaModule('git', 'StringLike'), 'README.md': 'stand-in' }, 'v1.0.0'));
  });
  afterAll(async () => git?.close());

  function gitRepo(source: string): string {
    const dir = tempDir('podtrust-repo-');
    writeFileSync(join(dir, 'main.tf'), caller(git.host, 'app', source));
    return dir;
  }

  it('clones the ref and evaluates the subdirectory, once per cache', async () => {
    const dir = gitRepo(`git::${git.url}//modules/role?ref=v1.0.0`);
    const modules: ModuleFetchOptions = { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, trustedHosts: [git.host], env: { HOME: tempDir('podtrust-home-') }, timeoutMs: 20_000 };
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules });
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    const finding = result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard');
    expect(finding?.resource.name).toBe('app-vgit');
    expect(finding?.location.file).toBe(join(dir, 'main.tf'));
    const served = git.requests.length;
    await scan({ paths: [dir], root: dir, workers: 0, modules });
    expect(git.requests.length).toBe(served);
    // No .git folder and no link is kept in the cache.
    expect(listTree(modules.cacheDir).some((p) => p.split('/').includes('.git'))).toBe(false);
  });

  it('does not clone from a loopback host the user did not name', async () => {
    const dir = gitRepo(`git::${git.url}?ref=v1.0.0`);
    const served = git.requests.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, env: { HOME: tempDir('podtrust-home-') } } });
    expect(git.requests.length).toBe(served);
    expect(result.notes.find((n) => n.kind === 'module')?.message).toContain('resolves to a private or loopback address');
  });

  it('refuses a tree over the file or byte limits before checking it out', async () => {
    const dir = gitRepo(`git::${git.url}//modules/role?ref=v1.0.0`);
    const base = { ca: tls.ca, trustedHosts: [git.host], env: { HOME: tempDir('podtrust-home-') }, timeoutMs: 20_000 };
    const small = await scan({ paths: [dir], root: dir, workers: 0, modules: { ...base, cacheDir: tempDir('podtrust-cache-'), maxUnpackedBytes: 10 } });
    expect(small.notes.find((n) => n.kind === 'module')?.message).toMatch(/could not be downloaded: unpacks to more than 10 bytes/);
    const few = await scan({ paths: [dir], root: dir, workers: 0, modules: { ...base, cacheDir: tempDir('podtrust-cache-'), maxFiles: 1 } });
    expect(few.notes.find((n) => n.kind === 'module')?.message).toMatch(/could not be downloaded: more than 1 files/);
    const { boundListing } = await import('../../../../src/collectors/terraform/fetch/git.js');
    const listing = ['100644 blob 0123abcd     700\tmain.tf', '120000 blob 4567abcd      12\tlink', '160000 commit 89abcdef       -\tsub', ''].join('\0');
    expect(() => boundListing(listing, { maxFiles: 2, maxBytes: 712 })).not.toThrow();
    expect(() => boundListing(listing, { maxFiles: 2, maxBytes: 711 })).toThrow('more than 711 bytes');
    expect(() => boundListing(listing, { maxFiles: 1, maxBytes: 10_000 })).toThrow('more than 1 files');
  });

  it('names a ref that does not exist', async () => {
    const dir = gitRepo(`git::${git.url}?ref=v9.9.9`);
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, trustedHosts: [git.host], env: { HOME: tempDir('podtrust-home-') }, timeoutMs: 20_000 } });
    expect(result.notes.find((n) => n.kind === 'module')?.message).toMatch(/module "app" \(git::https:\/\/127\.0\.0\.1:\d+\/module\.git\?ref=v9\.9\.9\) could not be downloaded: git: .*v9\.9\.9/);
  });
});

describe('git transfers bounded while they arrive', () => {
  const PACK = 6 * 1024 * 1024;
  let tls: TestTls;
  let slow: TestGitServer;
  let stalled: TestGitServer;
  beforeAll(async () => {
    tls = makeTestTls();
    // Random bytes do not compress: the pack is as big as the file.
    const repo = makeRepository({ 'main.tf': irsaModule('big', 'StringLike'), 'blob.bin': randomBytes(PACK) }, 'v1.0.0');
    slow = await startGitServer(tls, repo, { throttle: { chunkBytes: 64 * 1024, pauseMs: 10 } });
    stalled = await startGitServer(tls, repo, { stall: true });
  });
  afterAll(async () => {
    await slow?.close();
    await stalled?.close();
  });

  function gitCall(host: string, url: string): string {
    const dir = tempDir('podtrust-repo-');
    writeFileSync(join(dir, 'main.tf'), caller(host, 'app', `git::${url}?ref=v1.0.0`));
    return dir;
  }

  it('ends git once it has received more than the download limit, not after the whole pack', async () => {
    const dir = gitCall(slow.host, slow.url);
    const modules: ModuleFetchOptions = { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, trustedHosts: [slow.host], env: { HOME: tempDir('podtrust-home-') }, timeoutMs: 60_000, maxArchiveBytes: 512 * 1024 };
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules });
    expect(result.notes.find((n) => n.kind === 'module')?.message).toMatch(/module "app" .* could not be downloaded: git received more than 524288 bytes \(the download limit\)/);
    // The server was cut off far before the pack was whole, and nothing of it is left in the cache.
    expect(slow.bodyBytes()).toBeLessThan(PACK / 2);
    expect(listTree(modules.cacheDir).filter((p) => !p.endsWith('.terraform') && p !== 'modules')).toEqual([]);
  });

  it('fetches the same repository when the limit allows it', async () => {
    const dir = gitCall(slow.host, slow.url);
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, trustedHosts: [slow.host], env: { HOME: tempDir('podtrust-home-') }, timeoutMs: 60_000, maxArchiveBytes: 2 * PACK } });
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard')?.resource.name).toBe('app-vbig');
  });

  it('stops git holding an endless ref advertisement in memory, long before the time limit', async () => {
    // One ref line, repeated for ever: git-remote-https reads the whole advertisement before parsing it.
    const line = `003f${'a'.repeat(40)} refs/heads/${'b'.repeat(10)}\n`;
    const chunk = Buffer.from(line.repeat(Math.floor((1024 * 1024) / line.length)));
    let sent = 0;
    const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement' });
      res.write('001e# service=git-upload-pack\n0000');
      const pump = (): void => {
        while (!res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
      };
      pump();
    });
    const { port, close } = await listenLoopback(server);
    try {
      const host = `127.0.0.1:${port}`;
      const dir = gitCall(host, `https://${host}/module.git`);
      const cacheDir = tempDir('podtrust-cache-');
      const result = await scan({ paths: [dir], root: dir, workers: 0, modules: { cacheDir, ca: tls.ca, trustedHosts: [host], env: { HOME: tempDir('podtrust-home-') }, timeoutMs: 300_000, maxArchiveBytes: 1024 * 1024 } });
      expect(result.notes.find((n) => n.kind === 'module')?.message).toMatch(/could not be downloaded: git needed more than 272629760 bytes of memory/);
      // It was the advertisement that grew: git had taken tens of megabytes of it.
      expect(sent).toBeGreaterThan(32 * 1024 * 1024);
      // Nothing of the failed fetch is left, in the cache or in the scanned repository.
      expect(listTree(cacheDir).filter((p) => !p.endsWith('.terraform') && p !== 'modules')).toEqual([]);
      expect(readdirSync(dir)).toEqual(['main.tf']);
    } finally {
      await close();
    }
  }, 300_000);

  it('ends a git transfer that does not finish in time', async () => {
    const dir = gitCall(stalled.host, stalled.url);
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, trustedHosts: [stalled.host], env: { HOME: tempDir('podtrust-home-') }, timeoutMs: 1_000 } });
    expect(result.notes.find((n) => n.kind === 'module')?.message).toMatch(/could not be downloaded: git did not finish within 1 s/);
  });
});
