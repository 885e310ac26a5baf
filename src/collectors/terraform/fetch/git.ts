/**
 * A git module source (`git::https://host/repo.git?ref=v1`) fetched with the `git` program, safely:
 * https only, to an address podtrust checked (the connection is pinned to it; behind the user's
 * proxy, git reads HTTPS_PROXY itself), no redirects, no credentials, no hooks, filters or
 * submodules, links checked out as plain files. The transfer is bounded while it arrives (the pack
 * is watched as it is written; on Linux git runs under an address-space cap, for what a server makes
 * it hold in memory, such as an endless ref advertisement), the tree is measured before checkout and bounded like an archive
 * after, and the `.git` folder is dropped. Nothing in it is run.
 */
import { spawn } from 'node:child_process';
import { killProcessGroup, underAddressSpaceCap } from '../../../util/external-tool.js';
import { lstatSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rootCertificates } from 'node:tls';
import { FetchRefused, type NetworkPolicy, checkedAddresses, isTrusted, requestProxy, requestTimeout } from './https-get.js';
import { proxyVariables } from './proxy.js';
import { ArchiveRefused, Budget, type ExtractLimits } from './extraction.js';

interface GitRun {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Standard output beyond this ends the run. */
  maxOutput?: number;
  /** Address space of git and what it starts: a server's answer git holds in memory (a ref advertisement) stops here. */
  maxMemory: number;
  /** A folder whose size is watched while git runs (what it has received): beyond `maxBytes` the run ends. */
  watch?: { dir: string; maxBytes: number };
}

/** How often the received bytes are measured: the most a transfer overshoots its limit is what arrives in this time. */
const WATCH_MS = 50;
const STDERR_KEEP = 16 * 1024;
/** Address space git needs besides the pack (it runs a fetch in ~32 MiB): ample, and still a bound. */
const GIT_BASE_MEMORY = 256 * 1024 * 1024;

/** Bytes of the files under a folder (a file that goes away while it is measured counts as nothing). */
function folderBytes(dir: string): number {
  let total = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += folderBytes(p);
    else {
      try {
        total += lstatSync(p).size;
      } catch {
        // renamed or removed meanwhile
      }
    }
  }
  return total;
}

/**
 * Runs git in its own process group, ended with everything it started (git-remote-https,
 * index-pack) at the time limit, at the output limit, or once the watched folder grows past its limit.
 */
function run(args: string[], o: GitRun): Promise<string> {
  const maxOutput = o.maxOutput ?? 1024 * 1024;
  return new Promise((resolve, reject) => {
    const line = underAddressSpaceCap('git', args, o.maxMemory);
    const child = spawn(line.file, line.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', windowsHide: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let stopped: Error | undefined;
    const stop = (why: Error): void => {
      if (stopped) return;
      stopped = why;
      killProcessGroup(child);
    };
    const overWatch = (): boolean => o.watch !== undefined && folderBytes(o.watch.dir) > o.watch.maxBytes;
    const received = (): FetchRefused => new FetchRefused(`git received more than ${o.watch!.maxBytes} bytes (the download limit)`);
    const timer = setTimeout(() => stop(new FetchRefused(`git did not finish within ${Math.round(o.timeoutMs / 1000)} s`)), o.timeoutMs);
    const watcher = o.watch ? setInterval(() => overWatch() && stop(received()), WATCH_MS) : undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > maxOutput) return stop(new FetchRefused(`git said more than ${maxOutput} bytes`));
      if (!stopped) out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < STDERR_KEEP) err += chunk.toString('utf8').slice(0, STDERR_KEEP - err.length);
    });
    child.on('error', (e: NodeJS.ErrnoException) => stop(new FetchRefused(e.code === 'ENOENT' ? 'git is not installed' : `git could not start (${e.code ?? 'error'})`)));
    child.on('close', (code) => {
      clearTimeout(timer);
      if (watcher) clearInterval(watcher);
      killProcessGroup(child);
      // What arrived between the last look and the end is measured too.
      if (!stopped && overWatch()) stopped = received();
      if (stopped) return reject(stopped);
      if (code === 0) return resolve(Buffer.concat(out).toString('latin1'));
      if (code === 127 && /not found/.test(err)) return reject(new FetchRefused('git is not installed'));
      if (/out of memory|cannot allocate|failed to map|died of signal/i.test(err)) return reject(new FetchRefused(`git needed more than ${o.maxMemory} bytes of memory (the limit; a server's answer it holds, such as its list of refs, may be too big)`));
      // git's own words, first line only and bounded: never the URL's query.
      const first = err.split('\n').find((l) => l.trim() !== '') ?? 'failed';
      reject(new FetchRefused(`git: ${first.replace(/[^\x20-\x7e]/g, '?').slice(0, 200)}`));
    });
  });
}

/**
 * The address git must connect to: every address of the host checked, the first one pinned. None
 * for a trusted host behind the proxy: the proxy resolves it (and may be the only one that can).
 */
async function pinnedAddress(url: URL, policy: NetworkPolicy): Promise<string | undefined> {
  if (requestProxy(url, policy) !== undefined && isTrusted(url, policy)) return undefined;
  const first = (await checkedAddresses(url, policy))[0]!.address;
  return first.includes(':') ? `[${first}]` : first;
}

/**
 * Clones `ref` (a branch, tag or commit; the default branch when absent) into `<into>/pkg`.
 * `maxTransferBytes` bounds what git receives (the pack as it is written), as a download is bounded.
 */
export async function fetchGit(url: URL, ref: string | undefined, into: string, policy: NetworkPolicy, limits: ExtractLimits, maxTransferBytes: number): Promise<void> {
  if (url.protocol !== 'https:') throw new FetchRefused(`git over ${url.protocol.replace(/:$/, '')} is not fetched (https only)`);
  if (url.username || url.password) throw new FetchRefused('a URL with credentials in it is not fetched');
  if (ref !== undefined && (ref.startsWith('-') || /[\s\\:~^?*[]|\.\./.test(ref))) throw new FetchRefused(`the ref ${JSON.stringify(ref.slice(0, 100))} is not a plain branch, tag or commit`);
  const port = url.port || '443';
  const address = await pinnedAddress(url, policy);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: into,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '/bin/false',
    GIT_ALLOW_PROTOCOL: 'https',
    GIT_LFS_SKIP_SMUDGE: '1',
    // The user's proxy, read by git itself as under terraform; the address checks above still apply.
    ...proxyVariables(policy.proxy),
  };
  const work = join(into, 'pkg');
  const maxMemory = GIT_BASE_MEMORY + 4 * maxTransferBytes;
  if (policy.ca) {
    const bundle = join(into, 'ca.pem');
    writeFileSync(bundle, [...rootCertificates, policy.ca].join('\n'));
    env.GIT_SSL_CAINFO = bundle;
  } else if (process.env.NODE_EXTRA_CA_CERTS) {
    const bundle = join(into, 'ca.pem');
    writeFileSync(bundle, [...rootCertificates, readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8')].join('\n'));
    env.GIT_SSL_CAINFO = bundle;
  }
  const config = [
    '-c', 'protocol.allow=never',
    '-c', 'protocol.https.allow=always',
    '-c', 'http.followRedirects=false',
    ...(address !== undefined ? ['-c', `http.curloptResolve=${url.hostname}:${port}:${address}`] : []),
    '-c', 'core.hooksPath=/dev/null',
    '-c', 'core.symlinks=false',
    '-c', 'core.fsmonitor=false',
    '-c', 'credential.helper=',
    '-c', 'submodule.recurse=false',
    // The pack is kept as one file (never exploded into loose objects), so watching it stays cheap.
    '-c', 'fetch.unpackLimit=1',
    '-c', 'transfer.unpackLimit=1',
  ];
  await run([...config, 'init', '-q', work], { cwd: into, env, timeoutMs: requestTimeout(policy), maxMemory });
  // Bounded while it arrives: the pack is watched as it is written, not measured once it is whole.
  const objects = join(work, '.git', 'objects');
  await run([...config, 'fetch', '-q', '--depth', '1', '--no-tags', '--', url.toString(), ref ?? 'HEAD'], { cwd: work, env, timeoutMs: requestTimeout(policy), maxMemory, watch: { dir: objects, maxBytes: maxTransferBytes } });
  // Measured before it is written: a small pack can hold blobs that unpack to gigabytes.
  const listing = await run([...config, 'ls-tree', '-r', '-l', '-z', 'FETCH_HEAD'], { cwd: work, env, timeoutMs: requestTimeout(policy), maxMemory, maxOutput: (limits.maxFiles + 1) * 4200 }).catch((e: unknown) => {
    throw e instanceof FetchRefused && e.message.startsWith('git said more than') ? new ArchiveRefused(`more than ${limits.maxFiles} files`) : e;
  });
  boundListing(listing, limits);
  await run([...config, 'checkout', '-q', '--detach', 'FETCH_HEAD'], { cwd: work, env, timeoutMs: requestTimeout(policy), maxMemory });
  rmSync(join(work, '.git'), { recursive: true, force: true });
  rmSync(join(into, 'ca.pem'), { force: true });
  boundTree(work, limits);
}

/** Refuses a tree over the limits from `git ls-tree -r -l -z` (`<mode> <type> <object> <size>\t<path>`, NUL-ended). */
export function boundListing(listing: string, limits: ExtractLimits): void {
  const budget = new Budget(limits);
  for (const entry of listing.split('\0')) {
    const m = /^\d+ blob [0-9a-f]+ +(\d+)\t(.*)$/s.exec(entry);
    if (!m) continue;
    budget.file();
    budget.add(Number(m[1]), Number(m[1]), m[2]!);
  }
}

/** Refuses a checked-out tree over the limits; removes anything that is not a file or folder. */
function boundTree(dir: string, limits: ExtractLimits): void {
  const budget = new Budget(limits);
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        budget.file();
        const size = lstatSync(p).size;
        budget.add(size, size, relative(dir, p));
      } else rmSync(p, { force: true });
    }
  };
  walk(dir);
}
