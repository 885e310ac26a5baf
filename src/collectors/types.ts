import type { ClusterInfo, CoverageNote, Resource } from '../model/types.js';
import type { StructuredLimits } from '../util/structured.js';
import type { ReadPolicy } from '../util/input-reader.js';
import type { ModuleFetchOptions } from './terraform/fetch/fetcher.js';
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
  /** `--download-modules`: remote Terraform module sources are fetched into this cache. */
  modules?: ModuleFetchOptions;
}

/**
 * What a collector made of a file it recognised, for the input ledger: `analysed` when it was read
 * (on its own, or through a root that uses it: a Kustomize patch, a chart's values, a module called by
 * a Terragrunt unit), `not-analysed` when its format is known but could not be read (the collector
 * also leaves a warning note saying what to do). `format` names the format for people (`eksctl
 * ClusterConfig`, `Kustomize`, `Helm chart`, `Terraform`).
 */
export interface FileAccount {
  file: string;
  format: string;
  state: 'analysed' | 'not-analysed';
}

/** What a collector returns: resources in canonical shapes with positions, clusters it defines, and notes. */
export interface CollectResult {
  resources: Resource[];
  clusters: ClusterInfo[];
  notes: CoverageNote[];
  /** Files the collector recognised (see {@link FileAccount}); a file no collector accounts for is not infrastructure. */
  accounts?: FileAccount[];
}

export function emptyResult(): CollectResult {
  return { resources: [], clusters: [], notes: [] };
}

/** Records that a collector recognised `file` as `format`. */
export function account(result: CollectResult, file: string, format: string, state: FileAccount['state'] = 'analysed'): void {
  (result.accounts ??= []).push({ file, format, state });
}

export function mergeResults(into: CollectResult, from: CollectResult): CollectResult {
  for (const r of from.resources) into.resources.push(r);
  for (const c of from.clusters) into.clusters.push(c);
  for (const n of from.notes) into.notes.push(n);
  if (from.accounts) for (const a of from.accounts) (into.accounts ??= []).push(a);
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
