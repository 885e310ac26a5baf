/**
 * Finds and reads the input files of a scan: directory walk with skips and excludes. What may
 * be read, and how, is the input reader's (util/input-reader.ts): everything that cannot be
 * read becomes a coverage note; nothing here throws for a bad file.
 */
import { statSync, type Dirent } from 'node:fs';
import { basename, extname, join, relative, resolve, sep } from 'node:path';
import type { CoverageNote } from '../model/types.js';
import { STDIN_PATH, type SourceFile } from '../collectors/types.js';
import { globMatchesPathOrParent } from '../util/glob.js';
import { InputReader, decodeText, formatBytes, type ReadPolicy, readPolicy } from '../util/input-reader.js';

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
  /** What the scan's readers may reach: the collectors read module folders under it too. */
  policy: ReadPolicy;
}


const STRUCTURED_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

function isTerraformFile(name: string): boolean {
  return name.endsWith('.tf') || name === 'terraform.tfvars' || name.endsWith('.auto.tfvars');
}

/** A name the walk reads: Terraform files and YAML/JSON documents (`Kustomization` is one without an extension). */
function isInputName(name: string): boolean {
  return isTerraformFile(name) || STRUCTURED_EXTENSIONS.has(extname(name).toLowerCase()) || name === 'Kustomization';
}

export function readInputs(options: InputOptions): InputSet {
  const policy = readPolicy(options.root, options.paths, options);
  const reader = new InputReader(policy);
  const set: InputSet = { structured: [], terraform: [], notes: [], bytes: 0, policy };
  const seenFiles = new Set<string>();

  const note = (n: CoverageNote): void => {
    set.notes.push(n);
  };

  const addFile = (path: string): void => {
    if (seenFiles.has(path)) return;
    seenFiles.add(path);
    const read = reader.readText(path);
    if (!read.ok) {
      if (read.note) note(read.note);
      return;
    }
    set.bytes = reader.bytes;
    const file = { path, text: read.text };
    const tf = isTerraformFile(basename(path));
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
      if (typeof input === 'string') set.structured.push({ path: STDIN_PATH, text: input });
      else {
        const decoded = decodeText(buf, STDIN_PATH);
        if (decoded.ok) set.structured.push({ path: STDIN_PATH, text: decoded.text });
        else note(decoded.note);
      }
      continue;
    }
    const abs = resolve(given);
    let isDir: boolean;
    try {
      isDir = statSync(abs).isDirectory();
    } catch {
      note({ kind: 'skipped', level: 'error', file: abs, message: 'no such file or directory' });
      continue;
    }
    // A file named on the command line is read whatever its name.
    if (isDir) walk(abs, options, reader, addFile, note, new Set());
    else addFile(abs);
  }
  return set;
}

function walk(
  dir: string,
  options: InputOptions,
  reader: InputReader,
  addFile: (path: string) => void,
  note: (n: CoverageNote) => void,
  visited: Set<string>,
): void {
  const listed = reader.listFolder(dir);
  if (!listed.ok) {
    if (listed.note) note(listed.note);
    return;
  }
  if (visited.has(listed.real)) return;
  visited.add(listed.real);
  const entries = listed.entries;
  const isChart = entries.some((e) => e.isFile() && e.name === 'Chart.yaml');
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = relative(options.root, full).split(sep).join('/');
    if (options.exclude.some((g) => globMatchesPathOrParent(g, rel))) continue;
    if (isFolder(entry, full)) {
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
      walk(full, options, reader, addFile, note, visited);
    } else if (isInputName(entry.name)) {
      if (isChart && entry.name !== 'Chart.yaml' && /^values.*\.ya?ml$/.test(entry.name)) continue;
      // Links, FIFOs and devices with an input's name go to the reader too: it says why it refuses them.
      addFile(full);
    }
  }
}

/** A folder, or a link to one (followed through the reader, which refuses what leads outside). */
function isFolder(entry: Dirent, full: string): boolean {
  if (entry.isDirectory()) return true;
  if (!entry.isSymbolicLink()) return false;
  try {
    return statSync(full).isDirectory();
  } catch {
    return false;
  }
}
