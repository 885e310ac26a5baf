/**
 * Which folders of a scan a Terragrunt unit needs beside its own, so that parallel collection keeps
 * them in one unit of work: the folders above it holding Terragrunt files it may include, and the
 * module folders an interpolated source names (`"${get_repo_root()}/modules/irsa"`, matched by the
 * path after the last interpolation). Literal local sources are linked like Terraform's.
 */
import { basename, dirname } from 'node:path';
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
      for (const d of byName.get(tail.slice(tail.lastIndexOf('/') + 1)) ?? []) if (posix(d).endsWith(`/${tail}`)) links.push([dir, d]);
    }
  }
  return links;
}
