/**
 * The one entry point the CLI and the GitHub Action share: inputs → inventory → findings.
 */
import { dirname, relative, sep } from 'node:path';
import type { ClusterInfo, CoverageNote, Finding, Inventory, Resource, Severity } from './model/types.js';
import { Model } from './model/model.js';
import type { CollectOptions, CollectResult } from './collectors/types.js';
import { emptyResult, mergeResults } from './collectors/types.js';
import { readInputs } from './engine/inputs.js';
import { collectStructured } from './collectors/documents.js';
import { EarlyStart, PARALLEL_MIN_BYTES, collectInParallel, parallelism } from './engine/pool.js';
import { DEFAULT_LIMITS, type StructuredLimits } from './util/structured.js';
import { normalizeGcp } from './collectors/gcp/normalize.js';
import type { PodtrustConfig } from './engine/config.js';
import { emptyConfig } from './engine/config.js';
import { allRules } from './engine/rules.js';
import { runRules, selectRules, sortFindings } from './engine/engine.js';
import { undecidedTrustNotes } from './engine/coverage.js';
import { identityLinks, resourceClusters } from './engine/identity-links.js';
import type { ScanResult } from './engine/result.js';
import type { KubernetesLiveOptions } from './live/kubernetes/collect.js';
import type { CloudLiveOptions } from './live/cloud-sources.js';
import { globMatch } from './util/glob.js';
import { isolatedSource } from './engine/isolate.js';
import { rootRelative } from './util/paths.js';
import { VERSION, INFORMATION_URI } from './version.js';

export interface ScanOptions {
  /** Files and folders; `-` is standard input. */
  paths: string[];
  /** Directory output paths are relative to. */
  root: string;
  config?: PodtrustConfig;
  exclude?: string[];
  stdin?: string | Buffer;
  limits?: StructuredLimits;
  maxFileBytes?: number;
  maxTotalBytes?: number;
  /** Saved inventories to audit alongside (or instead of) the paths. */
  inventories?: Inventory[];
  /** Live sources read in the same scan (`--kubeconfig`, `--context`, `--all-contexts`). */
  live?: { kubernetes?: Omit<KubernetesLiveOptions, 'root'> } & CloudLiveOptions;
  /** Threads that collect, this one included (default: the machine's parallelism; 0 or 1: this thread alone). */
  workers?: number;
  /** Only these rules. Set by tests; no command-line flag selects rules (`.podtrust.yaml` turns them off). */
  ruleIds?: string[];
  now?: Date;
}

export const DEFAULT_MAX_FILE_BYTES = 10 * 1024 * 1024;
export const DEFAULT_MAX_TOTAL_BYTES = 1024 * 1024 * 1024;

/** Reads every input into one inventory. Never throws for bad input: it becomes a note. */
export async function collectInventory(options: ScanOptions): Promise<Inventory> {
  const config = options.config ?? emptyConfig();
  const limits = options.limits ?? DEFAULT_LIMITS;
  const workers = parallelism(options.workers);
  const minBytes = options.workers !== undefined ? 0 : PARALLEL_MIN_BYTES;
  const early = new EarlyStart(workers, minBytes);
  const inputs = readInputs({
    paths: options.paths,
    root: options.root,
    exclude: [...(options.exclude ?? []), ...config.exclude],
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    maxTotalBytes: options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES,
    ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    onFile: (file, terraform) => early.add(file, terraform),
  });
  const collected: CollectResult = emptyResult();
  collected.notes.push(...inputs.notes);
  const collectOptions: CollectOptions = { root: options.root, limits };
  const parallel = await collectInParallel(inputs.structured, inputs.terraform, collectOptions, workers, minBytes, undefined, early);
  if (parallel) mergeResults(collected, parallel);
  else {
    const seenIds = new Map<string, number>();
    for (const file of inputs.structured) mergeResults(collected, collectStructured(file, collectOptions, seenIds));
    if (inputs.terraform.length > 0) {
      const { collectTerraform } = await import('./collectors/terraform/index.js');
      mergeResults(collected, await collectTerraform(inputs.terraform, collectOptions));
    }
  }
  sortCollected(collected);
  const gcp = normalizeGcp(collected.resources);
  collected.resources = gcp.resources;
  mergeResults(collected, { resources: [], clusters: gcp.clusters, notes: gcp.notes });
  const kubernetes = options.live?.kubernetes;
  if (kubernetes) {
    const live = await isolatedSource('live source kubernetes', async () => (await import('./live/kubernetes/collect.js')).collectLiveKubernetes({ ...kubernetes, root: options.root }));
    mergeResults(collected, live);
  }
  if (options.live?.aws || options.live?.azure || options.live?.gcp) {
    const { collectLiveClouds } = await import('./live/cloud-sources.js');
    mergeResults(collected, await collectLiveClouds(options.live));
  }
  for (const inv of options.inventories ?? []) {
    for (const r of inv.resources) collected.resources.push(r);
    collected.clusters.push(...inv.clusters);
    collected.notes.push(...inv.notes);
  }
  // The same object read twice (a snapshot given twice, overlapping inputs) is one resource.
  const seen = new Set<string>();
  collected.resources = collected.resources.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
  const clusters = mergeClusters(collected.clusters, config, options.root);
  assignClusters(collected.resources, clusters, config, options.root);
  return { version: 1, resources: collected.resources, clusters, notes: collected.notes };
}

/** One order for collected data, whichever way it was collected (sequentially or in workers). */
export function sortCollected(c: CollectResult): void {
  c.resources.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.positions['']?.line ?? 0) - (b.positions['']?.line ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
  c.notes.sort((a, b) => compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0) || compareText(a.kind, b.kind) || compareText(a.message, b.message));
  c.clusters.sort((a, b) => compareText(a.resourceId ?? '', b.resourceId ?? '') || compareText(a.name, b.name) || compareText(a.issuer ?? '', b.issuer ?? ''));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Clusters from IaC merged with the config's cluster map (which may add issuer and environment). */
function mergeClusters(found: ClusterInfo[], config: PodtrustConfig, root: string): ClusterInfo[] {
  const byName = new Map<string, ClusterInfo>();
  const ordered = [...found].sort((a, b) => ((a.resourceId ?? '') < (b.resourceId ?? '') ? -1 : (a.resourceId ?? '') > (b.resourceId ?? '') ? 1 : 0));
  for (const c of ordered) {
    const prev = byName.get(c.name);
    if (prev?.resourceId && c.resourceId && prev.resourceId !== c.resourceId) {
      // Two different IaC definitions with one name (unrelated estates scanned together): keep both.
      const named = { ...c, name: `${c.name} (${definedIn(c.resourceId, root)})` };
      byName.set(named.name, named);
      continue;
    }
    byName.set(c.name, prev ? { ...prev, ...definedOnly(c) } : { ...c });
  }
  for (const m of config.clusters) {
    const prev = byName.get(m.name) ?? { name: m.name };
    const merged: ClusterInfo = { ...prev };
    if (m.provider) merged.provider = m.provider;
    if (m.issuer) merged.issuer = m.issuer;
    if (m.environment) merged.environment = m.environment;
    const account = m.account ?? m.project ?? m.subscription;
    if (account) merged.account = account;
    byName.set(m.name, merged);
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** `tf:infra/eks:aws_eks_cluster.main` → `infra/eks`: where a cluster's definition lives, for telling two apart. */
function definedIn(resourceId: string, root: string): string {
  const parts = resourceId.split(':');
  return parts.length >= 3 ? parts[1]! : relative(root, resourceId);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Which cluster a Kubernetes object belongs to: (1) the config's cluster map, (2) the cluster
 * defined in IaC in its nearest ancestor directory that defines exactly one, (3) none (the
 * scan's one unnamed cluster).
 */
function assignClusters(resources: Resource[], clusters: ClusterInfo[], config: PodtrustConfig, root: string): void {
  const clusterDirs = new Map<string, string[]>();
  const byId = new Map(resources.map((r) => [r.id, r]));
  for (const c of clusters) {
    const def = c.resourceId ? byId.get(c.resourceId) : undefined;
    if (!def) continue;
    const dir = dirname(def.file);
    const list = clusterDirs.get(dir) ?? [];
    list.push(c.name);
    clusterDirs.set(dir, list);
  }
  for (const r of resources) {
    if (!r.type.startsWith('k8s.') || r.cluster !== undefined || r.format === 'live') continue;
    const rel = rootRelative(root, r.file);
    const mapped = config.clusters.find((m) => m.paths.some((g) => globMatch(g, rel)));
    if (mapped) {
      r.cluster = mapped.name;
      continue;
    }
    for (let dir = dirname(r.file); ; dir = dirname(dir)) {
      const names = clusterDirs.get(dir);
      if (names && names.length === 1) {
        r.cluster = names[0]!;
        break;
      }
      if (names && names.length > 1) break;
      if (dir === dirname(dir) || !(dir + sep).startsWith(root + sep) && dir !== root) break;
    }
  }
}

function summarize(inventory: Inventory, findings: Finding[], notes: CoverageNote[], files: number): ScanResult['summary'] {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else bySeverity[f.severity]++;
  }
  return {
    files,
    resources: inventory.resources.length,
    findings: findings.length - suppressed,
    bySeverity,
    suppressed,
    partial: notes.some((n) => n.level === 'error'),
  };
}

/** Scans the inputs and returns the findings, sorted and deterministic. */
export async function scan(options: ScanOptions): Promise<ScanResult> {
  const config = options.config ?? emptyConfig();
  const inventory = await collectInventory(options);
  return auditInventory(inventory, options, config);
}

export function auditInventory(inventory: Inventory, options: ScanOptions, config: PodtrustConfig = options.config ?? emptyConfig()): ScanResult {
  const model = new Model(inventory);
  let rules = selectRules(allRules(), config);
  if (options.ruleIds) rules = rules.filter((r) => options.ruleIds!.includes(r.meta.id));
  const out = runRules(model, rules, config, options.root, options.now);
  const findings = sortFindings(dedupeByAddress(out.findings, inventory));
  const notes = [...inventory.notes, ...out.notes, ...undecidedTrustNotes(model), ...model.analysisNotes()];
  const files = new Set(inventory.resources.map((r) => r.file)).size;
  return {
    tool: { name: 'podtrust', version: VERSION, informationUri: INFORMATION_URI },
    root: options.root,
    findings,
    rules: out.rules,
    notes,
    summary: summarize(inventory, findings, notes, files),
    identities: identityLinks(model),
    resourceClusters: resourceClusters(model),
  };
}

/** A resource in a Terraform plan and in the `.tf` files of the same scan is reported once, at the `.tf` location. */
function dedupeByAddress(findings: Finding[], inventory: Inventory): Finding[] {
  const planIds = new Set<string>();
  const tfAddresses = new Set<string>();
  for (const r of inventory.resources) {
    if (r.format === 'terraform-plan') planIds.add(r.id);
    else if (r.format === 'terraform' && r.address) tfAddresses.add(r.address);
  }
  if (planIds.size === 0 || tfAddresses.size === 0) return findings;
  return findings.filter((f) => !(planIds.has(f.resource.id) && f.resource.address && tfAddresses.has(f.resource.address)));
}
