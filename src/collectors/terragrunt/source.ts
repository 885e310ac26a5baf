/**
 * A unit's `terraform { source }` as the module call it stands for: a local folder (its `//` marks the
 * folder Terragrunt copies, the path after it the module inside), or a registry / Git source
 * given to the Terraform module machinery as a `module` block would give it.
 */
import { isAbsolute, resolve } from 'node:path';

export type UnitSource =
  | { kind: 'local'; dir: string }
  | { kind: 'module'; source: string; version?: string };

/** `tfr:///ns/name/provider//sub?version=1.2.3` and `tfr://host/ns/...`: a registry address and its version. */
function registrySource(text: string): UnitSource {
  const rest = text.slice('tfr://'.length);
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const version = q < 0 ? undefined : new URLSearchParams(rest.slice(q + 1)).get('version') ?? undefined;
  // An empty host (`tfr:///`) means the public registry.
  const source = path.startsWith('/') ? path.slice(1) : path;
  return version === undefined ? { kind: 'module', source } : { kind: 'module', source, version };
}

export function unitSource(text: string, unitDir: string): UnitSource {
  const s = text.trim();
  if (s.startsWith('tfr://')) return registrySource(s);
  if (s.startsWith('./') || s.startsWith('../') || isAbsolute(s) || s === '.' || s === '..') {
    const [base, sub] = splitSubdir(s);
    return { kind: 'local', dir: resolve(unitDir, base, sub) };
  }
  return { kind: 'module', source: s };
}

function splitSubdir(path: string): [string, string] {
  // Skip the leading `/` of an absolute path: `//` only counts after the first character.
  const i = path.indexOf('//', 1);
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i + 2)];
}
