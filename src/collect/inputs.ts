/**
 * Finds and reads the input files of a scan: directory walk with skips and excludes. What may
 * be read, and how, is the input reader's (util/input-reader.ts): everything that cannot be
 * read becomes a coverage note; nothing here throws for a bad file.
 */
import { existsSync, statSync, type Dirent } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { CoverageNote } from '../model/types.js';
import { STDIN_PATH, type SourceFile } from '../collectors/types.js';
import { excludingGlob } from '../util/glob.js';
import { InputReader, SKIPPED_DIRECTORIES, decodeText, formatBytes, type ReadPolicy, readPolicy } from '../util/input-reader.js';
import { isTerraformFileName } from '../collectors/terraform/file-kinds.js';
import { isTerragruntName } from '../collectors/terragrunt/names.js';

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
  /** `.tf`, `.tf.json` and `.tofu` files, the variable files Terraform loads automatically, and Terragrunt's `terragrunt.hcl` / `root.hcl`. */
  terraform: SourceFile[];
  notes: CoverageNote[];
  bytes: number;
  /** What the scan's readers may reach: the collectors read module folders under it too. */
  policy: ReadPolicy;
  /** Helm chart folders (a `Chart.yaml` in them): rendered by the Helm pass, never read as manifests. */
  charts: string[];
  /** `.bicep` files: compiled by the Bicep pass. */
  bicep: SourceFile[];
  /** For the input ledger: every file given or found (read or refused), in the order met. */
  files: string[];
  /** Files named on the command line (`<stdin>` for `-`): nothing analysable in one is a warning. */
  named: Set<string>;
  /** Files and folders the walk did not enter: an exclude glob, or a folder never walked (`.git`, `node_modules`). */
  excluded: ExcludedInput[];
}

export interface ExcludedInput {
  path: string;
  /** A folder is one entry: what it holds was never listed. */
  folder: boolean;
  reason: string;
}


const STRUCTURED_EXTENSIONS = new Set(['.yaml', '.yml', '.json', '.template']);

/** Terraform and OpenTofu files (`.tf.json` among them: to the Terraform collector only). */
function isTerraformFile(name: string): boolean {
  return isTerraformFileName(name) || isTerragruntName(name);
}

/** A name the walk reads: Terraform files, YAML/JSON documents (`Kustomization` is one without an extension) and Bicep files. */
function isInputName(name: string): boolean {
  return isTerraformFile(name) || STRUCTURED_EXTENSIONS.has(extname(name).toLowerCase()) || name.endsWith('.bicep') || name === 'Kustomization';
}

/** The chart whose `templates/` or `charts/` holds `path` (a path given inside a chart), looked for up to `root`. */
function chartHolding(path: string, root: string): string | undefined {
  for (let dir = dirname(path), child = path; dir !== child && !relative(root, dir).startsWith('..'); child = dir, dir = dirname(dir)) {
    const name = basename(child);
    if ((name === 'templates' || name === 'charts') && existsSync(join(dir, 'Chart.yaml'))) return dir;
  }
  return undefined;
}

export function readInputs(options: InputOptions): InputSet {
  const policy = readPolicy(options.root, options.paths, options);
  const reader = new InputReader(policy);
  const set: InputSet = { structured: [], terraform: [], notes: [], bytes: 0, policy, charts: [], bicep: [], files: [], named: new Set(), excluded: [] };
  const seenFiles = new Set<string>();

  const note = (n: CoverageNote): void => {
    set.notes.push(n);
  };
  const addChart = (dir: string): void => {
    if (!set.charts.includes(dir)) set.charts.push(dir);
  };

  const addFile = (path: string): void => {
    if (seenFiles.has(path)) return;
    seenFiles.add(path);
    set.files.push(path);
    const read = reader.readText(path);
    if (!read.ok) {
      if (read.note) note(read.note);
      return;
    }
    set.bytes = reader.bytes;
    const file = { path, text: read.text };
    if (path.endsWith('.bicep')) return void set.bicep.push(file);
    const tf = isTerraformFile(basename(path));
    (tf ? set.terraform : set.structured).push(file);
    options.onFile?.(file, tf);
  };

  for (const given of options.paths) {
    if (given === '-') {
      const input = options.stdin;
      if (input === undefined) continue;
      set.files.push(STDIN_PATH);
      set.named.add(STDIN_PATH);
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
      set.files.push(abs);
      note({ kind: 'skipped', level: 'error', file: abs, message: 'no such file or directory' });
      continue;
    }
    // Chart templates are rendered with their chart, never read on their own.
    const chart = chartHolding(abs, resolve(options.root));
    if (chart) {
      addChart(chart);
      // The chart is what was found: its Chart.yaml stands in the ledger for the path given.
      addFile(join(chart, 'Chart.yaml'));
    }
    // A file named on the command line is read whatever its name.
    else if (isDir) walk(abs, options, reader, addFile, addChart, note, new Set(), (e) => set.excluded.push(e));
    else {
      set.named.add(abs);
      addFile(abs);
    }
  }
  return set;
}

function walk(
  dir: string,
  options: InputOptions,
  reader: InputReader,
  addFile: (path: string) => void,
  addChart: (dir: string) => void,
  note: (n: CoverageNote) => void,
  visited: Set<string>,
  exclude: (e: ExcludedInput) => void,
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
  if (isChart) addChart(dir);
  for (const entry of entries) {
    const full = join(dir, entry.name);
    const rel = relative(options.root, full).split(sep).join('/');
    const glob = excludingGlob(options.exclude, rel);
    if (glob !== undefined) {
      const folder = isFolder(entry, full);
      if (folder || isInputName(entry.name)) exclude({ path: full, folder, reason: `excluded by ${glob}` });
      continue;
    }
    if (isFolder(entry, full)) {
      if (SKIPPED_DIRECTORIES.has(entry.name)) {
        exclude({ path: full, folder: true, reason: 'skipped folder' });
        continue;
      }
      // The Helm pass renders the chart: its templates and subcharts are not inputs of their own.
      if (isChart && (entry.name === 'templates' || entry.name === 'charts')) continue;
      walk(full, options, reader, addFile, addChart, note, visited, exclude);
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
