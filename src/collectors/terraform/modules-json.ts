/** `.terraform/modules/modules.json`: where `terraform init` put each module call's source. */
import { join, resolve } from 'node:path';
import type { CoverageNote } from '../../model/types.js';
import type { InputReader } from '../../util/input-reader.js';
import { lenientJsonNote, parseJson } from '../../util/structured.js';

export interface DownloadedModule {
  /** Call path from the root module: `irsa`, `eks.eks_managed_node_group`. */
  key: string;
  source: string;
  version?: string;
  /** Absolute folder of the module's source. */
  dir: string;
}

/** The downloaded modules of a root module folder, by call key; empty when there is no (readable) manifest. */
export function readModulesJson(rootDir: string, reader: InputReader, note: (n: CoverageNote) => void): Map<string, DownloadedModule> {
  const out = new Map<string, DownloadedModule>();
  const file = join(rootDir, '.terraform', 'modules', 'modules.json');
  const read = reader.readText(file);
  if (!read.ok) {
    if (read.reason !== 'missing' && read.note) note(read.note);
    return out;
  }
  const parsed = parseJson(read.text);
  const error = parsed.errors[0];
  if (error) {
    note({ kind: 'parse-error', level: 'warning', file, line: error.line, column: error.column, message: `${error.message}; the modules terraform init downloaded are not analysed` });
    return out;
  }
  if (parsed.lenient) note(lenientJsonNote(file, parsed.lenient));
  const list = (parsed.documents[0]?.value as { Modules?: unknown } | null | undefined)?.Modules;
  if (!Array.isArray(list)) return out;
  for (const m of list as Record<string, unknown>[]) {
    if (!m || typeof m.Key !== 'string' || m.Key === '' || typeof m.Dir !== 'string') continue;
    const entry: DownloadedModule = { key: m.Key, source: typeof m.Source === 'string' ? m.Source : '', dir: resolve(rootDir, m.Dir) };
    if (typeof m.Version === 'string') entry.version = m.Version;
    out.set(m.Key, entry);
  }
  return out;
}

/** True for a path inside a `.terraform` folder. */
export function isUnderDotTerraform(path: string): boolean {
  return /(^|[\\/])\.terraform[\\/]/.test(path);
}
