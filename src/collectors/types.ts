import type { ClusterInfo, CoverageNote, Resource } from '../model/types.js';
import type { StructuredLimits } from '../util/structured.js';
import type { ReadPolicy } from '../util/input-reader.js';
import { NestingTooDeep, noteNesting, valueNestingOverflow } from '../util/nesting.js';

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
/**
 * Leaves out, with a note, each resource whose body nests deeper than `--max-depth`: evaluation
 * and decoded JSON strings can build bodies deeper than the document they come from, and what
 * follows collection (the model, the rules, the reports) walks bodies recursively.
 */
export function withinDepth(result: CollectResult, limits: StructuredLimits): CollectResult {
  result.resources = result.resources.filter((r) => {
    const over = valueNestingOverflow(r.body, limits.maxDepth);
    if (over === undefined) return true;
    noteNesting(result.notes, r.file, new NestingTooDeep(limits.maxDepth, { pointer: over }), { positions: r.positions, line: r.positions['']?.line ?? 1 });
    return false;
  });
  return result;
}
