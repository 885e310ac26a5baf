/**
 * The one way podtrust opens a file or lists a folder it did not write. The GitHub Action scans
 * pull requests, so everything here may be written by an attacker. Every read:
 * - resolves the real path and stays inside the allowed folders (the scan root and the paths
 *   named on the command line); a file the user names itself (`--config`, `--baseline`,
 *   `--inventory`) may lie anywhere;
 * - opens regular files only: checked before opening and again on the open descriptor, and
 *   opened non-blocking, so a FIFO or device swapped in between cannot hang the scan;
 * - reads no more than the per-file and total limits, and only UTF-8 text without NUL bytes;
 * - turns every refusal into a coverage note naming the file and why, never its content.
 * Every future reader of repository content, and any external tool run on it, goes through here.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, readdirSync, realpathSync, type Dirent, type Stats } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { CoverageNote } from '../model/types.js';

/** Folders no walk of the scanned tree enters. */
export const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform', '.terragrunt-cache', '.hg', '.svn']);

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

/** Where reads may reach and how much they may take: plain data, so it crosses to worker threads. */
export interface ReadPolicy {
  /** Real paths reads must stay inside: the scan root and the paths named on the command line. */
  allowed: string[];
  maxFileBytes: number;
  maxTotalBytes: number;
}

/** The policy of a scan of `root` and the `named` paths (`-`, standard input, is no path). */
export function readPolicy(root: string, named: readonly string[] = [], limits: { maxFileBytes?: number; maxTotalBytes?: number } = {}): ReadPolicy {
  const allowed = [root, ...named.filter((p) => p !== '-')].map((p) => realOrResolved(p));
  return {
    allowed: [...new Set(allowed)],
    maxFileBytes: limits.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxTotalBytes: limits.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
  };
}

/** Why a read was refused: `missing` (no such path, not even a link) is the caller's to report, if at all. */
export type RefusalReason = 'missing' | 'bad-link' | 'outside' | 'not-regular' | 'too-large' | 'unreadable' | 'encoding';

/** A refusal: `why` in words, and the note that says it (absent only once the total limit was reported). */
export interface Refusal {
  ok: false;
  reason: RefusalReason;
  why: string;
  note?: CoverageNote;
}

export type BytesRead = { ok: true; bytes: Buffer } | Refusal;
export type TextRead = { ok: true; text: string } | Refusal;
export type FolderList = { ok: true; real: string; entries: Dirent[] } | Refusal;

export interface ReadOptions {
  /** The user named this file (`--config`, `--baseline`, `--inventory`): it may lie outside the allowed folders. */
  named?: boolean;
  /** Another per-file limit (saved reports and inventories are capped by the total limit). */
  maxBytes?: number;
  /** The flag that sets `maxBytes`, for the note. */
  limitFlag?: string;
}

/** Reads through one policy and counts what it read against the total limit. */
export class InputReader {
  /** Bytes read so far. */
  bytes = 0;
  private totalExceeded = false;

  constructor(readonly policy: ReadPolicy) {}

  /** True when the real path `real` lies inside an allowed folder. */
  private allows(real: string): boolean {
    return this.policy.allowed.some((dir) => isInside(real, dir));
  }

  /** A regular file's bytes, or why not. */
  readBytes(path: string, options: ReadOptions = {}): BytesRead {
    const read = this.readOpened(path, options, (fd, size, max) => readUpTo(fd, size, max));
    return read.ok ? { ok: true, bytes: read.read } : read;
  }

  /**
   * A regular file read piece by piece, each piece handed to `onChunk` and then dropped, under the
   * same checks and limits as readBytes: for files too large to hold whole.
   */
  readChunks(path: string, onChunk: (chunk: Buffer) => void, options: ReadOptions = {}): { ok: true; size: number } | Refusal {
    // What onChunk throws is the caller's, not a read error: it leaves the read and is thrown again.
    let thrown: { error: unknown } | undefined;
    const read = this.readOpened(path, options, (fd, _size, max) => {
      const buf = Buffer.allocUnsafe(CHUNK_BYTES);
      let length = 0;
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, null);
        if (n === 0) return { length };
        length += n;
        if (length > max) return undefined;
        try {
          onChunk(Buffer.from(buf.subarray(0, n)));
        } catch (error) {
          thrown = { error };
          return { length };
        }
      }
    });
    if (thrown) throw thrown.error;
    return read.ok ? { ok: true, size: read.read.length } : read;
  }

  /** Opens a regular file under the policy and hands it to `read`, which reads it and returns what it read (undefined over `max`). */
  private readOpened<T extends { length: number }>(path: string, options: ReadOptions, read: (fd: number, size: number, max: number) => T | undefined): { ok: true; read: T } | Refusal {
    const refuse = (reason: RefusalReason, kind: CoverageNote['kind'], why: string): Refusal => refusal(reason, why, { kind, level: 'error', file: path, line: 1, message: SKIPPED.has(reason) ? `${why}; not read` : why });
    const real = this.realPath(path);
    if (typeof real !== 'string') return refuse(real.reason, 'skipped', real.why);
    if (!options.named && !this.allows(real)) return refuse('outside', 'skipped', `${this.linksOut(path) ? 'symbolic link leads' : 'it lies'} outside the scanned folders (--root and the paths given)`);
    let st: Stats;
    try {
      st = lstatSync(real);
    } catch (e) {
      return refuse('unreadable', 'parse-error', `cannot read: ${errorCode(e)}`);
    }
    if (!st.isFile()) return refuse('not-regular', 'skipped', `${fileType(st)}, not a regular file`);
    const max = options.maxBytes ?? this.policy.maxFileBytes;
    const flag = options.limitFlag ?? '--max-file-size';
    const limit = options.maxBytes === undefined ? 'per-file limit' : 'limit';
    const tooLarge = (size: string): Refusal => refuse('too-large', 'limit', `file is ${size}, over the ${limit} of ${formatBytes(max)} (${flag})`);
    if (st.size > max) return tooLarge(formatBytes(st.size));
    if (this.totalExceeded || this.bytes + st.size > this.policy.maxTotalBytes) {
      const why = `total input is over the limit of ${formatBytes(this.policy.maxTotalBytes)} (--max-total-size)`;
      if (this.totalExceeded) return { ok: false, reason: 'too-large', why };
      this.totalExceeded = true;
      return { ok: false, reason: 'too-large', why, note: { kind: 'limit', level: 'error', file: path, message: `${why}; this and later files were not read` } };
    }
    let fd: number;
    try {
      // O_NOFOLLOW: the real path must not have become a link since it was resolved.
      fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
    } catch (e) {
      return refuse('unreadable', 'parse-error', `cannot read: ${errorCode(e)}`);
    }
    try {
      const opened = fstatSync(fd);
      if (!opened.isFile()) return refuse('not-regular', 'skipped', `${fileType(opened)}, not a regular file`);
      if (opened.size > max) return tooLarge(formatBytes(opened.size));
      const got = read(fd, opened.size, max);
      if (!got) return tooLarge(`over ${formatBytes(max)}`);
      this.bytes += got.length;
      return { ok: true, read: got };
    } catch (e) {
      return refuse('unreadable', 'parse-error', `cannot read: ${errorCode(e)}`);
    } finally {
      closeSync(fd);
    }
  }

  /** A regular file's text (UTF-8, BOM dropped, no NUL bytes), or why not. */
  readText(path: string, options: ReadOptions = {}): TextRead {
    const read = this.readBytes(path, options);
    return read.ok ? decodeText(read.bytes, path) : read;
  }

  /** A folder's entries, sorted by name, or why not. Links are the caller's to follow (through this reader). */
  listFolder(dir: string): FolderList {
    const refuse = (reason: RefusalReason, kind: CoverageNote['kind'], level: CoverageNote['level'], why: string): Refusal => refusal(reason, why, { kind, level, file: dir, message: SKIPPED.has(reason) ? `${why}; not followed` : why });
    const real = this.realPath(dir);
    if (typeof real !== 'string') return refuse(real.reason, 'skipped', 'warning', real.why);
    if (!this.allows(real)) return refuse('outside', 'skipped', 'warning', `${this.linksOut(dir) ? 'symbolic link leads' : 'it lies'} outside the scanned folders (--root and the paths given)`);
    let entries: Dirent[];
    try {
      if (!lstatSync(real).isDirectory()) return refuse('not-regular', 'skipped', 'warning', 'not a folder');
      entries = readdirSync(real, { withFileTypes: true });
    } catch (e) {
      return refuse('unreadable', 'parse-error', 'error', `cannot read folder: ${errorCode(e)}`);
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { ok: true, real, entries };
  }

  private realPath(path: string): string | { reason: RefusalReason; why: string } {
    try {
      return realpathSync.native(path);
    } catch (e) {
      const code = errorCode(e);
      let link = false;
      try {
        link = lstatSync(path).isSymbolicLink();
      } catch {
        // the path itself does not exist
      }
      if (link) return { reason: 'bad-link', why: code === 'ELOOP' ? 'symbolic link loop' : 'symbolic link leads nowhere' };
      return { reason: code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable', why: `cannot read: ${code}` };
    }
  }

  /** How a path came to lie outside: through a link, or as written (`source = "/etc"`). Wording only. */
  private linksOut(path: string): boolean {
    try {
      if (lstatSync(path).isSymbolicLink()) return true;
    } catch {
      // resolved already; gone since
    }
    return this.policy.allowed.some((dir) => isInside(resolve(path), dir));
  }
}

/**
 * A file the user named on the command line or in the Action's inputs (`--inventory`, `--baseline`):
 * it may lie anywhere, but it is read like any other, regular and at most `maxBytes` (`--max-total-size`).
 */
export function readNamedFile(path: string, maxBytes: number): BytesRead {
  return new InputReader({ allowed: [], maxFileBytes: maxBytes, maxTotalBytes: maxBytes }).readBytes(path, { named: true, maxBytes, limitFlag: '--max-total-size' });
}

/** A named file, as readNamedFile reads it, handed over piece by piece. */
export function readNamedFileChunks(path: string, maxBytes: number, onChunk: (chunk: Buffer) => void): { ok: true; size: number } | Refusal {
  return new InputReader({ allowed: [], maxFileBytes: maxBytes, maxTotalBytes: maxBytes }).readChunks(path, onChunk, { named: true, maxBytes, limitFlag: '--max-total-size' });
}

/** Refusals of what is not read at all (the others say so themselves: "cannot read", "over the limit"). */
const SKIPPED = new Set<RefusalReason>(['bad-link', 'outside', 'not-regular']);

function refusal(reason: RefusalReason, why: string, note: CoverageNote): Refusal {
  return { ok: false, reason, why, note };
}

/** What readChunks reads at a time. */
const CHUNK_BYTES = 1024 * 1024;

/** Up to `max` bytes of the open file (it may have grown since `fstat`); undefined when there are more. */
function readUpTo(fd: number, expected: number, max: number): Buffer | undefined {
  let buf = Buffer.allocUnsafe(Math.min(expected, max) + 1);
  let length = 0;
  for (;;) {
    if (length === buf.length) {
      if (length > max) return undefined;
      const grown = Buffer.allocUnsafe(Math.min(buf.length * 2, max + 1));
      buf.copy(grown, 0, 0, length);
      buf = grown;
    }
    const n = readSync(fd, buf, length, buf.length - length, null);
    if (n === 0) return buf.subarray(0, length);
    length += n;
  }
}

function fileType(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a folder';
  return 'a special file';
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}

function realOrResolved(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return resolve(p);
  }
}

/** True when `path` is `dir` or lies inside it (both absolute). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export type Decoded = { ok: true; text: string } | (Refusal & { note: CoverageNote });

/** UTF-8 text without NUL bytes, the BOM dropped; `path` names the input in the note. */
export function decodeText(buf: Buffer, path: string): Decoded {
  const head = buf.subarray(0, 8192);
  if (head.includes(0)) {
    const why = 'binary file (contains NUL bytes)';
    return { ok: false, reason: 'encoding', why, note: { kind: 'parse-error', level: 'error', file: path, line: 1, message: `${why}; not scanned` } };
  }
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return { ok: true, text };
  } catch {
    const at = firstInvalidUtf8(buf);
    return { ok: false, reason: 'encoding', why: 'not valid UTF-8', note: { kind: 'parse-error', level: 'error', file: path, line: at.line, column: at.column, message: 'not valid UTF-8; not scanned' } };
  }
}

function firstInvalidUtf8(buf: Buffer): { line: number; column: number } {
  let lo = 0;
  let hi = buf.length;
  const dec = (n: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (dec(mid)) lo = mid;
    else hi = mid - 1;
  }
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < lo; i++) if (buf[i] === 10) {
    line++;
    lastNl = i;
  }
  return { line, column: lo - lastNl };
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(0)} KiB`;
  return `${n} bytes`;
}
