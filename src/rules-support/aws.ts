/** Shared reading of the federation view for the AWS rules. */
import type { JsonValue, Resource } from '../model/types.js';
import type { Model } from '../model/model.js';
import type { ConditionUse, Federation } from '../federation/types.js';
import { isUnknown } from '../model/unknown.js';
import { hasWildcard } from '../federation/wildcard.js';
import { issuerDisplayName } from '../federation/issuers.js';
import { shown } from '../util/input-text.js';

export interface RoleFederation {
  role: Resource;
  federation: Federation;
}

const federationsByModel = new WeakMap<Model, { all: RoleFederation[]; webIdentity: RoleFederation[] }>();

/** Both lists below, built once per model: a dozen rules walk them. */
function federationLists(model: Model): { all: RoleFederation[]; webIdentity: RoleFederation[] } {
  let lists = federationsByModel.get(model);
  if (!lists) {
    lists = { all: [], webIdentity: [] };
    for (const role of model.ofType('aws.iam.Role')) {
      for (const federation of model.federationsOf(role)) {
        const rf = { role, federation };
        lists.all.push(rf);
        if (federation.mechanism === 'irsa' || federation.mechanism === 'web-identity') lists.webIdentity.push(rf);
      }
    }
    federationsByModel.set(model, lists);
  }
  return lists;
}

/** Every federation of every IAM role in the scan. */
export function roleFederations(model: Model): readonly RoleFederation[] {
  return federationLists(model).all;
}

/** Web-identity federations (IRSA and other OIDC issuers), not EKS Pod Identity. */
export function webIdentityFederations(model: Model): readonly RoleFederation[] {
  return federationLists(model).webIdentity;
}

/** Conditions of a federation on one claim (`sub`, `aud`) that name the statement's own issuer. */
export function claimConditions(f: Federation, claim: string): ConditionUse[] {
  return f.conditions.filter((c) => c.claim === claim && !c.issuerMismatch);
}

/** Conditions that restrict a claim's value: every operator but `Null` (which only asks whether the claim exists). */
export function constrainingConditions(f: Federation, claim: string): ConditionUse[] {
  return claimConditions(f, claim).filter((c) => c.base !== 'Null');
}

export function hasMismatchedCondition(f: Federation, claim?: string): boolean {
  return f.conditions.some((c) => c.issuerMismatch && (claim === undefined || c.claim === claim));
}

/** A positive condition that really constrains: not negated, not a tautology. */
export function isEffective(c: ConditionUse): boolean {
  return !c.negated && !c.tautology && c.base !== 'Null';
}

/** The condition's values that are known strings containing `*` or `?`. */
export function wildcardValues(c: ConditionUse): string[] {
  return c.values.filter((v): v is string => typeof v === 'string' && hasWildcard(v));
}

/**
 * The pointer of one value of a condition, when the source lists the values (so a finding can
 * point at the value to change); else the condition key's own pointer.
 */
export function valuePointer(resource: Resource, c: ConditionUse, value: string): string {
  const i = c.values.indexOf(value);
  const candidate = `${c.pointer}/${i}`;
  return i >= 0 && resource.positions[candidate] !== undefined ? candidate : c.pointer;
}

export function displayIssuer(f: Federation): string {
  return issuerDisplayName(f.issuer);
}

export function roleDisplayName(role: Resource): string {
  const body = role.body as Record<string, JsonValue>;
  return shown(typeof body.RoleName === 'string' ? body.RoleName : role.name);
}

const roleIndexes = new WeakMap<Model, RoleIndex>();

/** Finds the scanned role an annotation or association names: by ARN, by name, or by Terraform reference. */
export class RoleIndex {
  /** The index of a model's roles, built once: several rules and the identity links look roles up. */
  static of(model: Model): RoleIndex {
    let index = roleIndexes.get(model);
    if (!index) roleIndexes.set(model, (index = new RoleIndex(model)));
    return index;
  }

  private readonly byArn = new Map<string, Resource>();
  private readonly byName = new Map<string, Resource[]>();

  private constructor(private readonly model: Model) {
    for (const role of model.ofType('aws.iam.Role')) {
      const body = role.body as Record<string, JsonValue>;
      if (typeof body.Arn === 'string') this.byArn.set(body.Arn, role);
      if (typeof body.RoleName === 'string') {
        const list = this.byName.get(body.RoleName) ?? [];
        list.push(role);
        this.byName.set(body.RoleName, list);
      }
    }
  }

  find(value: JsonValue | undefined): Resource | undefined {
    if (isUnknown(value)) {
      const ref = value.ref ? this.model.resourceById(value.ref.id) : undefined;
      return ref?.type === 'aws.iam.Role' ? ref : undefined;
    }
    if (typeof value !== 'string') return undefined;
    const exact = this.byArn.get(value);
    if (exact) return exact;
    const m = /^arn:aws[\w-]*:iam::([^:]*):role\/(?:.*\/)?([^/]+)$/.exec(value);
    if (!m) return undefined;
    // By name only where the candidate's own account is unknown: a role of another account is another role.
    const candidates = (this.byName.get(m[2]!) ?? []).filter((r) => {
      const arn = (r.body as Record<string, JsonValue>).Arn;
      return typeof arn !== 'string' || arn.split(':')[4] === m[1];
    });
    return candidates.length === 1 ? candidates[0] : undefined;
  }
}
