/**
 * The proxy `terraform init` uses for an https request, decided as Go's `http.ProxyFromEnvironment`
 * (golang.org/x/net/http/httpproxy) decides it: `HTTPS_PROXY` (else `https_proxy`); a value without
 * a known scheme is taken as `http://`; `NO_PROXY` (else `no_proxy`) lists `*`, IP addresses and
 * CIDR ranges, and domains (`example.com` matches it and its subdomains, `.example.com` and
 * `*.example.com` the subdomains only), each with an optional port; `localhost` and loopback
 * addresses never go through a proxy. The proxy is the user's own configuration: podtrust does not
 * check its address, only the target's.
 */
import { BlockList, isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { HttpsProxyAgent } from 'https-proxy-agent';

/** The variables as read from the environment: plain data, so they cross into collector threads. */
export interface ProxyEnvironment {
  httpsProxy: string;
  noProxy: string;
}

/** The first non-empty of the upper- and lower-case variable, as Go's getEnvAny reads them. */
export function proxyEnvironment(env: Record<string, string | undefined>): ProxyEnvironment | undefined {
  const httpsProxy = env.HTTPS_PROXY || env.https_proxy || '';
  if (httpsProxy === '') return undefined;
  return { httpsProxy, noProxy: env.NO_PROXY || env.no_proxy || '' };
}

/** The variables git is given: it reads them itself (through curl), as it does under terraform. */
export function proxyVariables(proxy: ProxyEnvironment | undefined): Record<string, string> {
  if (!proxy) return {};
  return { HTTPS_PROXY: proxy.httpsProxy, https_proxy: proxy.httpsProxy, NO_PROXY: proxy.noProxy, no_proxy: proxy.noProxy };
}

export class ProxyRefused extends Error {}

/** The proxy URL, or why it cannot be used (never quoting the value: it may hold a password). */
function proxyUrl(value: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:', 'socks5:'].includes(url.protocol)) {
    try {
      url = new URL(`http://${value}`);
    } catch {
      throw new ProxyRefused('HTTPS_PROXY is not a URL podtrust can read');
    }
  }
  if (url.protocol === 'socks5:') throw new ProxyRefused('HTTPS_PROXY names a socks5 proxy, which podtrust does not use (http and https proxies only)');
  return url;
}

/** Whether `NO_PROXY` (or the loopback rule) keeps the request to `host:port` off the proxy. */
export function bypassesProxy(hostname: string, port: string, noProxy: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost') return true;
  const family = isIP(host);
  if (family !== 0 && isLoopback(host, family)) return true;
  for (const raw of noProxy.split(',')) {
    const entry = raw.trim().toLowerCase();
    if (entry === '') continue;
    if (entry === '*') return true;
    const cidr = /^(.+)\/(\d{1,3})$/.exec(entry);
    if (cidr && isIP(cidr[1]!) !== 0) {
      if (family !== 0 && inRange(host, family, cidr[1]!, Number(cidr[2]))) return true;
      continue;
    }
    const { name, entryPort } = splitEntry(entry);
    if (name === '') continue;
    if (isIP(name) !== 0) {
      if (family !== 0 && sameAddress(host, name) && (entryPort === '' || entryPort === port)) return true;
      continue;
    }
    const wild = name.startsWith('*.') ? name.slice(1) : name;
    const matchHost = !wild.startsWith('.');
    const bare = asciiDomain(matchHost ? wild : wild.slice(1));
    const suffix = `.${bare}`;
    if ((host.endsWith(suffix) || (matchHost && host === bare)) && (entryPort === '' || entryPort === port)) return true;
  }
  return false;
}

/** A NO_PROXY domain as a URL's host spells it (punycode), as Go's idnaASCII turns it. */
function asciiDomain(name: string): string {
  return /^[\x00-\x7f]*$/.test(name) ? name : domainToASCII(name) || name;
}

/** `host:port`, `[v6]:port` or a bare host (Go's net.SplitHostPort, else the whole entry). */
function splitEntry(entry: string): { name: string; entryPort: string } {
  const v6 = /^\[([^\]]*)\]:(\d*)$/.exec(entry);
  if (v6) return { name: v6[1]!, entryPort: v6[2]! };
  const hp = /^([^:]*):(\d*)$/.exec(entry);
  if (hp) return { name: hp[1]!, entryPort: hp[2]! };
  return { name: entry, entryPort: '' };
}

function isLoopback(address: string, family: number): boolean {
  if (family === 4) return address.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  return mapped ? mapped[1]!.startsWith('127.') : sameAddress(address, '::1');
}

function sameAddress(a: string, b: string): boolean {
  const list = new BlockList();
  const family = isIP(b) === 6 ? 'ipv6' : 'ipv4';
  list.addAddress(b, family);
  return list.check(a, isIP(a) === 6 ? 'ipv6' : 'ipv4');
}

function inRange(address: string, family: number, net: string, bits: number): boolean {
  const list = new BlockList();
  const netFamily = isIP(net) === 6 ? 'ipv6' : 'ipv4';
  try {
    list.addSubnet(net, bits, netFamily);
  } catch {
    return false;
  }
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The proxy an https request to `url` goes through, or undefined for a direct connection. */
export function proxyFor(url: URL, proxy: ProxyEnvironment | undefined): URL | undefined {
  if (!proxy) return undefined;
  if (bypassesProxy(url.hostname, url.port || '443', proxy.noProxy)) return undefined;
  return proxyUrl(proxy.httpsProxy);
}

/**
 * An agent that tunnels one request through the proxy (CONNECT), TLS to the target on top. The
 * request's signal also ends the connection to the proxy: a proxy that never answers CONNECT would
 * otherwise hold the request (and keep the process alive) past its time limit.
 */
export function proxyAgent(proxy: URL, signal: AbortSignal): HttpsProxyAgent<string> {
  return new HttpsProxyAgent(proxy, { keepAlive: false, signal });
}
