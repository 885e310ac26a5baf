/**
 * HTTPS_PROXY and NO_PROXY as `terraform init` honours them (Go's http.ProxyFromEnvironment): the
 * decision on its own, then registry calls, archive downloads and git through a loopback CONNECT
 * proxy that records where it was asked to connect.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../../../src/scan.js';
import type { ModuleFetchOptions } from '../../../../src/collectors/terraform/fetch/fetcher.js';
import { bypassesProxy, proxyEnvironment, proxyFor } from '../../../../src/collectors/terraform/fetch/proxy.js';
import { makeTestTls, type TestTls } from '../../../live/tls.js';
import { createServer } from 'node:net';
import { type TestRegistry, listenLoopback, startRegistry, tarGz } from './registry-server.js';
import { httpsGet } from '../../../../src/collectors/terraform/fetch/https-get.js';
import { type TestGitServer, makeRepository, startGitServer } from './git-server.js';
import { type TestProxy, startConnectProxy } from './proxy-server.js';
import { caller, irsaModule } from './stand-ins.js';

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

describe('which requests go through the proxy (Go semantics)', () => {
  it('reads HTTPS_PROXY before https_proxy, NO_PROXY before no_proxy, and nothing without a proxy', () => {
    expect(proxyEnvironment({ HTTPS_PROXY: 'http://a:1', https_proxy: 'http://b:2', no_proxy: 'x' })).toEqual({ httpsProxy: 'http://a:1', noProxy: 'x' });
    expect(proxyEnvironment({ HTTPS_PROXY: '', https_proxy: 'http://b:2', NO_PROXY: 'y', no_proxy: 'x' })).toEqual({ httpsProxy: 'http://b:2', noProxy: 'y' });
    expect(proxyEnvironment({ HTTP_PROXY: 'http://a:1', NO_PROXY: 'y' })).toBeUndefined();
  });

  it('never proxies localhost or loopback addresses', () => {
    for (const host of ['localhost', 'LOCALHOST', '127.0.0.1', '127.9.9.9', '[::1]', '::ffff:127.0.0.1']) expect(bypassesProxy(host, '443', ''), host).toBe(true);
    // Only the literal name: Go does not resolve it, and neither does podtrust here.
    expect(bypassesProxy('localhost.example.com', '443', '')).toBe(false);
    expect(bypassesProxy('10.0.0.1', '443', '')).toBe(false);
  });

  it('matches NO_PROXY entries by domain, subdomain, port, address and CIDR range', () => {
    const cases: [string, string, string, boolean][] = [
      ['example.com', '443', 'example.com', true],
      ['a.b.example.com', '443', 'example.com', true],
      ['notexample.com', '443', 'example.com', false],
      ['example.com', '443', '.example.com', false],
      ['a.example.com', '443', '.example.com', true],
      ['a.example.com', '443', '*.example.com', true],
      ['example.com', '443', '*.example.com', false],
      ['example.com', '8443', 'example.com:8443', true],
      ['example.com', '443', 'example.com:8443', false],
      ['EXAMPLE.com', '443', ' other.org , Example.COM ', true],
      ['anything.org', '443', '*', true],
      ['10.1.2.3', '443', '10.0.0.0/8', true],
      ['11.1.2.3', '443', '10.0.0.0/8', false],
      ['192.168.1.1', '443', '192.168.1.1', true],
      ['192.168.1.1', '443', '192.168.1.1:8443', false],
      ['2001:db8::5', '443', '2001:db8::/32', true],
      ['2001:db8::5', '443', '[2001:db8::5]:443', true],
      // A CIDR entry is for addresses only; a name is not resolved to match it.
      ['example.com', '443', '0.0.0.0/0', false],
      ['example.com', '443', ',,', false],
      // Spaces and empty entries around `*` anywhere in the list; a lone dot or port is nothing.
      ['example.com', '443', 'a.com, , * ,b', true],
      ['example.com', '443', '.', false],
      ['example.com', '443', ':443', false],
      ['example.com', '443', 'example.com:', true],
      // A domain in Unicode matches its punycode host, as Go's idnaASCII makes it.
      ['xn--bcher-kva.example', '443', 'bücher.example', true],
      ['a.xn--bcher-kva.example', '443', '.BÜCHER.example', true],
      ['xn--bcher-kva.example', '443', '*.bücher.example', false],
      // A bracketed address without a port is no entry Go reads; mapped addresses match their IPv4 form.
      ['[2001:db8::5]', '443', '[2001:db8::5]', false],
      ['[::ffff:10.0.0.1]', '443', '10.0.0.0/8', true],
    ];
    for (const [host, port, noProxy, bypass] of cases) expect(bypassesProxy(host, port, noProxy), `${host}:${port} NO_PROXY=${noProxy}`).toBe(bypass);
  });

  it('takes a proxy without a scheme as http://, and refuses socks5 without quoting the value', () => {
    const target = new URL('https://registry.example.com/v1/');
    expect(proxyFor(target, { httpsProxy: 'proxy.corp:3128', noProxy: '' })?.href).toBe('http://proxy.corp:3128/');
    expect(proxyFor(target, { httpsProxy: 'https://proxy.corp:3129', noProxy: '' })?.href).toBe('https://proxy.corp:3129/');
    expect(proxyFor(target, { httpsProxy: 'proxy.corp:3128', noProxy: 'example.com' })).toBeUndefined();
    expect(proxyFor(target, undefined)).toBeUndefined();
    expect(() => proxyFor(target, { httpsProxy: 'socks5://u:hunter2@proxy.corp:1080', noProxy: '' })).toThrow(/^HTTPS_PROXY names a socks5 proxy, which podtrust does not use/);
    expect(() => proxyFor(target, { httpsProxy: 'socks5://u:hunter2@proxy.corp:1080', noProxy: '' })).not.toThrow(/hunter2/);
  });
});

describe('--download-modules through a loopback CONNECT proxy', () => {
  const NAME = 'registry.podtrust.test';
  const GIT_NAME = 'git.podtrust.test';
  let tls: TestTls;
  let registry: TestRegistry;
  let git: TestGitServer;
  let proxy: TestProxy;
  /** The registry as only the proxy knows it. */
  let host: string;

  beforeAll(async () => {
    tls = makeTestTls([NAME, GIT_NAME]);
    registry = await startRegistry(tls, [{ address: 'acme/irsa/aws', versions: { '1.2.5': await tarGz([{ name: 'main.tf', body: irsaModule('1.2.5', 'StringLike') }]) } }]);
    git = await startGitServer(tls, makeRepository({ 'main.tf': irsaModule('git', 'StringLike') }, 'v1.0.0'));
    proxy = await startConnectProxy();
    host = registry.host.replace('127.0.0.1', NAME);
  });
  afterAll(async () => {
    await registry?.close();
    await git?.close();
    await proxy?.close();
  });

  /** The user's CLI configuration names the registry host: trusted, and resolved by the proxy alone. */
  function options(env: Record<string, string>, extra: Partial<ModuleFetchOptions> = {}): ModuleFetchOptions {
    const home = tempDir('podtrust-home-');
    const rc = join(home, 'terraformrc');
    writeFileSync(rc, `host "${host}" {\n  services = {\n    "modules.v1" = "https://${host}/v1/modules/"\n  }\n}\n`);
    return { cacheDir: tempDir('podtrust-cache-'), ca: tls.ca, env: { HOME: home, TF_CLI_CONFIG_FILE: rc, ...env }, timeoutMs: 20_000, ...extra };
  }

  function repo(text: string): string {
    const dir = tempDir('podtrust-repo-');
    writeFileSync(join(dir, 'main.tf'), text);
    return dir;
  }

  it('sends the registry calls and the archive download through HTTPS_PROXY, asking it for the target by name', async () => {
    const dir = repo(caller(host, 'app', 'HOST/acme/irsa/aws', '1.2.5'));
    const seen = proxy.targets.length;
    const proxyUrl = proxy.url.replace('http://', 'http://scan:proxy-secret@');
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ HTTPS_PROXY: proxyUrl }) });
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard')?.resource.name).toBe('app-v1.2.5');
    // Versions, download, archive: each a CONNECT to the registry's name.
    expect(proxy.targets.slice(seen)).toEqual([host, host, host]);
    expect(proxy.authorizations.slice(seen)).toEqual(Array(3).fill(`Basic ${Buffer.from('scan:proxy-secret').toString('base64')}`));
    expect(JSON.stringify(result)).not.toContain('proxy-secret');
  });

  it('reads https_proxy too, and goes direct for a NO_PROXY host (here: one only the proxy could resolve)', async () => {
    const dir = repo(caller(host, 'app', 'HOST/acme/irsa/aws', '1.2.5'));
    let seen = proxy.targets.length;
    const lower = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ https_proxy: proxy.url }) });
    expect(lower.findings.some((f) => f.ruleId === 'aws-trust-sub-wildcard')).toBe(true);
    expect(proxy.targets.length - seen).toBe(3);
    seen = proxy.targets.length;
    const bypassed = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ HTTPS_PROXY: proxy.url, NO_PROXY: 'other.example, .podtrust.test' }) });
    expect(proxy.targets.length).toBe(seen);
    expect(bypassed.notes.find((n) => n.kind === 'module')?.message).toContain(`could not be downloaded: ${host}: ENOTFOUND`);
  });

  it('never sends a loopback address to the proxy', async () => {
    const dir = repo(caller(registry.host, 'app', 'HOST/acme/irsa/aws', '1.2.5'));
    const seen = proxy.targets.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ HTTPS_PROXY: proxy.url }, { trustedHosts: [registry.host] }) });
    expect(result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard')?.resource.name).toBe('app-v1.2.5');
    expect(proxy.targets.length).toBe(seen);
  });

  it('checks the address of a host the repository names before asking the proxy for it', async () => {
    const dir = repo(caller('unknown.podtrust.test', 'app', 'HOST/acme/irsa/aws', '1.2.5') + 'module "arc" {\n  source = "https://10.1.2.3/module.tar.gz"\n}\n');
    const seen = proxy.targets.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ HTTPS_PROXY: proxy.url }) });
    expect(proxy.targets.length).toBe(seen);
    const messages = result.notes.filter((n) => n.kind === 'module').map((n) => n.message);
    expect(messages.find((m) => m.includes('"app"'))).toContain('unknown.podtrust.test: ENOTFOUND (its addresses are checked before the proxy is asked');
    expect(messages.find((m) => m.includes('"arc"'))).toContain('10.1.2.3 is a private or loopback address');
  });

  it('ends a request at its time limit when the proxy never answers CONNECT', async () => {
    const silent = createServer(() => undefined);
    const { port, close } = await listenLoopback(silent);
    try {
      const policy = { trustedHosts: [host], timeoutMs: 500, proxy: { httpsProxy: `http://127.0.0.1:${port}`, noProxy: '' } };
      await expect(httpsGet(new URL(`https://${host}/v1/modules/`), { maxBytes: 1024 }, policy)).rejects.toThrow(`${host} did not answer within 1 s`);
    } finally {
      await close();
    }
  });

  it('refuses what a proxy answers instead of a tunnel: never taken for the target answering, never followed, no secret in the message', async () => {
    const answers: [string, string][] = [
      ['HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="p"\r\nContent-Length: 0\r\n\r\n', '407'],
      ['HTTP/1.1 302 Found\r\nLocation: https://10.0.0.1/evil.tar.gz\r\nContent-Length: 0\r\n\r\n', '302'],
      ['HTTP/1.1 201 Created\r\nContent-Length: 26\r\n\r\n{"modules.v1":"/forged/v1/"}', '201'],
      ['HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n', '502'],
    ];
    for (const [answer, status] of answers) {
      const lying = await startConnectProxy(answer);
      try {
        const policy = { trustedHosts: [host], timeoutMs: 5000, proxy: { httpsProxy: lying.url.replace('http://', 'http://scan:proxy-secret@'), noProxy: '' } };
        const tokens = new Map([[host, 'registry-token-secret']]);
        const refusal = await httpsGet(new URL(`https://${host}/.well-known/terraform.json`), { maxBytes: 1024, tokens }, policy).then(
          (a) => `answered ${a.status}`,
          (e: Error) => e.message,
        );
        expect(refusal).toBe(`the proxy answered ${status} when asked for a tunnel to ${host}`);
        expect(lying.targets).toEqual([host]);
      } finally {
        await lying.close();
      }
    }
  });

  it('checks where a registry behind the proxy redirects: a private address or loopback name is refused, and never asked of the proxy', async () => {
    const policy = { trustedHosts: [host], timeoutMs: 5000, ca: tls.ca, proxy: { httpsProxy: proxy.url, noProxy: '' } };
    const cases: [string, string][] = [
      ['https://10.1.2.3/a.tar.gz', '10.1.2.3 is a private or loopback address'],
      ['https://[::ffff:127.0.0.1]/a.tar.gz', 'is a private or loopback address'],
      [`https://localhost:${registry.host.split(':')[1]}/a.tar.gz`, 'localhost resolves to a private or loopback address'],
    ];
    for (const [i, [location, refusal]] of cases.entries()) {
      registry.redirect(`/archives/hop-${i}.tar.gz`, location);
      const seen = proxy.targets.length;
      await expect(httpsGet(new URL(`https://${host}/archives/hop-${i}.tar.gz`), { maxBytes: 1024 }, policy)).rejects.toThrow(refusal);
      expect(proxy.targets.slice(seen)).toEqual([host]);
    }
  });

  it('gives git the proxy variables: it asks the proxy for the trusted git host by name', async () => {
    const gitHost = git.host.replace('127.0.0.1', GIT_NAME);
    const dir = repo(caller(gitHost, 'app', `git::https://${gitHost}/module.git?ref=v1.0.0`));
    const seen = proxy.targets.length;
    const result = await scan({ paths: [dir], root: dir, workers: 0, modules: options({ HTTPS_PROXY: proxy.url }, { trustedHosts: [gitHost] }) });
    expect(result.notes.filter((n) => n.kind === 'module')).toEqual([]);
    expect(result.findings.find((f) => f.ruleId === 'aws-trust-sub-wildcard')?.resource.name).toBe('app-vgit');
    expect(proxy.targets.slice(seen).length).toBeGreaterThan(0);
    expect(new Set(proxy.targets.slice(seen))).toEqual(new Set([gitHost]));
  });
});
