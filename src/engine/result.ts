import type { CoverageNote, Finding, InputLedger, InputState, Severity, UnreadObjects } from '../model/types.js';
import type { RuleMeta } from './rule-api.js';
import type { ConfigurationChange, ScanConfiguration } from './configuration.js';

export interface ScanSummary {
  /** Input files read (IaC) and live objects collected. */
  files: number;
  /** Resources the rules read: Kubernetes objects of kinds no rule reads are in `unread` instead. */
  resources: number;
  unread?: UnreadObjects;
  /** Input files (and excluded folders) in each state of the ledger. */
  inputs?: Record<InputState, number>;
  findings: number;
  bySeverity: Record<Severity, number>;
  suppressed: number;
  /** True when some input could not be read (exit code 2). */
  partial: boolean;
  /** Coverage notes of level `warning` (exit code 2 with `--strict`). */
  warnings?: number;
}

/** The one value reporters receive. Findings are sorted (severity, file, line, rule) and deterministic. */
export interface ScanResult {
  tool: { name: string; version: string; informationUri: string };
  /** Absolute directory that output paths are relative to. */
  root: string;
  findings: Finding[];
  /** Metadata of every rule that ran (SARIF `rules[]`). */
  rules: RuleMeta[];
  notes: CoverageNote[];
  summary: ScanSummary;
  /** The input ledger: each file given or found and its state (absent when the scan read no paths, e.g. a saved inventory only). */
  inputs?: InputLedger;
  /** Rules the configuration turned off or re-graded, and its `ignore` entries. */
  configuration?: ScanConfiguration;
  /** Set by a baseline that carries its configuration: what this scan's configuration widened. */
  configurationChange?: ConfigurationChange;
  /** ServiceAccount → cloud identity links, for the reports' identity map. */
  identities?: IdentityLink[];
  /** Resource id → cluster names (the cluster of a Kubernetes object, the clusters a role trusts). */
  resourceClusters?: Record<string, string[]>;
  /** What was scanned, for the reports' headers. */
  scanned?: ScannedInputs;
}

export interface ScannedInputs {
  /** The paths given, relative to the root (`.` the root itself, `-` standard input; absolute when outside it). */
  paths: string[];
  /** Saved inventories audited with them. */
  inventories: number;
  /** Live clusters and cloud accounts read, in words (`Kubernetes context prod`, `GCP project acme`). */
  live?: string[];
  /** The commit the files are at: the one the scan was told (the Action's pull request head), else the root's git HEAD, when it could be read. */
  commit?: string;
}

/** One ServiceAccount meant to get one cloud identity, or a federated identity no scanned ServiceAccount names. */
export interface IdentityLink {
  /** Absent when no scanned ServiceAccount names the identity. A pod identity association stands in for its ServiceAccount. */
  serviceAccount?: { id: string; name: string; cluster?: string };
  provider: 'aws' | 'azure' | 'gcp';
  mechanism: 'irsa' | 'pod-identity' | 'azure-workload-identity' | 'gke-workload-identity' | 'web-identity';
  /** The identity as the ServiceAccount names it (ARN, client id, Google service account), or the role name. */
  identity: string;
  /** Inventory id of the cloud identity when it is in the scan. */
  identityResourceId?: string;
  identityName?: string;
  /** What the identity can do, most powerful first: admin-equivalent and broad AWS grants, then policies by name; the roles a Google service account or an Azure managed identity holds and where. */
  permissions?: string[];
  /** The AWS account, GCP project or Azure subscription the identity lives in, when the scan tells (`AWS account 111122223333`). */
  scope?: string;
}
