/**
 * The temporary folder an external tool works in, outside the repository, and the copy of
 * repository content it reads. The copy is made through the input reader only: each file is
 * read like any input (inside the scanned folders, regular, within the caps) and written as a
 * new regular file, so no link survives and nothing outside the repository gets in.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { CoverageNote } from '../model/types.js';
import { InputReader, SKIPPED_DIRECTORIES } from './input-reader.js';

export class ToolWorkspace {
  /** Where the tool may write (HOME, TMPDIR, caches). */
  readonly scratch: string;
  /** Where the copy lives: the tool's working directory. */
  readonly copy: string;
  /** Notes on what was not copied (links out, files over the caps). */
  readonly notes: CoverageNote[] = [];

  private constructor(readonly dir: string) {
    this.scratch = join(dir, 'scratch');
    this.copy = join(dir, 'copy');
    mkdirSync(this.scratch, { mode: 0o700 });
    mkdirSync(this.copy, { mode: 0o700 });
  }

  static create(prefix: string): ToolWorkspace {
    return new ToolWorkspace(realpathSync(mkdtempSync(join(tmpdir(), `podtrust-${prefix}-`))));
  }

  /** The copy's path of `rel` (a relative path); undefined when it would lie outside the copy. */
  at(rel: string): string | undefined {
    const target = resolve(this.copy, rel);
    const back = relative(this.copy, target);
    return back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back) ? undefined : target;
  }

  /** Writes text podtrust made (inline values) into the copy at `rel`. */
  write(rel: string, text: string): string {
    const target = this.at(rel);
    if (!target) throw new Error(`not a path inside the copy: ${rel}`);
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    writeFileSync(target, text, { mode: 0o600, flag: 'wx' });
    return target;
  }

  /** Copies one repository file to `rel` in the copy; false (with the reader's note) when it may not be read. */
  copyFile(reader: InputReader, from: string, rel: string): boolean {
    const read = reader.readBytes(from);
    if (!read.ok) {
      if (read.note) this.notes.push(read.note);
      return false;
    }
    const target = this.at(rel);
    if (!target) return false;
    mkdirSync(dirname(target), { recursive: true, mode: 0o700 });
    writeFileSync(target, read.bytes, { mode: 0o600, flag: 'wx' });
    return true;
  }

  /** Copies the folder `from` to `rel` in the copy, through `reader`; returns the repository files copied. */
  copyFolder(reader: InputReader, from: string, rel: string): string[] {
    return listFiles(reader, from, this.notes).filter((f) => this.copyFile(reader, f, join(rel, relative(from, f))));
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The files under `dir`, listed through `reader` (nothing is read). Linked folders are followed
 * through the reader, which refuses what leads outside, once each; links to files are listed
 * and left for the reader to refuse when read.
 */
export function listFiles(reader: InputReader, dir: string, notes: CoverageNote[], visited = new Set<string>()): string[] {
  const listed = reader.listFolder(dir);
  if (!listed.ok) {
    if (listed.note) notes.push(listed.note);
    return [];
  }
  if (visited.has(listed.real)) return [];
  visited.add(listed.real);
  const files: string[] = [];
  for (const entry of listed.entries) {
    if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
    const full = join(dir, entry.name);
    const folder = entry.isDirectory() || (entry.isSymbolicLink() && reader.listFolder(full).ok);
    if (folder) files.push(...listFiles(reader, full, notes, visited));
    else files.push(full);
  }
  return files;
}
