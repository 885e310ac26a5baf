/**
 * The one extraction contract of module packages, whatever the archive format (tar, zip) and for
 * the tree git checks out: every entry stays inside the target folder (no `..`, no absolute or
 * drive names); links are never created, and one that leads out refuses the whole package; device
 * and fifo entries refuse it; files are written plain and never executable, once each; the number
 * of entries and files, each file's bytes and all bytes are bounded, counted on the bytes as they
 * arrive, never on what a header declares. Nothing is executed.
 */
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, posix, resolve, sep } from 'node:path';
import { DEFAULT_MAX_FILE_BYTES } from '../../../util/input-reader.js';

export interface ExtractLimits {
  maxFiles: number;
  /** Unpacked bytes in all. */
  maxBytes: number;
  /** Unpacked bytes of one file (default: the input reader's per-file limit: a bigger file would not be read anyway). */
  maxFileBytes?: number;
}

export interface Extracted {
  files: number;
  bytes: number;
  /** Links and other entries not created. */
  skipped: number;
}

export class ArchiveRefused extends Error {}

/** The longest file or folder name file systems take (NAME_MAX). */
const MAX_NAME_PART = 255;

/** Entries of every kind (folders and skipped ones too) per allowed file: a package of a million empty folders is refused. */
const ENTRIES_PER_FILE = 4;

/** An entry name inside the target folder, or undefined when it would leave it. */
export function safeEntryPath(root: string, name: string): string | undefined {
  const clean = posix.normalize(name.replace(/\\/g, '/'));
  if (clean.startsWith('../') || clean === '..' || isAbsolute(clean) || /^[A-Za-z]:/.test(clean)) return undefined;
  const full = normalize(join(root, clean));
  return inside(root, full) ? full : undefined;
}

function inside(root: string, path: string): boolean {
  return path === root || path.startsWith(root + sep);
}

/** An entry name as a refusal may show it: quoted, bounded. */
export function shownEntry(name: string): string {
  return JSON.stringify(name.slice(0, 200));
}

export function maxEntries(limits: ExtractLimits): number {
  return limits.maxFiles * ENTRIES_PER_FILE;
}

export function maxFileBytes(limits: ExtractLimits): number {
  return limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
}

/** Counts files and bytes against the limits; shared by unpacking and by measuring a git tree. */
export class Budget {
  files = 0;
  bytes = 0;

  constructor(private readonly limits: ExtractLimits) {}

  file(): void {
    if (++this.files > this.limits.maxFiles) throw new ArchiveRefused(`more than ${this.limits.maxFiles} files`);
  }

  /** Bytes of one file, added as they arrive (`fileBytes`: that file's bytes so far, these included). */
  add(n: number, fileBytes: number, name: string): void {
    this.bytes += n;
    if (fileBytes > maxFileBytes(this.limits)) throw new ArchiveRefused(`file ${shownEntry(name)} unpacks to more than ${maxFileBytes(this.limits)} bytes`);
    if (this.bytes > this.limits.maxBytes) throw new ArchiveRefused(`unpacks to more than ${this.limits.maxBytes} bytes`);
  }
}

/** Writes the entries of one archive into a fresh folder under the contract above. */
export class Unpacker {
  private readonly budget: Budget;
  private entries = 0;
  private skipped = 0;

  constructor(
    private readonly root: string,
    private readonly limits: ExtractLimits,
  ) {
    this.budget = new Budget(limits);
  }

  private target(name: string): string {
    if (++this.entries > maxEntries(this.limits)) throw new ArchiveRefused(`more than ${maxEntries(this.limits)} entries`);
    if (name.includes('\0')) throw new ArchiveRefused(`entry ${shownEntry(name)} has a NUL character in its name`);
    if (name.split(/[\\/]/).some((part) => Buffer.byteLength(part) > MAX_NAME_PART)) throw new ArchiveRefused(`entry ${shownEntry(name)} has a name part longer than ${MAX_NAME_PART} bytes`);
    const target = safeEntryPath(this.root, name);
    if (target === undefined) throw new ArchiveRefused(`entry ${shownEntry(name)} leads outside the module folder`);
    return target;
  }

  directory(name: string): void {
    folder(this.target(name));
  }

  /** A symbolic link (`to` relative to its own folder) or a hard link (`to` relative to the root): checked, never created. */
  link(name: string, to: string, hard: boolean): void {
    const target = this.target(name);
    const pointsTo = hard ? resolve(this.root, to) : resolve(dirname(target), to);
    if (!inside(this.root, pointsTo)) throw new ArchiveRefused(`link ${shownEntry(name)} leads outside the module folder`);
    this.skipped++;
  }

  /** A device or fifo: no module has one; the refusal to throw. */
  special(name: string, what: string): ArchiveRefused {
    return new ArchiveRefused(`entry ${shownEntry(name)} is a ${what}`);
  }

  /** An entry of a kind that is neither created nor harmful (a tar global header, a comment). */
  skip(name: string): void {
    this.target(name);
    this.skipped++;
  }

  /** A plain file, its bytes counted as they stream. */
  async file(name: string, data: AsyncIterable<Buffer>): Promise<void> {
    const target = this.target(name);
    this.budget.file();
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.length;
      this.budget.add(chunk.length, size, name);
      chunks.push(chunk);
    }
    folder(dirname(target));
    // Plain files only, never executable: the code is parsed, not run. `wx`: an entry is written once.
    try {
      writeFileSync(target, Buffer.concat(chunks), { mode: 0o644, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST' && statSync(target).isDirectory()) throw new ArchiveRefused('an entry is both a file and a folder');
      throw e;
    }
  }

  get result(): Extracted {
    return { files: this.budget.files, bytes: this.budget.bytes, skipped: this.skipped };
  }
}

/** A folder and its parents; a file already in the way (EEXIST, ENOTDIR) is the refusal it means, not a file written twice. */
function folder(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new ArchiveRefused('an entry is both a file and a folder');
    throw e;
  }
}

/** What a failure while unpacking means, as a refusal. */
export function asRefusal(e: unknown, format: string): ArchiveRefused {
  if (e instanceof ArchiveRefused) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'EEXIST') return new ArchiveRefused('an entry is written twice');
  if (code === 'ENOTDIR' || code === 'EISDIR') return new ArchiveRefused('an entry is both a file and a folder');
  // A system error's code only: its message names the local folder.
  const why = code ?? String((e as Error).message ?? e);
  return new ArchiveRefused(`not a readable ${format} archive (${why.replace(/[^\x20-\x7e]/g, '?').slice(0, 100)})`);
}
