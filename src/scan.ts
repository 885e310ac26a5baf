/**
 * The one entry point the CLI and the GitHub Action share: inputs → inventory → findings.
 */
import type { CoverageNote, Finding, Inventory, Resource, Severity } from './model/types.js';
import { Model } from './model/model.js';
import type { CollectOptions, CollectResult } from './collectors/types.js';
import { emptyResult, mergeResults } from './collectors/types.js';
import { readInputs } from './collect/inputs.js';
import { collectStructured } from './collectors/documents.js';
import { EarlyStart, PARALLEL_MIN_BYTES, collectInParallel, parallelism } from './collect/pool.js';
import { DEFAULT_LIMITS, type StructuredLimits } from './util/structured.js';
import { normalizeGcp } from './collectors/gcp/normalize.js';
import { linkCloudNative } from './collectors/cloud-native/links.js';
import { renderKustomizations } from './collectors/kustomize/index.js';
import type { PodtrustConfig } from './engine/config.js';
import { emptyConfig } from './engine/config.js';
import { allRules } from './engine/rules.js';
import { runRules, selectRules, sortFindings } from './engine/engine.js';
import { undecidedTrustNotes } from './engine/coverage.js';
import { identityLinks, resourceClusters } from './model/identity-links.js';
import type { ScanResult } from './engine/result.js';
import { scanConfiguration } from './engine/configuration.js';
import type { KubernetesLiveOptions } from './live/kubernetes/collect.js';
import type { CloudLiveOptions } from './live/cloud-sources.js';
import { assignClusters, mergeClusters } from './model/clusters.js';
import { isolatedSource } from './collectors/isolate.js';
import { VERSION, INFORMATION_URI } from './version.js';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES } from './util/input-reader.js';
import type { ExternalToolOptions } from './util/external-tool.js';
import type { ModuleFetchOptions } from './collectors/terraform/fetch/fetcher.js';
import { buildLedger, ledgerCounts, ledgerNotes } from './collect/ledger.js';
import { unreadObjects } from './model/read-kinds.js';
import { scannedInputs } from './engine/scanned.js';

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
  /** Live sources read in the same scan (`--kubeconfig`, `--context`, `--all-contexts`, the clouds), and how many targets at once (`--concurrency`, default 8). */
  live?: { kubernetes?: Omit<KubernetesLiveOptions, 'root' | 'targetLimit'>; concurrency?: number } & CloudLiveOptions;
  /** Threads that collect, this one included (default: the machine's parallelism; 0 or 1: this thread alone). */
  workers?: number;
  /** `--download-modules`: Terraform module sources fetched as `terraform init` would. */
  modules?: ModuleFetchOptions;
  /** How external tools (helm, bicep) run, if at all. */
  tools?: ExternalToolOptions;
  /** Only these rules (`--rule`); `.podtrust.yaml` may still turn some of them off. */
  ruleIds?: string[];
  /** Not these rules (`--skip-rule`). */
  skipRuleIds?: string[];
  now?: Date;
  /** The commit the scanned files are at (the Action's pull request head); default: read from the root's git work tree. */
  commit?: string;
}

export { DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES } from './util/input-reader.js';

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
  // A refused config file is named once, as the config (the walk meets `.podtrust.yaml` too).
  const configNotes = config.notes ?? [];
  collected.notes.push(...configNotes, ...inputs.notes.filter((n) => !configNotes.some((c) => c.file === n.file)));
  const collectOptions: CollectOptions = { root: options.root, limits, read: inputs.policy, ...(options.modules ? { modules: options.modules } : {}) };
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
  renderKustomizations(collected, inputs.structured, collectOptions);
  // Charts and Bicep files are read through their own tools (one time budget), once every file has been collected.
  const tools = options.tools ?? {};
  if (inputs.charts.length > 0) mergeResults(collected, await (await import('./collectors/helm/index.js')).renderCharts(inputs, collected, collectOptions, tools));
  if (inputs.bicep.length > 0) mergeResults(collected, await (await import('./collectors/bicep/index.js')).compileBicep(inputs.bicep, collectOptions, tools));
  sortCollected(collected);
  const gcp = normalizeGcp(collected.resources);
  collected.resources = gcp.resources;
  mergeResults(collected, { resources: [], clusters: gcp.clusters, notes: gcp.notes });
  const linked = linkCloudNative(collected.resources);
  collected.resources = linked.resources;
  collected.notes.push(...linked.notes);
  if (options.live) for (const live of await collectLive(options.live, options.root)) mergeResults(collected, live);
  for (const inv of options.inventories ?? []) {
    for (const r of inv.resources) collected.resources.push(r);
    collected.clusters.push(...inv.clusters);
    collected.notes.push(...inv.notes);
  }
  if (options.inventories?.some((i) => i.fleet)) collected.notes.push(...(await import('./fleet/coverage.js')).fleetGapNotes(options.inventories));
  // The same object read twice (a snapshot given twice, overlapping inputs) is one resource.
  const seen = new Set<string>();
  collected.resources = collected.resources.filter((r) => (seen.has(r.id) ? false : (seen.add(r.id), true)));
  const clusters = mergeClusters(collected.clusters, config.clusters, options.root);
  assignClusters(collected.resources, clusters, config.clusters, options.root);
  const ledger = buildLedger(inputs, collected.accounts ?? [], collected.notes, collected.resources);
  collected.notes.push(...ledgerNotes(ledger, inputs.named, collected.resources));
  return { version: 1, resources: collected.resources, clusters, notes: collected.notes, inputs: ledger };
}

/** Every live source side by side, at most `--concurrency` targets at once across them; results in a fixed order. */
async function collectLive(live: NonNullable<ScanOptions['live']>, root: string): Promise<CollectResult[]> {
  const { TargetLimit } = await import('./live/target-limit.js');
  const targetLimit = new TargetLimit(live.concurrency);
  const kubernetes = live.kubernetes;
  const clouds = live.aws || live.azure || live.gcp;
  return Promise.all([
    kubernetes ? isolatedSource('live source kubernetes', async () => (await import('./live/kubernetes/collect.js')).collectLiveKubernetes({ ...kubernetes, root, targetLimit })) : emptyResult(),
    clouds ? (await import('./live/cloud-sources.js')).collectLiveClouds(live, targetLimit) : emptyResult(),
  ]);
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

function summarize(inventory: Inventory, findings: Finding[], notes: CoverageNote[], files: number): ScanResult['summary'] {
  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  let suppressed = 0;
  for (const f of findings) {
    if (f.suppression) suppressed++;
    else bySeverity[f.severity]++;
  }
  const unread = unreadObjects(inventory.resources).objects;
  return {
    files,
    resources: inventory.resources.length - unread.count,
    unread,
    inputs: ledgerCounts(inventory.inputs),
    findings: findings.length - suppressed,
    bySeverity,
    suppressed,
    partial: notes.some((n) => n.level === 'error'),
    warnings: notes.filter((n) => n.level === 'warning').length,
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
  const catalog = allRules();
  let rules = selectRules(catalog, config);
  if (options.ruleIds) rules = rules.filter((r) => options.ruleIds!.includes(r.meta.id));
  if (options.skipRuleIds) rules = rules.filter((r) => !options.skipRuleIds!.includes(r.meta.id));
  const out = runRules(model, rules, config, options.root, options.now);
  const findings = sortFindings(dedupeByAddress(out.findings, inventory));
  const notes = [...inventory.notes, ...out.notes, ...undecidedTrustNotes(model), ...model.analysisNotes()];
  const files = distinctFiles(inventory.resources);
  const identities = identityLinks(model);
  // What the reports look clusters up for: the findings' resources and the identities.
  const named = new Set(findings.map((f) => f.resource.id));
  for (const link of identities) if (link.identityResourceId !== undefined) named.add(link.identityResourceId);
  return {
    tool: { name: 'podtrust', version: VERSION, informationUri: INFORMATION_URI },
    root: options.root,
    findings,
    rules: out.rules,
    notes,
    summary: summarize(inventory, findings, notes, files),
    ...(inventory.inputs !== undefined ? { inputs: inventory.inputs } : {}),
    configuration: scanConfiguration(config, catalog.map((r) => r.meta)),
    identities,
    resourceClusters: resourceClusters(model, named),
    scanned: scannedInputs(options),
  };
}

/** Not through an array of every file: a live cluster's objects each have one. */
function distinctFiles(resources: readonly Resource[]): number {
  const files = new Set<string>();
  for (const r of resources) files.add(r.file);
  return files.size;
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
