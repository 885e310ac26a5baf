/**
 * Terraform's module registry protocol: service discovery (`/.well-known/terraform.json`, or the
 * user's CLI-config `host` block instead), `modules.v1` versions, and the download location
 * (`X-Terraform-Get` header, or a JSON `location`). The registry host's token goes to that host only.
 */
import { type GetAnswer, FetchRefused, type NetworkPolicy, httpsGet } from './https-get.js';
import { type TerraformCliConfig, hostKey, tokenVariableName } from './cli-config.js';
import type { RegistryModule } from './source.js';

const MAX_JSON_BYTES = 4 * 1024 * 1024;

export interface RegistryContext {
  cli: TerraformCliConfig;
  policy: NetworkPolicy;
  /** Discovery answers of this scan, by host. */
  discovered: Map<string, Promise<URL>>;
  /** Hosts asked without a token while the CLI configuration names a credentials helper (not run). */
  withoutHelper: Set<string>;
}

function json(answer: GetAnswer, what: string): unknown {
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    throw new FetchRefused(`${answer.url.host}: the ${what} answer is not JSON`);
  }
}

function expectOk(answer: GetAnswer, what: string): void {
  if (answer.status === 404) throw new FetchRefused(`${answer.url.host}: ${what} not found (404)`);
  if (answer.status === 401 || answer.status === 403) throw new FetchRefused(`${answer.url.host}: ${what} refused (${answer.status}); set ${tokenVariableName(answer.url.host) ?? 'TF_TOKEN_<host>'} or run terraform login`);
  if (answer.status < 200 || answer.status >= 300) throw new FetchRefused(`${answer.url.host}: ${what} answered ${answer.status}`);
}

function get(url: URL, ctx: RegistryContext, accept = 'application/json'): Promise<GetAnswer> {
  if (ctx.cli.credentialsHelper !== undefined && !ctx.cli.tokens.has(hostKey(url.host))) ctx.withoutHelper.add(hostKey(url.host));
  return httpsGet(url, { maxBytes: MAX_JSON_BYTES, tokens: ctx.cli.tokens, accept }, ctx.policy);
}

/** The `modules.v1` base URL of a registry host (ends with `/`). */
export function modulesEndpoint(host: string, ctx: RegistryContext): Promise<URL> {
  const key = hostKey(host);
  const configured = ctx.cli.hosts.get(key);
  if (configured !== undefined) {
    const service = configured['modules.v1'];
    if (service === undefined) return Promise.reject(new FetchRefused(`${host}: the host block of the Terraform CLI configuration names no modules.v1 service`));
    return Promise.resolve(withSlash(new URL(service, `https://${host}/`)));
  }
  let found = ctx.discovered.get(key);
  if (!found) {
    found = discover(host, ctx);
    ctx.discovered.set(key, found);
  }
  return found;
}

async function discover(host: string, ctx: RegistryContext): Promise<URL> {
  const wellKnown = new URL(`https://${host}/.well-known/terraform.json`);
  const answer = await get(wellKnown, ctx);
  expectOk(answer, 'service discovery');
  const doc = json(answer, 'service discovery') as Record<string, unknown> | null;
  const service = doc?.['modules.v1'];
  if (typeof service !== 'string') throw new FetchRefused(`${host}: the registry offers no modules.v1 service`);
  return withSlash(new URL(service, answer.url));
}

function withSlash(u: URL): URL {
  if (!u.pathname.endsWith('/')) u.pathname += '/';
  return u;
}

/** The versions a registry publishes for a module. */
export async function listVersions(module: RegistryModule, ctx: RegistryContext): Promise<string[]> {
  const base = await modulesEndpoint(module.host, ctx);
  const answer = await get(new URL(`${module.address}/versions`, base), ctx);
  expectOk(answer, `module ${module.address}`);
  const doc = json(answer, 'versions') as { modules?: { versions?: { version?: unknown }[] }[] } | null;
  const out: string[] = [];
  for (const m of doc?.modules ?? []) for (const v of m?.versions ?? []) if (typeof v?.version === 'string') out.push(v.version);
  return out;
}

/**
 * Where the registry says a module version's code is: a go-getter address. A relative location
 * (`/…`, `./…`, `../…`) is resolved against the download URL, as Terraform resolves it.
 */
export async function downloadLocation(module: RegistryModule, version: string, ctx: RegistryContext): Promise<string> {
  const base = await modulesEndpoint(module.host, ctx);
  const url = new URL(`${module.address}/${encodeURIComponent(version)}/download`, base);
  const answer = await get(url, ctx);
  expectOk(answer, `module ${module.address} ${version}`);
  let location = answer.headers['x-terraform-get'];
  if (Array.isArray(location)) location = location[0];
  if (location === undefined && answer.body.length > 0) {
    const doc = json(answer, 'download') as { location?: unknown } | null;
    if (typeof doc?.location === 'string') location = doc.location;
  }
  if (location === undefined || location === '') throw new FetchRefused(`${answer.url.host}: the download answer for ${module.address} ${version} names no location`);
  if (location.startsWith('/') || location.startsWith('./') || location.startsWith('../')) return new URL(location, answer.url).toString();
  return location;
}
