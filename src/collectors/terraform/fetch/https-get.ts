/**
 * GET over https, as hostile pull requests require: https only; never to a loopback, private or
 * link-local address (every address a name resolves to is checked, and the connection goes to a
 * checked one) unless the user trusted the host; redirects followed by hand through the same checks;
 * bounded in bytes and time; a token sent only to the host it belongs to. Through the user's
 * HTTPS_PROXY when it applies (proxy.ts): the target's addresses are still checked here first
 * (the proxy resolves the name again: it is the user's, and trusted with that).
 */
import { request } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupAddress } from 'node:dns';
import { type SecureContext, type TLSSocket, createSecureContext, rootCertificates } from 'node:tls';
import type { IncomingHttpHeaders } from 'node:http';
import { hostKey } from './cli-config.js';
import { type ProxyEnvironment, ProxyRefused, proxyAgent, proxyFor } from './proxy.js';

export interface NetworkPolicy {
  /** Hosts (`name` or `name:port`, compared with {@link hostKey}) the user trusts with private addresses. */
  trustedHosts: readonly string[];
  /** An extra CA (PEM) next to Node's roots; NODE_EXTRA_CA_CERTS works too, read by Node at start. */
  ca?: string;
  timeoutMs: number;
  /** When all fetching of the scan must be over (epoch ms): no request outlives it. */
  deadline?: number;
  /** HTTPS_PROXY and NO_PROXY as the user set them. */
  proxy?: ProxyEnvironment;
}

export interface GetOptions {
  maxBytes: number;
  /** Tokens by host: sent only in a request to that very host, never to a host a redirect or an answer names. */
  tokens?: ReadonlyMap<string, string>;
  accept?: string;
}

export interface GetAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: URL;
}

export class FetchRefused extends Error {}

/** A host whose addresses could not be looked up (so not checked). */
class Unresolved extends FetchRefused {}

/** How long the next request (or git step) may take: its own limit, cut to what is left of the scan's time. */
export function requestTimeout(policy: NetworkPolicy): number {
  if (policy.deadline === undefined) return policy.timeoutMs;
  const left = policy.deadline - Date.now();
  if (left <= 0) throw new FetchRefused('the time for fetching modules in this scan is spent');
  return Math.min(policy.timeoutMs, left);
}

const MAX_REDIRECTS = 5;

const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 96], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

/** Loopback, private, link-local, multicast or unspecified: not for a host the repository names. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return PRIVATE.check(mapped[1]!, 'ipv4');
  return PRIVATE.check(address, 'ipv6');
}

export function isTrusted(url: URL, policy: NetworkPolicy): boolean {
  const keys = new Set([hostKey(url.host), hostKey(url.hostname)]);
  return policy.trustedHosts.some((h) => keys.has(hostKey(h)));
}

/** Where a URL may be fetched from, or why not (before any connection). */
export function refusal(url: URL): string | undefined {
  if (url.protocol !== 'https:') return `${url.protocol.replace(/:$/, '')} is not fetched (https only)`;
  if (url.username || url.password) return 'a URL with credentials in it is not fetched';
  return undefined;
}

const contexts = new WeakMap<NetworkPolicy, SecureContext>();

/** Node's roots and the extra CA, built once per policy: parsing every root per request costs ~0.1 s. */
function secureContext(policy: NetworkPolicy & { ca: string }): SecureContext {
  let found = contexts.get(policy);
  if (!found) {
    found = createSecureContext({ ca: [...rootCertificates, policy.ca] });
    contexts.set(policy, found);
  }
  return found;
}

const PRIVATE_HINT = 'trust it with --trusted-module-host or a host block in the Terraform CLI configuration';

/** Every address a URL's host resolves to; refused when one is private and the host is not trusted. */
export async function checkedAddresses(url: URL, policy: NetworkPolicy): Promise<LookupAddress[]> {
  let addresses: LookupAddress[];
  try {
    addresses = await dnsLookup(url.hostname.replace(/^\[|\]$/g, ''), { all: true });
  } catch (e) {
    throw new Unresolved(`${url.host}: ${(e as NodeJS.ErrnoException).code ?? 'cannot resolve'}`);
  }
  const bad = addresses.find((a) => isPrivateAddress(a.address));
  if (bad && !isTrusted(url, policy)) throw new FetchRefused(`${url.hostname} resolves to a private or loopback address (${bad.address}); ${PRIVATE_HINT}`);
  return addresses;
}

function guardedLookup(url: URL, policy: NetworkPolicy) {
  return (_hostname: string, options: { all?: boolean }, callback: (err: Error | null, address: string | LookupAddress[], family?: number) => void): void => {
    checkedAddresses(url, policy).then(
      (addresses) => {
        if (options.all) return callback(null, addresses);
        const first = addresses[0]!;
        callback(null, first.address, first.family);
      },
      (e: Error) => callback(e, ''),
    );
  };
}

/** The proxy of a request, its target checked first (a trusted host is not: only the proxy may resolve it). */
/** The proxy the user's variables name for a request to `url`, or undefined to go direct. */
export function requestProxy(url: URL, policy: NetworkPolicy): URL | undefined {
  try {
    return proxyFor(url, policy.proxy);
  } catch (e) {
    throw e instanceof ProxyRefused ? new FetchRefused(e.message) : e;
  }
}

async function viaProxy(url: URL, policy: NetworkPolicy, trusted: boolean): Promise<URL | undefined> {
  const proxy = requestProxy(url, policy);
  if (proxy === undefined || trusted || isIP(url.hostname.replace(/^\[|\]$/g, '')) !== 0) return proxy;
  try {
    await checkedAddresses(url, policy);
  } catch (e) {
    if (!(e instanceof Unresolved)) throw e;
    throw new FetchRefused(`${e.message} (its addresses are checked before the proxy is asked; if only the proxy can resolve it, trust it with --trusted-module-host)`);
  }
  return proxy;
}

async function once(url: URL, options: GetOptions, policy: NetworkPolicy): Promise<GetAnswer> {
  const timeoutMs = requestTimeout(policy);
  const trusted = isTrusted(url, policy);
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && isPrivateAddress(literal) && !trusted) throw new FetchRefused(`${url.host} is a private or loopback address; ${PRIVATE_HINT}`);
  const proxy = await viaProxy(url, policy, trusted);
  const headers: Record<string, string> = { 'user-agent': 'podtrust (module fetch)', accept: options.accept ?? '*/*' };
  const token = options.tokens?.get(hostKey(url.host));
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'GET',
        headers,
        // A fresh connection each time: a kept-alive socket would skip the address check of this request.
        ...(proxy ? { agent: proxyAgent(proxy, signal) } : { agent: false, lookup: guardedLookup(url, policy) as never }),
        signal,
        ...(policy.ca ? { secureContext: secureContext(policy as NetworkPolicy & { ca: string }) } : {}),
      },
      (res) => {
        // A proxy that refuses the tunnel answers in its place, in clear: never the target's answer (nor a redirect to follow).
        if (proxy && !(res.socket as TLSSocket | null)?.encrypted) {
          res.destroy();
          reject(new FetchRefused(`the proxy answered ${res.statusCode ?? 'nothing'} when asked for a tunnel to ${url.host}`));
          return;
        }
        const declared = Number(res.headers['content-length']);
        if (Number.isFinite(declared) && declared > options.maxBytes) {
          res.destroy();
          reject(new FetchRefused(`${url.host}${url.pathname} answers ${declared} bytes, over the limit of ${options.maxBytes}`));
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > options.maxBytes) {
            res.destroy();
            reject(new FetchRefused(`${url.host}${url.pathname} answers over the limit of ${options.maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url }));
        res.on('error', reject);
      },
    );
    req.on('error', (e) => reject(e instanceof FetchRefused ? e : new Error(describeError(url, e, timeoutMs))));
    req.end();
  });
}

function describeError(url: URL, e: Error, timeoutMs: number): string {
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `${url.host} did not answer within ${Math.round(timeoutMs / 1000)} s`;
  if (e.cause instanceof FetchRefused) return e.cause.message;
  const code = (e as NodeJS.ErrnoException).code;
  return `${url.host}: ${code ?? e.message}`;
}

/** GETs a URL, following redirects through the same checks. */
export async function httpsGet(start: URL, options: GetOptions, policy: NetworkPolicy): Promise<GetAnswer> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const why = refusal(url);
    if (why) throw new FetchRefused(`${url.host}: ${why}`);
    const answer = await once(url, options, policy);
    const location = answer.headers.location;
    if (answer.status < 300 || answer.status >= 400 || answer.status === 304 || location === undefined) return answer;
    if (hop >= MAX_REDIRECTS) throw new FetchRefused(`${start.host}: more than ${MAX_REDIRECTS} redirects`);
    url = new URL(location, url);
  }
}
