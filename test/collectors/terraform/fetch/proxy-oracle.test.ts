/**
 * Terraform as the oracle for HTTPS_PROXY and NO_PROXY: for each NO_PROXY value, the registry hosts
 * `terraform get` asks the proxy for are the ones podtrust asks it for. Skipped (with a message)
 * without Terraform.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModuleFetcher } from '../../../../src/collectors/terraform/fetch/fetcher.js';
import { makeTestTls, type TestTls } from '../../../live/tls.js';
import { type TestRegistry, startRegistry, tarGz } from './registry-server.js';
import { type TestProxy, startConnectProxy } from './proxy-server.js';

const TERRAFORM = '/usr/local/bin/terraform';
const present = existsSync(TERRAFORM);
if (!present) console.warn(`skipped: ${TERRAFORM} is absent, so the proxy choices of terraform get cannot be compared`);

const NAMES = ['registry.podtrust.test', 'mirror.registry.podtrust.test', 'other.example.test'];

describe.skipIf(!present)('proxy choice against terraform get', () => {
  let tls: TestTls;
  let registry: TestRegistry;
  let proxy: TestProxy;
  let port: string;
  beforeAll(async () => {
    tls = makeTestTls(NAMES);
    registry = await startRegistry(tls, [{ address: 'acme/pick/aws', versions: { '1.0.0': await tarGz([{ name: 'main.tf', body: 'output "v" {\n  value = 1\n}\n' }]) } }]);
    proxy = await startConnectProxy();
    port = registry.host.split(':')[1]!;
  });
  afterAll(async () => {
    await registry?.close();
    await proxy?.close();
  });

  /** The hosts (without port) the proxy was asked for since `from`. */
  function asked(from: number): string[] {
    return [...new Set(proxy.targets.slice(from).map((t) => t.replace(/:\d+$/, '')))].sort();
  }

  async function terraformGet(home: string, env: Record<string, string>, name: string): Promise<void> {
    const root = mkdtempSync(join(tmpdir(), 'podtrust-oracle-'));
    writeFileSync(join(root, 'main.tf'), `module "m" {\n  source  = "${name}:${port}/acme/pick/aws"\n  version = "1.0.0"\n}\n`);
    await promisify(execFile)(TERRAFORM, ['get', '-no-color'], { cwd: root, env: { PATH: process.env.PATH, HOME: home, SSL_CERT_FILE: tls.caFile, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1', NO_COLOR: '1', ...env }, timeout: 60_000 }).catch(() => undefined);
  }

  it('asks the proxy for the same hosts as terraform, NO_PROXY value by value', async () => {
    const home = mkdtempSync(join(tmpdir(), 'podtrust-home-'));
    const rc = join(home, 'terraformrc');
    writeFileSync(rc, NAMES.map((n) => `host "${n}:${port}" {\n  services = {\n    "modules.v1" = "https://${n}:${port}/v1/modules/"\n  }\n}\n`).join(''));
    const cases = ['', 'podtrust.test', '.podtrust.test', 'registry.podtrust.test', '*.registry.podtrust.test', `registry.podtrust.test:${port}`, 'registry.podtrust.test:1', 'example.test,podtrust.test', '*'];
    for (const noProxy of cases) {
      const env = { TF_CLI_CONFIG_FILE: rc, HTTPS_PROXY: proxy.url, NO_PROXY: noProxy };
      let from = proxy.targets.length;
      for (const name of NAMES) await terraformGet(home, env, name);
      const byTerraform = asked(from);
      from = proxy.targets.length;
      const fetcher = await ModuleFetcher.create({ cacheDir: mkdtempSync(join(tmpdir(), 'podtrust-cache-')), ca: tls.ca, env: { HOME: home, ...env } });
      for (const name of NAMES) await fetcher.fetch(`${name}:${port}/acme/pick/aws`, '1.0.0').catch(() => undefined);
      expect(asked(from), `NO_PROXY=${JSON.stringify(noProxy)}`).toEqual(byTerraform);
    }
  }, 300_000);
});
