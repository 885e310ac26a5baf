/** `.terraform/modules/modules.json`: where `terraform init` put each module call's source. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DownloadedModule {
  /** Call path from the root module: `irsa`, `eks.eks_managed_node_group`. */
  key: string;
  source: string;
  version?: string;
  /** Absolute folder of the module's source. */
  dir: string;
}

/** The downloaded modules of a root module folder, by call key; empty when there is no (readable) manifest. */
export function readModulesJson(rootDir: string): Map<string, DownloadedModule> {
  const out = new Map<string, DownloadedModule>();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(join(rootDir, '.terraform', 'modules', 'modules.json'), 'utf8'));
  } catch (e) {
    // No manifest (never initialised), an unreadable one, or one that is not JSON: nothing is downloaded.
    if ((e as NodeJS.ErrnoException).code !== undefined || e instanceof SyntaxError) return out;
    throw e;
  }
  const list = (data as { Modules?: unknown })?.Modules;
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
