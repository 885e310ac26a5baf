/**
 * `--download-modules` for one root module folder without `.terraform/modules/modules.json`: every
 * remote module call, in the root and (transitively) in the modules it calls, is fetched into the
 * module cache, and the result takes the place of the manifest `terraform init` would have written.
 * A call that cannot be fetched is named in a warning with the reason; the models take over.
 */
import { realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { CoverageNote } from '../../../model/types.js';
import { type ReadPolicy, isInside } from '../../../util/input-reader.js';
import type { ModuleDef } from '../module.js';
import type { Block } from '../ast.js';
import { mapLimit } from '../../../live/concurrency.js';
import type { DownloadedModule } from '../modules-json.js';
import { isLocalSource, sourceOf, versionOf } from '../module-call.js';
import { ModuleFetcher, type ModuleFetchOptions } from './fetcher.js';
import { shownSource } from './source.js';
import { tokenVariableName } from './cli-config.js';
import { errorSummary, internalErrorNote } from '../../isolate.js';

export interface ModuleTree {
  loadDir(dir: string, report: boolean): Promise<boolean>;
  def(dir: string): ModuleDef;
  note(n: CoverageNote): void;
  /** The scanned module folders: each may be a root. */
  moduleDirs(): readonly string[];
  /** What `modules.json` of a root lists (a map this fills when it is empty). */
  manifest(rootDir: string): Map<string, DownloadedModule>;
}

/**
 * `--download-modules` for every root folder (and Terragrunt unit) `terraform init` did not prepare.
 * Never throws: an unexpected failure is an internal-error note, and the scan goes on with what is
 * on disk and the models.
 */
export async function fetchMissingModules(tree: ModuleTree, options: ModuleFetchOptions, units: readonly { dir: string; call: Block }[]): Promise<void> {
  try {
    const fetcher = await ModuleFetcher.create(options);
    for (const problem of fetcher.cli.problems) tree.note({ kind: 'module', level: 'warning', message: `Terraform CLI configuration ${problem}: what could not be read is not used` });
    const fetched = new Set<string>();
    for (const root of tree.moduleDirs()) {
      const manifest = tree.manifest(root);
      if (manifest.size > 0) continue;
      for (const [key, m] of await fetchCalledModules(tree, root, fetcher)) manifest.set(key, m);
      fetched.add(root);
    }
    // A unit's calls are keyed under the unit's own call, next to what its folder fetched as a root.
    for (const unit of units) {
      const manifest = tree.manifest(unit.dir);
      if (manifest.size > 0 && !fetched.has(unit.dir)) continue;
      for (const [key, m] of await fetchCalledModules(tree, unit.dir, fetcher, [unit.call])) manifest.set(key, m);
    }
    for (const host of fetcher.hostsWithoutHelper) tree.note({ kind: 'module', level: 'warning', message: helperNotRun(fetcher.cli.credentialsHelper!, host) });
  } catch (e) {
    tree.note(internalErrorNote(errorSummary(e), tree.moduleDirs()[0], undefined, 'fetching Terraform modules (--download-modules)'));
  }
}

function helperNotRun(helper: string, host: string): string {
  return `the Terraform CLI configuration names credentials helper ${JSON.stringify(helper.slice(0, 100))}, which podtrust does not run: requests to ${host} went without a token; set ${tokenVariableName(host) ?? 'TF_TOKEN_<host>'} to give podtrust one`;
}

const PARALLEL_FETCHES = 6;

/** Calls nested deeper than this are not fetched (Terraform has no limit; a hostile tree must have one). */
const MAX_DEPTH = 16;

/**
 * The downloaded modules of a root folder, by call key (`eks`, `eks.kms`), as `modules.json` would
 * list them. `rootCalls`: the root's calls when it is not a module folder (a Terragrunt unit's call).
 */
async function fetchCalledModules(tree: ModuleTree, rootDir: string, fetcher: ModuleFetcher, rootCalls?: readonly Block[]): Promise<Map<string, DownloadedModule>> {
  const out = new Map<string, DownloadedModule>();
  const queue: { dir: string; keys: string[]; package?: string }[] = [{ dir: rootDir, keys: [] }];
  const visited = new Set<string>();
  while (queue.length > 0) {
    const { dir, keys, package: pkg } = queue.shift()!;
    const visit = `${dir}\u0000${keys.join('.')}`;
    if (visited.has(visit) || keys.length > MAX_DEPTH) continue;
    visited.add(visit);
    const remote: { call: Block; name: string; source: string; callKeys: string[] }[] = [];
    for (const call of keys.length === 0 && rootCalls ? rootCalls : tree.def(dir).calls) {
      const name = call.labels[0] ?? '';
      const source = sourceOf(call);
      if (source === undefined) continue;
      const callKeys = [...keys, name];
      if (!isLocalSource(source)) {
        remote.push({ call, name, source, callKeys });
        continue;
      }
      const target = resolve(dir, source);
      // Inside a fetched package, a local call stays inside that package.
      if (pkg !== undefined && !isInside(target, pkg)) continue;
      // A unit without a source calls its own folder (`./`).
      if ((target !== dir || (keys.length === 0 && rootCalls !== undefined)) && (await tree.loadDir(target, false))) queue.push({ dir: target, keys: callKeys, ...(pkg !== undefined ? { package: pkg } : {}) });
    }
    // The calls of one folder are fetched side by side; what they give is taken in their order.
    const fetched = await mapLimit(remote, PARALLEL_FETCHES, ({ call, source }) => fetcher.fetch(source, versionOf(call)).then(
      (m) => m,
      (e: unknown) => e as Error,
    ));
    for (const [i, { call, name, source, callKeys }] of remote.entries()) {
      const got = fetched[i]!;
      if (got instanceof Error) {
        tree.note({ kind: 'module', level: 'warning', file: call.file, line: call.pos.line, message: `module "${name}" (${shownSource(source)}) could not be downloaded: ${got.message}` });
        continue;
      }
      const entry: DownloadedModule = { key: callKeys.join('.'), source, dir: got.dir };
      if (got.version !== undefined) entry.version = got.version;
      out.set(entry.key, entry);
      if (await tree.loadDir(got.dir, true)) queue.push({ dir: got.dir, keys: callKeys, package: got.package });
    }
  }
  return out;
}

/** The read policy with the module cache added (created only when something is fetched): files there are read like the repository's. */
export function withModuleCache(policy: ReadPolicy, cacheDir: string): ReadPolicy {
  return { ...policy, allowed: [...new Set([...policy.allowed, realPathToBe(resolve(cacheDir))])] };
}

/** The real path a folder has, or will have once created: its nearest existing ancestor resolved. */
function realPathToBe(path: string): string {
  const rest: string[] = [];
  let at = path;
  for (;;) {
    try {
      return join(realpathSync.native(at), ...rest.reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return path;
      rest.push(basename(at));
      at = up;
    }
  }
}
