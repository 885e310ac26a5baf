import type { ClusterInfo, CoverageNote, Inventory, InventoryIndex, Resource, ResourceType } from './types.js';
import type { Federation } from '../federation/types.js';
import { analyzeAwsTrust, trustStatements } from '../federation/aws-trust.js';
import type { IamStatement } from '../iam/policy-statements.js';
import { analyzeAzureFederations } from '../federation/azure.js';
import { analyzeGcpServiceAccount } from '../federation/gcp.js';

/**
 * The inventory with its indexes and derived views, computed once and shared by all rules.
 * Rules read this; they never re-parse policies.
 */
export class Model implements InventoryIndex {
  readonly clusters: readonly ClusterInfo[];
  /** Built on first lookup: a live inventory's lookups are few and building it costs as much as a rule. */
  private byId: Map<string, Resource> | undefined;
  private readonly byType = new Map<string, Resource[]>();
  /** By the resource object, not its id: ids are long strings, and rules ask for every role many times. */
  private readonly federationCache = new Map<Resource, Federation[]>();
  private readonly trustStatementCache = new Map<string, IamStatement[]>();
  private readonly failedAnalyses = new Map<string, CoverageNote[]>();
  private clustersByName: Map<string, ClusterInfo> | undefined;

  constructor(readonly inventory: Inventory) {
    this.clusters = inventory.clusters;
    const all = inventory.resources;
    for (let i = 0; i < all.length; i++) {
      const r = all[i]!;
      let list = this.byType.get(r.type);
      if (!list) this.byType.set(r.type, (list = []));
      list.push(r);
    }
  }

  get resources(): readonly Resource[] {
    return this.inventory.resources;
  }

  resourceById(id: string): Resource | undefined {
    if (!this.byId) {
      this.byId = new Map();
      for (const r of this.inventory.resources) this.byId.set(r.id, r);
    }
    return this.byId.get(id);
  }

  ofType(type: ResourceType): readonly Resource[] {
    return this.byType.get(type) ?? [];
  }

  /** Resources whose type starts with a prefix (`k8s.`). */
  ofTypePrefix(prefix: string): Resource[] {
    const out: Resource[] = [];
    // A loop, not push(...list): spreading 150,000 pods as arguments overflows the stack.
    for (const [type, list] of this.byType) if (type.startsWith(prefix)) for (const r of list) out.push(r);
    return out;
  }

  /** The federations of one identity (an IAM role, a managed identity, a Google service account). */
  federationsOf(identity: Resource): Federation[] {
    let cached = this.federationCache.get(identity);
    if (!cached) {
      const failures: CoverageNote[] = [];
      cached = identity.type === 'aws.iam.Role' ? analyzeAwsTrust(identity, this, failures, (role) => this.trustStatementsOf(role))
        : identity.type === 'azure.msi.UserAssignedIdentity' ? analyzeAzureFederations(identity, this)
        : identity.type === 'gcp.iam.ServiceAccount' ? analyzeGcpServiceAccount(identity, this)
        : [];
      this.federationCache.set(identity, cached);
      if (failures.length > 0) this.failedAnalyses.set(identity.id, failures);
    }
    return cached;
  }

  /** Warnings for identities whose trust could not be analysed (they then have no federations) or only in part (a question past its step budget), in inventory order. */
  analysisNotes(): CoverageNote[] {
    const out: CoverageNote[] = [];
    for (const role of this.ofType('aws.iam.Role')) {
      this.federationsOf(role);
      out.push(...(this.failedAnalyses.get(role.id) ?? []));
    }
    return out;
  }

  /**
   * The statements of an IAM role's trust policy as written (effect, actions or `NotAction`,
   * principal with its wildcard flag, conditions), for rules about principals and actions rather
   * than federation; empty for other resources.
   */
  trustStatementsOf(role: Resource): IamStatement[] {
    if (role.type !== 'aws.iam.Role') return [];
    let cached = this.trustStatementCache.get(role.id);
    if (!cached) this.trustStatementCache.set(role.id, (cached = trustStatements(role)));
    return cached;
  }

  cluster(name: string | undefined): ClusterInfo | undefined {
    if (name === undefined) return undefined;
    if (!this.clustersByName) {
      this.clustersByName = new Map();
      for (const c of this.clusters) if (!this.clustersByName.has(c.name)) this.clustersByName.set(c.name, c);
    }
    return this.clustersByName.get(name);
  }
}
