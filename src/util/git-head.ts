/**
 * The commit a git work tree has checked out, read from its files: running `git` in a scanned
 * repository would obey that repository's configuration (hooks, fsmonitor), which a pull
 * request may not choose. Answers undefined for anything unusual (no `.git`, a ref that is not
 * a plain name, a file that is not what git writes) rather than guessing.
 */
import { statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { readNamedFile } from './input-reader.js';

/** Loose refs and HEAD hold one line; a packed-refs file of this size is already a huge repository. */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
const REF = /^refs\/[A-Za-z0-9._\/-]+$/;

function readSmall(path: string): string | undefined {
  const read = readNamedFile(path, MAX_FILE_BYTES);
  return read.ok ? read.bytes.toString('utf8') : undefined;
}

/** The git directory of a work tree: `.git` itself, or where a `.git` file (a linked work tree, a submodule) points. */
function gitDirectory(workTree: string): string | undefined {
  const dotGit = join(workTree, '.git');
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
  } catch {
    return undefined;
  }
  const pointer = /^gitdir: (.+)$/m.exec(readSmall(dotGit) ?? '')?.[1]?.trim();
  return pointer === undefined ? undefined : isAbsolute(pointer) ? pointer : resolve(workTree, pointer);
}

function resolveRef(gitDir: string, ref: string): string | undefined {
  // A linked work tree keeps its HEAD; branches live in the common directory.
  const common = readSmall(join(gitDir, 'commondir'))?.trim();
  const dirs = common ? [gitDir, isAbsolute(common) ? common : resolve(gitDir, common)] : [gitDir];
  for (const dir of dirs) {
    const loose = readSmall(join(dir, ...ref.split('/')))?.trim();
    if (loose !== undefined && SHA.test(loose)) return loose;
    for (const line of (readSmall(join(dir, 'packed-refs')) ?? '').split('\n')) {
      const [sha, name] = line.trim().split(' ');
      if (name === ref && sha !== undefined && SHA.test(sha)) return sha;
    }
  }
  return undefined;
}

/** The full commit id checked out in `workTree`, if it is a git work tree whose HEAD can be read. */
export function gitHead(workTree: string): string | undefined {
  const gitDir = gitDirectory(workTree);
  if (gitDir === undefined) return undefined;
  const head = readSmall(join(gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  if (SHA.test(head)) return head;
  const ref = /^ref: (.+)$/.exec(head)?.[1];
  return ref !== undefined && REF.test(ref) && !ref.split('/').includes('..') ? resolveRef(gitDir, ref) : undefined;
}
