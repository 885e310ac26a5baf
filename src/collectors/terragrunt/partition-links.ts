/**
 * Which folders of a scan a Terragrunt unit needs beside its own, so that parallel collection keeps
 * them in one unit of work: the folders above it holding Terragrunt files it may include, and the
 * module folders an interpolated source names (`"${get_repo_root()}/modules/irsa"`, matched by the
 * path after the last interpolation). Literal local sources are linked like Terraform's.
 */
import { basename, dirname, resolve } from 'node:path';
import type { SourceFile } from '../types.js';
import { isTerragruntFile } from './names.js';

const INTERPOLATED_SOURCE = /\bsource\s*=\s*"[^\n]*\}([^"\n$}]*)"/g;

function posix(p: string): string {
  return p.replace(/\\/g, '/');
}

export function terragruntLinks(dirs: readonly string[], files: readonly SourceFile[]): [string, string][] {
  const terragrunt = files.filter((f) => isTerragruntFile(f.path));
  if (terragrunt.length === 0) return [];
  const links: [string, string][] = [];
  const configDirs = new Set(terragrunt.map((f) => dirname(f.path)));
  const known = new Set(dirs);
  const byName = new Map<string, string[]>();
  for (const d of dirs) {
    const list = byName.get(basename(d)) ?? [];
    list.push(d);
    byName.set(basename(d), list);
  }
  for (const f of terragrunt) {
    const dir = dirname(f.path);
    for (let up = dirname(dir); ; up = dirname(up)) {
      if (configDirs.has(up)) links.push([dir, up]);
      if (dirname(up) === up) break;
    }
    for (const m of f.text.matchAll(INTERPOLATED_SOURCE)) {
      const tail = posix(m[1]!).split('?')[0]!.replace(/\/{2,}/g, '/').replace(/^\/|\/$/g, '');
      if (tail === '') continue;
      // A path that climbs (`${get_terragrunt_dir()}/../../modules/x`): the folder it names from the
      // unit's, and, as for any other tail, the folders that end with what follows the climb.
      const segments = tail.split('/').filter((s) => s !== '.');
      const climb = segments.lastIndexOf('..');
      if (climb >= 0) {
        const from = resolve(dir, segments.join('/'));
        if (known.has(from)) links.push([dir, from]);
      }
      const named = segments.slice(climb + 1).join('/');
      if (named === '') continue;
      for (const d of byName.get(named.slice(named.lastIndexOf('/') + 1)) ?? []) if (posix(d).endsWith(`/${named}`)) links.push([dir, d]);
    }
  }
  return links;
}
