/**
 * Finds and reads the input files of a scan: directory walk with skips and excludes,
 * symlink containment, size caps, binary and encoding checks. Everything that cannot be
 * read becomes a coverage note; nothing here throws for a bad file.
 */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import type { CoverageNote } from '../model/types.js';
import type { SourceFile } from '../collectors/types.js';
import { globMatchesPathOrParent } from '../util/glob.js';

export const SKIPPED_DIRECTORIES = new Set(['.git', 'node_modules', '.terraform', '.hg', '.svn']);

export interface InputOptions {
  paths: string[];
  /** Directory excludes are matched against (relative paths). */
  root: string;
  exclude: string[];
  maxFileBytes: number;
  maxTotalBytes: number;
  /** What was read from standard input when a path is `-` (bytes are checked like a file's). */
  stdin?: string | Buffer;
  /** Told of each file as it is read (the scan starts its worker threads from it). */
  onFile?: (file: SourceFile, terraform: boolean) => void;
}

export interface InputSet {
  /** YAML and JSON documents (Kubernetes, CloudFormation, IAM, plans, ...). */
  structured: SourceFile[];
  /** `.tf` files and the variable files Terraform loads automatically. */
  terraform: SourceFile[];
  notes: CoverageNote[];
  bytes: number;
}

export const STDIN_PATH = '<stdin>';

const STRUCTURED_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

function isTerraformFile(name: string): boolean {
  return name.endsWith('.tf') || name === 'terraform.tfvars' || name.endsWith('.auto.tfvars');
}

export function readInputs(options: InputOptions): InputSet {
  const set: InputSet = { structured: [], terraform: [], notes: [], bytes: 0 };
  const seenFiles = new Set<string>();
  let totalExceeded = false;

  const note = (n: CoverageNote): void => {
    set.notes.push(n);
  };

  const addFile = (path: string, explicit: boolean): void => {
    const name = basename(path);
    const tf = isTerraformFile(name);
    if (!explicit && !tf && !STRUCTURED_EXTENSIONS.has(extname(name).toLowerCase())) return;
    if (seenFiles.has(path)) return;
    seenFiles.add(path);
    let size: number;
    try {
      size = statSync(path).size;
    } catch (e) {
      note({ kind: 'parse-error', level: 'error', file: path, line: 1, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    if (size > options.maxFileBytes) {
      note({ kind: 'limit', level: 'error', file: path, line: 1, message: `file is ${formatBytes(size)}, over the per-file limit of ${formatBytes(options.maxFileBytes)} (--max-file-size)` });
      return;
    }
    if (set.bytes + size > options.maxTotalBytes) {
      if (!totalExceeded) {
        note({ kind: 'limit', level: 'error', file: path, message: `total input is over the limit of ${formatBytes(options.maxTotalBytes)} (--max-total-size); this and later files were not read` });
      }
      totalExceeded = true;
      return;
    }
    let buf: Buffer;
    try {
      buf = readFileSync(path);
    } catch (e) {
      note({ kind: 'parse-error', level: 'error', file: path, line: 1, message: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    const text = decodeText(buf, path, note);
    if (text === undefined) return;
    set.bytes += size;
    const file = { path, text };
    (tf ? set.terraform : set.structured).push(file);
    options.onFile?.(file, tf);
  };

  for (const given of options.paths) {
    if (given === '-') {
      const input = options.stdin;
      if (input === undefined) continue;
      const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
      if (buf.length > options.maxFileBytes) {
        note({ kind: 'limit', level: 'error', file: STDIN_PATH, line: 1, message: `standard input is over the per-file limit of ${formatBytes(options.maxFileBytes)} (--max-file-size)` });
        continue;
      }
      const text = typeof input === 'string' ? input : decodeText(buf, STDIN_PATH, note);
      if (text !== undefined) set.structured.push({ path: STDIN_PATH, text });
      continue;
    }
    const abs = resolve(given);
    let st;
    try {
      st = statSync(abs);
    } catch {
      note({ kind: 'skipped', level: 'error', file: abs, message: 'no such file or directory' });
      continue;
    }
    if (st.isDirectory()) walk(abs, realpathOrSelf(abs), options, addFile, note, new Set());
    else addFile(abs, true);
  }
  return set;
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync.native(p);
  } catch {
    return p;
  }
}

function walk(
  dir: string,
  scanRootReal: string,
  options: InputOptions,
  addFile: (path: string, explicit: boolean) => void,
  note: (n: CoverageNote) => void,
  visited: Set<string>,
): void {
  const real = realpathOrSelf(dir);
  if (visited.has(real)) return;
  visited.add(real);
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    note({ kind: 'parse-error', level: 'error', file: dir, message: `cannot read directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const isChart = entries.some((e) => e.isFile() && e.name === 'Chart.yaml');
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = relative(options.root, full).split(sep).join('/');
    if (options.exclude.some((g) => globMatchesPathOrParent(g, rel))) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = realpathOrSelf(full);
      if (target === full || !isInside(target, scanRootReal)) {
        note({ kind: 'skipped', level: 'note', file: full, message: 'symbolic link leads outside the scanned folder (or nowhere); not followed' });
        continue;
      }
      try {
        const st = statSync(full);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        // the link's target went away since it was resolved: nothing to read
        continue;
      }
    }
    if (isDir) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) continue;
      if (isChart && (entry.name === 'templates' || entry.name === 'charts')) {
        if (entry.name === 'templates') {
          note({
            kind: 'skipped',
            level: 'note',
            file: full,
            message: `Helm chart templates are not rendered; scan the rendered output: helm template <release> ${relative(options.root, dir) || '.'} | podtrust scan -`,
          });
        }
        continue;
      }
      walk(full, scanRootReal, options, addFile, note, visited);
    } else if (isFile) {
      if (isChart && entry.name !== 'Chart.yaml' && /^values.*\.ya?ml$/.test(entry.name)) continue;
      addFile(full, false);
    }
  }
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && !/^[a-zA-Z]:/.test(rel));
}

function decodeText(buf: Buffer, path: string, note: (n: CoverageNote) => void): string | undefined {
  const head = buf.subarray(0, 8192);
  if (head.includes(0)) {
    note({ kind: 'parse-error', level: 'error', file: path, line: 1, message: 'binary file (contains NUL bytes); not scanned' });
    return undefined;
  }
  try {
    let text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  } catch {
    const at = firstInvalidUtf8(buf);
    note({ kind: 'parse-error', level: 'error', file: path, line: at.line, column: at.column, message: 'not valid UTF-8; not scanned' });
    return undefined;
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
