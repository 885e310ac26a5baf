import type { ClusterInfo, CoverageNote, Resource } from '../model/types.js';
import type { StructuredLimits } from '../util/structured.js';
import type { ReadPolicy } from '../util/input-reader.js';

/** One input file, already read. `path` is absolute (or `<stdin>`). */
export interface SourceFile {
  path: string;
  text: string;
}

export interface CollectOptions {
  /** Directory SARIF URIs are relative to; collectors use it only to build stable resource ids. */
  root: string;
  limits: StructuredLimits;
  /** What collectors that read more files (Terraform module folders) may reach; default: the root, default caps. */
  read?: ReadPolicy;
}

/** What a collector returns: resources in canonical shapes with positions, clusters it defines, and notes. */
export interface CollectResult {
  resources: Resource[];
  clusters: ClusterInfo[];
  notes: CoverageNote[];
}

export function emptyResult(): CollectResult {
  return { resources: [], clusters: [], notes: [] };
}

export function mergeResults(into: CollectResult, from: CollectResult): CollectResult {
  for (const r of from.resources) into.resources.push(r);
  for (const c of from.clusters) into.clusters.push(c);
  for (const n of from.notes) into.notes.push(n);
  return into;
}

/** The path standard input is reported under. */
export const STDIN_PATH = '<stdin>';
