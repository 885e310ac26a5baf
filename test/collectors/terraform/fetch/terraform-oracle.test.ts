/**
 * Terraform as the oracle: `terraform get` against the same loopback registry chooses the same
 * version podtrust chooses, constraint by constraint, and unpacks a zip archive into the same
 * files. Skipped (with a message) without Terraform.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModuleFetcher } from '../../../../src/collectors/terraform/fetch/fetcher.js';
import { makeTestTls, type TestTls } from '../../../live/tls.js';
import { type TestRegistry, startRegistry, tarGz } from './registry-server.js';
import { zip } from './zip-writer.js';

const TERRAFORM = '/usr/local/bin/terraform';
const present = existsSync(TERRAFORM);
if (!present) console.warn(`skipped: ${TERRAFORM} is absent, so the versions terraform get chooses cannot be compared`);

const PUBLISHED = ['0.9.0', '1.0.0', '1.2.0', '1.2.5', '1.4.0', '1.5.0-beta1', '2.0.0', '2.1.0-rc1', 'v2.2.0'];
const CONSTRAINTS = ['~> 1.2', '~> 1.2.0', '>= 1.0', '>= 1.0, < 2.0', '1.5.0-beta1', '= 1.5.0-beta1', '!= 1.4.0, ~> 1.0', '< 1.2.5', '= 1.2.5', '~> 1', '> 1.2.0, <= 1.4.0', '>= 1.5.0-beta1', '~> 0.9', '2.1.0-rc1', '~> 2.0', 'v1.5.0-beta1', '1.5.0-beta1, >= 1.0', '<= 1.5.0-beta1', '~> 1.5.0-beta1', '~> 2.2.0'];

describe.skipIf(!present)('version choice against terraform get', () => {
  let tls: TestTls;
  let registry: TestRegistry;
  beforeAll(async () => {
    tls = makeTestTls();
    const versions: Record<string, Buffer> = {};
    for (const v of PUBLISHED) versions[v] = await tarGz([{ name: 'main.tf', body: `output "version" {\n  value = "${v}"\n}\n` }]);
    const zipped = zip([
      { name: 'main.tf', body: 'output "v" {\n  value = 1\n}\n', mode: 0o100644 },
      { name: 'modules/', mode: 0o040755 },
      { name: 'modules/role/main.tf', body: 'variable "x" {}\n', method: 0 },
      { name: 'docs/README.md', body: 'stand-in\n' },
    ]);
    registry = await startRegistry(tls, [{ address: 'acme/pick/aws', versions }, { address: 'acme/zipped/aws', versions: { '1.0.0': Buffer.alloc(0) }, location: () => '/archives/zipped-1.0.0.zip' }], { '/archives/zipped-1.0.0.zip': zipped });
  });
  afterAll(async () => registry?.close());

  /** `terraform get` on calls with these constraints: the versions chosen, and the calls it could not resolve. */
  async function terraformGet(home: string, rc: string, source: string, calls: [string, string | undefined][]): Promise<{ versions: Record<string, string | undefined>; failed: string[] }> {
    const root = mkdtempSync(join(tmpdir(), 'podtrust-oracle-'));
    writeFileSync(join(root, 'main.tf'), calls.map(([name, c]) => `module "${name}" {\n  source  = "${source}"\n${c !== undefined ? `  version = "${c}"\n` : ''}}\n`).join('\n'));
    // Asynchronously: the registry answers from this process.
    const env = { PATH: process.env.PATH, HOME: home, TF_CLI_CONFIG_FILE: rc, SSL_CERT_FILE: tls.caFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', NO_COLOR: '1' };
    const run = await promisify(execFile)(TERRAFORM, ['get', '-no-color'], { cwd: root, env, timeout: 120_000 }).then(
      () => '',
      (e: { stderr?: string }) => e.stderr ?? String(e),
    );
    const failed = [...run.matchAll(/Unresolvable module version constraint[\s\S]*?module "([^"]+)"/g)].map((m) => m[1]!);
    if (run !== '' && failed.length === 0) throw new Error(`terraform get failed: ${run}`);
    if (run !== '') return { versions: {}, failed };
    const manifest = JSON.parse(readFileSync(join(root, '.terraform', 'modules', 'modules.json'), 'utf8')) as { Modules: { Key: string; Version?: string }[] };
    return { versions: Object.fromEntries(manifest.Modules.filter((m) => m.Key !== '').map((m) => [m.Key, m.Version])), failed };
  }

  it('chooses what Terraform chooses for every constraint, and fails where it fails', async () => {
    const home = mkdtempSync(join(tmpdir(), 'podtrust-home-'));
    const rc = join(home, 'terraformrc');
    writeFileSync(rc, `host "${registry.host}" {\n  services = {\n    "modules.v1" = "${registry.base}/v1/modules/"\n  }\n}\n`);
    const source = `${registry.host}/acme/pick/aws`;
    const calls: [string, string | undefined][] = [...CONSTRAINTS.map((c, i): [string, string] => [`m${i}`, c]), ['none', undefined]];
    // Terraform writes no manifest when a call fails: a second run has only the calls it resolved.
    const { failed } = await terraformGet(home, rc, source, calls);
    const { versions } = await terraformGet(home, rc, source, calls.filter(([name]) => !failed.includes(name)));
    expect(failed.length).toBeGreaterThan(0);

    const fetcher = await ModuleFetcher.create({ cacheDir: mkdtempSync(join(tmpdir(), 'podtrust-cache-')), ca: tls.ca, env: { HOME: home, TF_CLI_CONFIG_FILE: rc } });
    const chosen: Record<string, string | undefined> = {};
    const refused: string[] = [];
    for (const [name, c] of calls) {
      try {
        chosen[name] = (await fetcher.fetch(source, c)).version;
      } catch {
        refused.push(name);
      }
    }
    expect(refused.sort()).toEqual([...failed].sort());
    expect(chosen).toEqual(versions);
  }, 180_000);

  it('unpacks a zip module archive into the files terraform get unpacks', async () => {
    const home = mkdtempSync(join(tmpdir(), 'podtrust-home-'));
    const rc = join(home, 'terraformrc');
    writeFileSync(rc, `host "${registry.host}" {\n  services = {\n    "modules.v1" = "${registry.base}/v1/modules/"\n  }\n}\n`);
    const root = mkdtempSync(join(tmpdir(), 'podtrust-oracle-'));
    writeFileSync(join(root, 'main.tf'), `module "z" {\n  source  = "${registry.host}/acme/zipped/aws"\n  version = "1.0.0"\n}\n`);
    const env = { PATH: process.env.PATH, HOME: home, TF_CLI_CONFIG_FILE: rc, SSL_CERT_FILE: tls.caFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', NO_COLOR: '1' };
    await promisify(execFile)(TERRAFORM, ['get', '-no-color'], { cwd: root, env, timeout: 120_000 });
    const listing = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(sep).join('/')).sort();
    const byTerraform = listing(join(root, '.terraform', 'modules', 'z'));
    const fetcher = await ModuleFetcher.create({ cacheDir: mkdtempSync(join(tmpdir(), 'podtrust-cache-')), ca: tls.ca, env: { HOME: home, TF_CLI_CONFIG_FILE: rc } });
    const fetched = await fetcher.fetch(`${registry.host}/acme/zipped/aws`, '1.0.0');
    expect(listing(fetched.dir)).toEqual(byTerraform);
    expect(byTerraform).toContain('modules/role/main.tf');
  }, 180_000);
});
