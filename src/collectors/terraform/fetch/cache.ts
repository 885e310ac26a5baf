/**
 * The module cache: one folder per source and version, filled once and then only read. A package
 * is unpacked into a fresh `.partial-` folder and renamed into place, so a reader (another worker,
 * another scan) sees a whole package or none.
 *
 * Packages live under a `.terraform/` segment (`<cache>/modules/.terraform/<key>`), as `terraform
 * init` places them: every file there is a downloaded module's, so findings move to the caller's
 * line and the cached file is only a related location (see `isUnderDotTerraform`).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, relative } from 'node:path';
import { safeEntryPath } from './extraction.js';
import { globMatch } from '../../../util/glob.js';
import { makeDirs } from '../../../util/make-dirs.js';

/** `$XDG_CACHE_HOME/podtrust`, else `~/.cache/podtrust`. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(env.HOME ?? homedir(), '.cache'), 'podtrust');
}

export class ModuleCache {
  private readonly packages: string;

  constructor(readonly dir: string) {
    this.packages = join(dir, 'modules', '.terraform');
  }

  /** The folder of a package, by what names it (source and version). */
  pathFor(key: string): string {
    return join(this.packages, createHash('sha256').update(key).digest('hex').slice(0, 40));
  }

  /** The cached package, if a whole one is there. */
  lookup(key: string): string | undefined {
    const path = this.pathFor(key);
    return existsSync(path) ? path : undefined;
  }

  /** Fills a fresh folder with `fill` and puts it in place; a package another process put first wins. */
  async install(key: string, fill: (dir: string) => Promise<void>): Promise<string> {
    const final = this.pathFor(key);
    makeDirs(this.packages, 0o700);
    const partial = mkdtempSync(join(this.packages, '.partial-'));
    try {
      await fill(partial);
      try {
        renameSync(partial, final);
      } catch (e) {
        if (!existsSync(final)) throw e;
      }
    } finally {
      rmSync(partial, { recursive: true, force: true });
    }
    return final;
  }
}

/**
 * The module folder inside a package: `subdir` must stay inside it and be a folder. A part with a
 * glob (`//*` for the one top folder of a GitHub archive) must match exactly one folder, as in go-getter.
 */
export function moduleFolder(pkg: string, subdir: string): string {
  if (subdir === '') return pkg;
  const shown = JSON.stringify(subdir.slice(0, 200));
  let dir = pkg;
  for (const part of subdir.split('/').filter((p) => p !== '' && p !== '.')) {
    let name = part;
    if (/[*?[]/.test(part)) {
      const matches = listFolders(dir).filter((n) => globMatch(part, n));
      if (matches.length !== 1) throw new Error(`the subdirectory ${shown} matches ${matches.length === 0 ? 'no folder' : 'several folders'} of the package`);
      name = matches[0]!;
    }
    const next = safeEntryPath(pkg, relative(pkg, join(dir, name)));
    if (next === undefined) throw new Error(`the subdirectory ${shown} leads outside the module package`);
    dir = next;
  }
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) throw new Error(`the package has no subdirectory ${shown}`);
  return dir;
}

function listFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}
