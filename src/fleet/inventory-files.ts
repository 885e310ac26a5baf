/**
 * `scan --inventory` arguments: a file, a folder (its `*.json` files) or a glob
 * (`shards/*.json`, `out/**\/inventory.json`), each expanded to files in a stable order.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { PodtrustError } from '../errors.js';
import { checkGlob, globMatch } from '../util/glob.js';

const GLOB_CHARS = /[*?[{]/;

/** Folders a `**` glob walks through at most, so a glob at `/` cannot walk the whole disk. */
const MAX_WALK_ENTRIES = 100_000;

export function inventoryFiles(args: readonly string[], cwd = process.cwd()): string[] {
  const out = new Set<string>();
  for (const arg of args) {
    const files = GLOB_CHARS.test(arg) ? globbed(arg, cwd) : isDirectory(resolve(cwd, arg)) ? jsonFilesIn(resolve(cwd, arg)) : [resolve(cwd, arg)];
    if (files.length === 0) throw new PodtrustError('usage', `--inventory ${arg}: ${GLOB_CHARS.test(arg) ? 'matches no file' : 'holds no .json file'}`);
    for (const f of files) out.add(f);
  }
  return [...out];
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function jsonFilesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(dir, e.name))
    .sort();
}

/** The files under the glob's literal leading folders that it matches; a glob without `**` is walked only as deep as it has segments. */
function globbed(glob: string, cwd: string): string[] {
  try {
    checkGlob(glob);
  } catch (e) {
    throw new PodtrustError('usage', `--inventory ${glob}: ${(e as Error).message}`);
  }
  const segments = glob.replace(/\\/g, '/').split('/');
  const literal = segments.findIndex((s) => GLOB_CHARS.test(s));
  const base = resolve(cwd, segments.slice(0, literal).join('/') || '.');
  const pattern = segments.slice(literal).join('/');
  const depth = pattern.includes('**') ? Infinity : segments.length - literal;
  const found: string[] = [];
  let walked = 0;
  const walk = (dir: string, level: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (++walked > MAX_WALK_ENTRIES) throw new PodtrustError('usage', `--inventory ${glob}: walks more than ${MAX_WALK_ENTRIES} entries; name a narrower folder`);
      const path = join(dir, e.name);
      const rel = relative(base, path).split('\\').join('/');
      // Files are compared only at the glob's own depth, so a one-segment glob does not match at any depth as an exclude does.
      if (e.isFile() && (level === depth || depth === Infinity) && globMatch(pattern, rel)) found.push(path);
      else if (e.isDirectory() && level < depth) walk(path, level + 1);
    }
  };
  walk(base, 1);
  return found;
}
