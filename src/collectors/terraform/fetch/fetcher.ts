/**
 * Fetches module sources as `terraform init` would, into the module cache: registry modules
 * (version constraint resolved as Terraform resolves it, download location followed), git over
 * https and https archives. Each package is fetched once per scan and once per cache; what cannot
 * be fetched is an error whose message says why (and never holds a token or a URL's query).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractArchive } from './archive.js';
import type { ExtractLimits } from './extraction.js';
import { ModuleCache, moduleFolder } from './cache.js';
import { FETCH_TIME_MS } from './fetch-time.js';
import { type TerraformCliConfig, hostKey, readCliConfig } from './cli-config.js';
import { chooseVersion, parseConstraint, versionText } from './constraints.js';
import { fetchGit } from './git.js';
import { type ProxyEnvironment, proxyEnvironment } from './proxy.js';
import { FetchRefused, type NetworkPolicy, httpsGet, requestTimeout } from './https-get.js';
import { type RegistryContext, downloadLocation, listVersions } from './registry.js';
import { type ArchiveModule, type GitModule, type RegistryModule, classifyGetterAddress, classifySource } from './source.js';

/** `--download-modules` and its settings: plain data, so it crosses into collector threads. */
export interface ModuleFetchOptions {
  /** `--module-cache`, else the user's cache folder. */
  cacheDir: string;
  /** `--trusted-module-host`: hosts that may be loopback or private. */
  trustedHosts?: string[];
  /** Per request (and per git step). */
  timeoutMs?: number;
  /** An extra CA (PEM); `NODE_EXTRA_CA_CERTS` works as well. */
  ca?: string;
  /** Where the Terraform CLI configuration, `TF_TOKEN_<host>`, `HTTPS_PROXY` and `NO_PROXY` are read (default: this process's). */
  env?: Record<string, string | undefined>;
  /** Bytes of one download: an archive, or what git receives. */
  maxArchiveBytes?: number;
  maxFiles?: number;
  maxUnpackedBytes?: number;
  /** Packages fetched for one module tree at most. */
  maxPackages?: number;
  /** When all fetching must be over (epoch ms), shared by every collector thread of the scan; default: {@link FETCH_TIME_MS} from the first fetch. */
  deadline?: number;
}

export interface FetchedModule {
  /** The module's folder in the cache. */
  dir: string;
  /** The whole package it is part of: the module's local calls stay inside it. */
  package: string;
  /** The version chosen from the registry. */
  version?: string;
}

const DEFAULTS = { timeoutMs: 30_000, maxArchiveBytes: 50 * 1024 * 1024, maxFiles: 5_000, maxUnpackedBytes: 100 * 1024 * 1024, maxPackages: 100 };

export class ModuleFetcher {
  private readonly cache: ModuleCache;
  private readonly ctx: RegistryContext;
  private readonly limits: ExtractLimits;
  private readonly maxArchiveBytes: number;
  private readonly maxPackages: number;
  private readonly inFlight = new Map<string, Promise<FetchedModule>>();
  private readonly packages = new Map<string, Promise<string>>();
  private readonly versionLists = new Map<string, Promise<string[]>>();

  private constructor(options: ModuleFetchOptions, readonly cli: TerraformCliConfig, proxy: ProxyEnvironment | undefined) {
    const trusted = new Set(options.trustedHosts ?? []);
    // Hosts the user's own CLI configuration names (and the services they point at) are trusted.
    for (const [host, services] of cli.hosts) {
      trusted.add(host);
      for (const url of Object.values(services)) {
        try {
          trusted.add(new URL(url).host);
        } catch {
          // A relative service URL is on the host itself.
        }
      }
    }
    const policy: NetworkPolicy = {
      trustedHosts: [...trusted],
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      deadline: options.deadline ?? Date.now() + FETCH_TIME_MS,
      ...(options.ca ? { ca: options.ca } : {}),
      ...(proxy ? { proxy } : {}),
    };
    this.ctx = { cli, policy, discovered: new Map(), withoutHelper: new Set() };
    this.cache = new ModuleCache(options.cacheDir);
    this.limits = { maxFiles: options.maxFiles ?? DEFAULTS.maxFiles, maxBytes: options.maxUnpackedBytes ?? DEFAULTS.maxUnpackedBytes };
    this.maxArchiveBytes = options.maxArchiveBytes ?? DEFAULTS.maxArchiveBytes;
    this.maxPackages = options.maxPackages ?? DEFAULTS.maxPackages;
  }

  static async create(options: ModuleFetchOptions): Promise<ModuleFetcher> {
    const env = options.env ?? process.env;
    return new ModuleFetcher(options, await readCliConfig(env), proxyEnvironment(env));
  }

  /** Registry hosts asked without a token that the user's credentials helper (not run) might have given. */
  get hostsWithoutHelper(): readonly string[] {
    return [...this.ctx.withoutHelper];
  }

  /** The cache folder: module files are read from there. */
  get cacheDir(): string {
    return this.cache.dir;
  }

  /** A module source and its version constraint, fetched (or found in the cache). */
  fetch(source: string, constraint: string | undefined): Promise<FetchedModule> {
    const key = `${source}\u0000${constraint ?? ''}`;
    let found = this.inFlight.get(key);
    if (!found) {
      found = this.resolve(source, constraint);
      this.inFlight.set(key, found);
    }
    return found;
  }

  private async resolve(source: string, constraint: string | undefined): Promise<FetchedModule> {
    requestTimeout(this.ctx.policy);
    const classified = classifySource(source);
    if (classified.kind === 'local') throw new FetchRefused('a local source is not fetched');
    if (classified.kind === 'refused') throw new FetchRefused(classified.why);
    if (classified.kind !== 'registry') {
      if (constraint !== undefined) throw new FetchRefused('a version constraint is only for registry modules (Terraform refuses it too)');
      const pkg = await this.fetchPackage(classified);
      return { dir: moduleFolder(pkg, classified.subdir), package: pkg };
    }
    const terms = parseConstraint(constraint);
    if (terms === undefined) throw new FetchRefused(`the version constraint ${JSON.stringify(constraint)} cannot be read`);
    const available = await this.versions(classified);
    const chosen = chooseVersion(available, terms);
    if (!chosen) throw new FetchRefused(`no published version of ${classified.address} meets ${constraint === undefined ? 'no constraint' : `"${constraint}"`} (${available.length} versions published)`);
    // Asked for as Terraform asks: `v1.2.0` published is downloaded as `1.2.0`.
    const version = versionText(chosen);
    const registryKey = `registry ${hostKey(classified.host)}/${classified.address} ${version}`;
    const cached = this.cache.lookup(registryKey);
    const pkgRoot = cached ?? (await this.once(registryKey, () => this.fetchRegistryPackage(registryKey, classified.address, version, () => downloadLocation(classified, version, this.ctx))));
    const located = JSON.parse(readLocationNote(pkgRoot)) as { subdir: string };
    const pkg = join(pkgRoot, 'pkg');
    return { dir: moduleFolder(pkg, joinSubdirs(located.subdir, classified.subdir)), package: pkg, version };
  }

  /** A module's published versions, asked for once per scan however many calls name it. */
  private versions(module: RegistryModule): Promise<string[]> {
    const key = `${hostKey(module.host)}/${module.address}`;
    let found = this.versionLists.get(key);
    if (!found) {
      found = listVersions(module, this.ctx);
      this.versionLists.set(key, found);
    }
    return found;
  }

  private async fetchRegistryPackage(key: string, address: string, version: string, locate: () => Promise<string>): Promise<string> {
    const location = await locate();
    const target = classifyGetterAddress(location);
    if (target.kind === 'refused' || target.kind === 'local') throw new FetchRefused(`the registry's download location for ${address} ${version} is not fetched: ${target.kind === 'refused' ? target.why : 'a local path'}`);
    if (target.kind === 'registry') throw new FetchRefused(`the registry's download location for ${address} ${version} is another registry address`);
    return this.cache.install(key, async (dir) => {
      await this.fill(target, dir);
      writeLocationNote(dir, target.subdir);
    });
  }

  private fetchPackage(source: GitModule | ArchiveModule): Promise<string> {
    const key = source.kind === 'git' ? `git ${source.url.toString()} ${source.ref ?? ''}` : `archive ${source.url.toString()}`;
    const cached = this.cache.lookup(key);
    if (cached) return Promise.resolve(join(cached, 'pkg'));
    return this.once(key, () => this.cache.install(key, (dir) => this.fill(source, dir))).then((p) => join(p, 'pkg'));
  }

  /** One download per package, and no more packages than one module tree may fetch. */
  private once(key: string, run: () => Promise<string>): Promise<string> {
    let found = this.packages.get(key);
    if (!found) {
      found = this.packages.size >= this.maxPackages ? Promise.reject(new FetchRefused(`${this.maxPackages} module packages were already fetched for this module tree (the limit)`)) : run();
      this.packages.set(key, found);
    }
    return found;
  }

  private async fill(source: GitModule | ArchiveModule, dir: string): Promise<void> {
    if (source.kind === 'git') return fetchGit(source.url, source.ref, dir, this.ctx.policy, this.limits, this.maxArchiveBytes);
    // An archive host named by a registry gets no token: the token is the registry's.
    const answer = await httpsGet(source.url, { maxBytes: this.maxArchiveBytes }, this.ctx.policy);
    if (answer.status < 200 || answer.status >= 300) throw new FetchRefused(`${answer.url.host}${answer.url.pathname.slice(0, 200)} answered ${answer.status}`);
    const pkg = join(dir, 'pkg');
    mkdirSync(pkg);
    await extractArchive(source.archive, answer.body, pkg, this.limits);
  }
}

function joinSubdirs(a: string, b: string): string {
  return [a, b].filter((s) => s !== '').join('/');
}

const LOCATION_NOTE = 'location.json';

/** Which subfolder of the package the registry's location named (its `//sub`); the folder is fresh and ours. */
function writeLocationNote(dir: string, subdir: string): void {
  writeFileSync(join(dir, LOCATION_NOTE), JSON.stringify({ subdir }), { mode: 0o644, flag: 'wx' });
}

function readLocationNote(pkgRoot: string): string {
  try {
    return readFileSync(join(pkgRoot, LOCATION_NOTE), 'utf8');
  } catch {
    return '{"subdir":""}';
  }
}
