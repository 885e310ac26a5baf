/**
 * `podtrust scan --download-modules` as a user with a private registry runs it: the registry named in
 * a Terraform CLI configuration file, its CA through NODE_EXTRA_CA_CERTS, the cache in --module-cache.
 */
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliAsync } from '../../../helpers/cli.js';
import { makeTestTls, type TestTls } from '../../../live/tls.js';
import { type TestRegistry, startRegistry, tarGz } from './registry-server.js';
import { caller, irsaModule } from './stand-ins.js';

describe('podtrust scan --download-modules', () => {
  let tls: TestTls;
  let registry: TestRegistry;
  beforeAll(async () => {
    tls = makeTestTls();
    registry = await startRegistry(tls, [{ address: 'acme/irsa/aws', versions: { '1.2.0': await tarGz([{ name: 'main.tf', body: irsaModule('1.2.0', 'StringLike') }]) } }]);
  });
  afterAll(async () => registry?.close());

  it('fetches through the CLI configuration, reports at the caller, and warns about the module it could not fetch', async () => {
    const home = mkdtempSync(join(tmpdir(), 'podtrust-home-'));
    const rc = join(home, 'terraformrc');
    writeFileSync(rc, `host "${registry.host}" {\n  services = {\n    "modules.v1" = "${registry.base}/v1/modules/"\n  }\n}\n`);
    const repo = mkdtempSync(join(tmpdir(), 'podtrust-repo-'));
    writeFileSync(join(repo, 'main.tf'), caller(registry.host, 'app', 'HOST/acme/irsa/aws', '~> 1.0') + caller(registry.host, 'absent', 'HOST/acme/absent/aws', '~> 1.0'));
    const cache = join(home, 'cache');
    const run = await runCliAsync(['scan', '.', '--root', '.', '--download-modules', '--module-cache', cache, '--format', 'sarif', '--fail-on', 'none'], { cwd: repo, env: { HOME: home, TF_CLI_CONFIG_FILE: rc, NODE_EXTRA_CA_CERTS: tls.caFile } });
    expect(run.status).toBe(0);
    const sarif = JSON.parse(run.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[]; invocations: { toolExecutionNotifications?: { level: string; message: { text: string } }[] }[] }[] };
    const result = sarif.runs[0]!.results.find((r) => r.ruleId === 'aws-trust-sub-wildcard');
    expect(result?.locations[0]!.physicalLocation.artifactLocation.uri).toBe('main.tf');
    const warning = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications?.find((n) => n.message.text.includes('could not be downloaded'));
    expect(warning?.level).toBe('warning');
    expect(warning?.message.text).toMatch(/module "absent" .* not found \(404\)/);
    expect(run.stderr).toMatch(/module "absent" .* could not be downloaded/);
    expect(readdirSync(repo)).toEqual(['main.tf']);
    expect(readdirSync(join(cache, 'modules', '.terraform'))).toHaveLength(1);
  });

  it('refuses a module cache inside the scanned root, and the module flags without --download-modules', () => {
    const repo = mkdtempSync(join(tmpdir(), 'podtrust-repo-'));
    mkdirSync(join(repo, 'cache'));
    const inside = runCli(['scan', '.', '--root', '.', '--download-modules', '--module-cache', 'cache'], { cwd: repo });
    expect(inside.status).toBe(2);
    expect(inside.stderr).toContain('is inside the scanned root');
    const alone = runCli(['scan', '.', '--root', '.', '--module-cache', '/tmp/x'], { cwd: repo });
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain('--module-cache needs --download-modules');
  });
});
