/**
 * What a module source names, read as `terraform init` reads it: a registry address
 * (`[host/]namespace/name/provider[//subdir]`), or a go-getter address (`git::https://…?ref=`,
 * `github.com/org/repo//sub?ref=`, an https archive). Only what podtrust may fetch is classified
 * as fetchable; every other form (ssh, file, s3, http …) is a refusal with the reason.
 */
import { type ArchiveKind, archiveKind } from './archive.js';

export interface RegistryModule {
  kind: 'registry';
  /** Registry host as written, default `registry.terraform.io`. */
  host: string;
  /** `namespace/name/provider`. */
  address: string;
  subdir: string;
}

export interface GitModule {
  kind: 'git';
  /** An https URL, without the query podtrust consumed. */
  url: URL;
  ref?: string;
  subdir: string;
}

export interface ArchiveModule {
  kind: 'archive';
  url: URL;
  archive: ArchiveKind;
  subdir: string;
}

export type FetchableSource = RegistryModule | GitModule | ArchiveModule;

export type ClassifiedSource = FetchableSource | { kind: 'local' } | { kind: 'refused'; why: string };

export const DEFAULT_REGISTRY = 'registry.terraform.io';

/** Query parameters of a source that say where, never who: shown as written. */
const PLAIN_PARAMS = new Set(['ref', 'depth', 'archive', 'version', 'region']);

/**
 * A module source as a message may show it: the user part of a URL (`https://user:token@host`)
 * and every query value but the plain ones masked, since sources carry tokens, ssh keys
 * (`sshkey=`) and cloud keys (`aws_access_key_secret=`).
 */
export function shownSource(source: string): string {
  return source
    .replace(/^((?:[A-Za-z0-9]+::)?[A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/?#]*@/, '$1***@')
    .replace(/([?&])([^=&#]*)=([^&#]*)/g, (m, sep: string, key: string) => (PLAIN_PARAMS.has(key.toLowerCase()) ? m : `${sep}${key}=***`));
}

const PART = /^[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?$/;
const PROVIDER = /^[0-9a-z]{1,64}$/;
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*(?::\d{1,5})?$/;
/** go-getter detects these hosts as its own shorthands, never as registries. */
const NOT_REGISTRIES = new Set(['github.com', 'bitbucket.org']);

/** `path//sub` → the path and `sub`; the `//` of a scheme (`https://`) is not a subdir separator. */
export function splitSubdir(address: string): { base: string; subdir: string } {
  const scheme = address.indexOf('://');
  const from = scheme >= 0 ? scheme + 3 : 0;
  const i = address.indexOf('//', from);
  if (i < 0) return { base: address, subdir: '' };
  const rest = address.slice(i + 2);
  const q = rest.indexOf('?');
  const subdir = (q >= 0 ? rest.slice(0, q) : rest).replace(/^\/+|\/+$/g, '');
  return { base: address.slice(0, i) + (q >= 0 ? rest.slice(q) : ''), subdir };
}

function registryModule(source: string): RegistryModule | undefined {
  if (source.includes('::') || source.includes('?')) return undefined;
  const { base, subdir } = splitSubdir(source);
  const parts = base.split('/');
  let host = DEFAULT_REGISTRY;
  if (parts.length === 4) {
    host = parts.shift()!;
    // Terraform takes a first part as a registry host only when it has a dot ("must contain at least one dot").
    if (!HOST.test(host) || !host.includes('.') || NOT_REGISTRIES.has(host.toLowerCase())) return undefined;
  }
  if (parts.length !== 3) return undefined;
  const [namespace, name, provider] = parts as [string, string, string];
  if (!PART.test(namespace) || !PART.test(name) || !PROVIDER.test(provider)) return undefined;
  return { kind: 'registry', host, address: `${namespace}/${name}/${provider}`, subdir };
}

/** A module source as written in a `module` block. */
export function classifySource(source: string): ClassifiedSource {
  const s = source.trim();
  if (s.startsWith('./') || s.startsWith('../') || s === '.' || s === '..') return { kind: 'local' };
  return registryModule(s) ?? classifyGetterAddress(s);
}

/** A go-getter address: a module source that is not a registry address, or a registry's download location. */
export function classifyGetterAddress(address: string): ClassifiedSource {
  let s = address.trim();
  let forced: string | undefined;
  const f = /^([A-Za-z0-9]+)::(.*)$/s.exec(s);
  if (f) {
    forced = f[1]!.toLowerCase();
    s = f[2]!;
  }
  if (forced === undefined) {
    if (/^github\.com\//i.test(s)) {
      forced = 'git';
      s = `https://${s}`;
    } else if (/^git@[^:]+:/.test(s)) return { kind: 'refused', why: 'git over ssh is not fetched (https only)' };
    else if (/^bitbucket\.org\//i.test(s)) return { kind: 'refused', why: 'bitbucket.org shorthand sources are not fetched; write git::https://bitbucket.org/…' };
    else if (s.startsWith('/') || /^[A-Za-z]:[\\/]/.test(s)) return { kind: 'refused', why: 'an absolute local path is not read (it is outside the repository)' };
    else if (/\.amazonaws\.com\//i.test(s) || /^storage\.googleapis\.com\//i.test(s)) return { kind: 'refused', why: 'S3 and GCS sources are not fetched' };
  }
  const { base, subdir } = splitSubdir(s);
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    return { kind: 'refused', why: 'the source is neither a local path, a registry address nor a URL podtrust can fetch' };
  }
  const getter = forced ?? url.protocol.replace(/:$/, '');
  if (getter === 'git') {
    if (url.protocol !== 'https:') return { kind: 'refused', why: `git over ${url.protocol.replace(/:$/, '')} is not fetched (https only)` };
    if (url.searchParams.has('sshkey')) return { kind: 'refused', why: 'a git source with an ssh key is not fetched' };
    const ref = url.searchParams.get('ref') ?? undefined;
    url.search = '';
    return { kind: 'git', url, ...(ref !== undefined ? { ref } : {}), subdir };
  }
  if (getter === 'https' || getter === 'http') {
    if (url.protocol !== 'https:') return { kind: 'refused', why: `${url.protocol.replace(/:$/, '')} is not fetched (https only)` };
    const param = url.searchParams.get('archive');
    const kind = archiveKind(param, url.pathname);
    if (kind === undefined) return { kind: 'refused', why: 'an https source that is not an archive (.tar.gz, .zip) is not fetched' };
    url.searchParams.delete('archive');
    return { kind: 'archive', url, archive: kind, subdir };
  }
  return { kind: 'refused', why: `${getter} sources are not fetched (registry, git over https and https archives are)` };
}
