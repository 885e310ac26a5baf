/**
 * The report's identity map and breakdowns, derived from a ScanResult alone:
 * ServiceAccount → cloud identity → what it can do → findings.
 */
import { SEVERITIES, SEVERITY_RANK, type Finding, type Severity } from '../../model/types.js';
import type { IdentityLink, ScanResult } from '../../engine/result.js';
import { findingsByRule } from '../counts.js';
import { own } from '../../util/own.js';

export interface IdentityRow {
  serviceAccount?: { id: string; name: string; cluster?: string };
  provider: IdentityLink['provider'];
  mechanism: IdentityLink['mechanism'];
  identity: string;
  identityResourceId?: string;
  /** The account, project or subscription of the identity, when the scan tells. */
  scope?: string;
  permissions: string[];
  /** Unsuppressed findings on the ServiceAccount or on the identity. */
  findings: Finding[];
}

/** Grants and findings one row or graph node lists; the rest are counted. */
export const ROW_ITEMS = 8;

/** The first ROW_ITEMS of a list, each shown, then how many more there are, joined. */
export function firstItems<T>(items: readonly T[], show: (item: T) => string, counted: (more: number) => string, joiner: string): string {
  const lines = items.slice(0, ROW_ITEMS).map((item) => show(item));
  if (items.length > ROW_ITEMS) lines.push(counted(items.length - ROW_ITEMS));
  return lines.join(joiner);
}

export const MECHANISM_LABEL: Record<IdentityLink['mechanism'], string> = {
  irsa: 'IRSA',
  'pod-identity': 'EKS Pod Identity',
  'azure-workload-identity': 'Azure Workload Identity',
  'gke-workload-identity': 'GKE Workload Identity',
  'web-identity': 'OIDC web identity',
};

/**
 * The positions of unsuppressed findings by the resource each is about. A finding on a
 * ServiceAccount or an identity of the map belongs to that end alone, whatever it names as
 * related (a ServiceAccount's trust mismatch names the role, which other ServiceAccounts use
 * too). A finding about an identity may sit on another resource (a GCP binding, an Azure role
 * assignment) that names the identity as a related location: it is filed under that identity.
 */
function findingsByResource(findings: readonly Finding[], ends: ReadonlySet<string>): Map<string, number[]> {
  const index = new Map<string, number[]>();
  findings.forEach((f, i) => {
    if (f.suppression) return;
    const ids = ends.has(f.resource.id) ? [f.resource.id] : new Set(f.related.map((r) => r.resourceId).filter((id): id is string => id !== undefined && ends.has(id)));
    for (const id of ids) {
      const list = index.get(id);
      if (list) list.push(i);
      else index.set(id, [i]);
    }
  });
  return index;
}

/** The findings about any of the resources, in report order, then most severe first. */
function activeOn(findings: readonly Finding[], index: Map<string, number[]>, ids: (string | undefined)[]): Finding[] {
  const at = new Set<number>();
  for (const id of ids) if (id !== undefined) for (const i of index.get(id) ?? []) at.add(i);
  return [...at]
    .sort((a, b) => a - b)
    .map((i) => findings[i]!)
    .sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity]);
}

export function identityRows(result: ScanResult): IdentityRow[] {
  const links = result.identities ?? [];
  const ends = new Set<string>();
  for (const link of links) {
    if (link.serviceAccount) ends.add(link.serviceAccount.id);
    if (link.identityResourceId !== undefined) ends.add(link.identityResourceId);
  }
  const index = findingsByResource(result.findings, ends);
  return links.map((link) => ({
    ...(link.serviceAccount ? { serviceAccount: link.serviceAccount } : {}),
    provider: link.provider,
    mechanism: link.mechanism,
    identity: link.identityName ?? link.identity,
    ...(link.identityResourceId !== undefined ? { identityResourceId: link.identityResourceId } : {}),
    ...(link.scope !== undefined ? { scope: link.scope } : {}),
    permissions: link.permissions ?? [],
    findings: activeOn(result.findings, index, [link.serviceAccount?.id, link.identityResourceId]),
  }));
}

/** The rows of one account, project or subscription within a cluster. */
export interface AccountGroup {
  label: string;
  rows: IdentityRow[];
}

export interface ClusterGroup {
  label: string;
  accounts: AccountGroup[];
  /** Rows with at least one finding. */
  withFindings: number;
  total: number;
  /** Distinct findings beside the rows, by severity. */
  counts: Record<Severity, number>;
}

export const NO_ACCOUNT = '(account not in the scan)';

/** A row's cluster: its ServiceAccount's, else the clusters its identity trusts. */
function rowCluster(row: IdentityRow, clusters: Record<string, string[]>): string {
  if (row.serviceAccount?.cluster !== undefined) return row.serviceAccount.cluster;
  const id = row.identityResourceId;
  const names = own(clusters, id) ?? [];
  return names.length > 0 ? names.join(', ') : NO_CLUSTER;
}

function worstRank(row: IdentityRow): number {
  return row.findings.length > 0 ? SEVERITY_RANK[row.findings[0]!.severity] : SEVERITIES.length;
}

function byLabel(a: { label: string }, b: { label: string }): number {
  return a.label < b.label ? -1 : a.label > b.label ? 1 : 0;
}

/**
 * The identity map grouped by cluster, then by account: clusters with the most severe findings
 * first, rows with findings first within an account (most severe first), then by name.
 */
export function identityGroups(result: ScanResult, rows: readonly IdentityRow[] = identityRows(result)): ClusterGroup[] {
  const clusters = result.resourceClusters ?? {};
  const groups = new Map<string, Map<string, IdentityRow[]>>();
  for (const row of rows) {
    const cluster = rowCluster(row, clusters);
    let accounts = groups.get(cluster);
    if (!accounts) groups.set(cluster, (accounts = new Map()));
    const account = row.scope ?? NO_ACCOUNT;
    const list = accounts.get(account);
    if (list) list.push(row);
    else accounts.set(account, [row]);
  }
  const name = (row: IdentityRow): string => `${row.serviceAccount?.name ?? ''}\u0000${row.identity}`;
  const out: ClusterGroup[] = [];
  for (const [label, accounts] of groups) {
    const counts = emptyCounts();
    // A finding on a role shows beside each ServiceAccount of the role: count it once.
    const counted = new Set<Finding>();
    let withFindings = 0;
    let total = 0;
    const accountGroups: AccountGroup[] = [];
    for (const [account, list] of accounts) {
      list.sort((a, b) => worstRank(a) - worstRank(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0));
      for (const row of list) {
        total += 1;
        if (row.findings.length > 0) withFindings += 1;
        for (const f of row.findings) {
          if (counted.has(f)) continue;
          counted.add(f);
          counts[f.severity] += 1;
        }
      }
      accountGroups.push({ label: account, rows: list });
    }
    accountGroups.sort((a, b) => Number(a.label === NO_ACCOUNT) - Number(b.label === NO_ACCOUNT) || byLabel(a, b));
    out.push({ label, accounts: accountGroups, withFindings, total, counts });
  }
  const rank = (g: ClusterGroup): number => SEVERITIES.findIndex((s) => g.counts[s] > 0) + 1 || SEVERITIES.length + 1;
  return out.sort((a, b) => rank(a) - rank(b) || byLabel(a, b));
}

export interface Breakdown {
  label: string;
  counts: Record<Severity, number>;
  total: number;
}

function emptyCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

function breakdown(findings: readonly Finding[], keysOf: (f: Finding) => string[]): Breakdown[] {
  const byKey = new Map<string, Breakdown>();
  for (const f of findings) {
    if (f.suppression) continue;
    for (const key of keysOf(f)) {
      let entry = byKey.get(key);
      if (!entry) byKey.set(key, (entry = { label: key, counts: emptyCounts(), total: 0 }));
      entry.counts[f.severity] += 1;
      entry.total += 1;
    }
  }
  return [...byKey.values()].sort((a, b) => b.total - a.total || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

export const NO_CLUSTER = '(no cluster)';

export function byProvider(result: ScanResult): Breakdown[] {
  const provider = new Map(result.rules.map((r) => [r.id, r.provider as string]));
  return breakdown(result.findings, (f) => [provider.get(f.ruleId) ?? f.ruleId.split('-')[0]!]);
}

export function byCluster(result: ScanResult): Breakdown[] {
  const clusters = result.resourceClusters ?? {};
  return breakdown(result.findings, (f) => {
    const names = own(clusters, f.resource.id) ?? [];
    return names.length > 0 ? names : [NO_CLUSTER];
  });
}

/** One node of the identity graph; `column` 0 = ServiceAccounts, 1 = identities, 2 = findings. */
export interface GraphNode {
  key: string;
  column: 0 | 1 | 2;
  label: string;
  severity?: Severity;
}

export interface IdentityGraph {
  nodes: GraphNode[];
  edges: { from: string; to: string }[];
}

function worst(findings: readonly Finding[]): Severity {
  return findings.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[w] ? f.severity : w), 'low');
}

/** The graph both reports draw: findings grouped per rule on the node they are about. */
export function identityGraph(rows: readonly IdentityRow[]): IdentityGraph {
  const nodes = new Map<string, GraphNode>();
  const edges = new Map<string, { from: string; to: string }>();
  const edge = (from: string, to: string): void => void edges.set(`${from}\u0000${to}`, { from, to });
  const findingNodes = (owner: string, findings: Finding[]): void => {
    for (const [ruleId, list] of findingsByRule(findings)) {
      const key = `f:${owner}:${ruleId}`;
      const severity = worst(list);
      nodes.set(key, { key, column: 2, label: `${severity}: ${ruleId}${list.length > 1 ? ` (${list.length})` : ''}`, severity });
      edge(owner, key);
    }
  };
  for (const row of rows) {
    const identityKey = `i:${row.identityResourceId ?? row.identity}`;
    if (!nodes.has(identityKey)) {
      const can = row.permissions.length > 0 ? ` [${firstItems(row.permissions, (p) => p, (n) => `and ${n} more`, ', ')}]` : '';
      const identityFindings = row.findings.filter((f) => f.resource.id === row.identityResourceId);
      nodes.set(identityKey, {
        key: identityKey,
        column: 1,
        label: `${row.identity}${can}`,
        ...(identityFindings.length > 0 ? { severity: worst(identityFindings) } : {}),
      });
      findingNodes(identityKey, identityFindings);
    }
    if (row.serviceAccount) {
      const saKey = `s:${row.serviceAccount.id}`;
      const saFindings = row.findings.filter((f) => f.resource.id === row.serviceAccount!.id);
      if (!nodes.has(saKey)) {
        const cluster = row.serviceAccount.cluster !== undefined ? ` (${row.serviceAccount.cluster})` : '';
        nodes.set(saKey, {
          key: saKey,
          column: 0,
          label: `${row.serviceAccount.name}${cluster}`,
          ...(saFindings.length > 0 ? { severity: worst(saFindings) } : {}),
        });
        findingNodes(saKey, saFindings);
      }
      edge(saKey, identityKey);
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Mermaid label text: every character that could end the label or the code block becomes an entity. */
export function mermaidLabel(text: string): string {
  return Array.from(text)
    .map((c) => (/^[A-Za-z0-9 .,:/@_+=-]$/.test(c) ? c : `#${c.codePointAt(0)};`))
    .join('');
}

export function mermaidGraph(graph: IdentityGraph): string[] {
  const ids = new Map(graph.nodes.map((n, i) => [n.key, `n${i}`]));
  const lines = ['```mermaid', 'graph LR'];
  for (const n of graph.nodes) {
    const id = ids.get(n.key)!;
    lines.push(n.column === 2 ? `  ${id}{{"${mermaidLabel(n.label)}"}}` : `  ${id}["${mermaidLabel(n.label)}"]`);
  }
  for (const e of graph.edges) lines.push(`  ${ids.get(e.from)} --> ${ids.get(e.to)}`);
  for (const severity of SEVERITIES) {
    const members = graph.nodes.filter((n) => n.severity === severity).map((n) => ids.get(n.key)!);
    if (members.length > 0) lines.push(`  class ${members.join(',')} ${severity}`);
  }
  lines.push(
    '  classDef critical fill:#7f1d1d,color:#fff',
    '  classDef high fill:#c2410c,color:#fff',
    '  classDef medium fill:#facc15,color:#000',
    '  classDef low fill:#bfdbfe,color:#000',
    '```',
  );
  return lines;
}
