import type { CodeRule, RuleContext } from '../../src/engine/rule-api.js';
import type { JsonValue, Resource } from '../../src/model/types.js';
import type { Model } from '../../src/model/model.js';
import type { Federation, Matcher, Pattern } from '../../src/federation/types.js';
import { IDENTITY_TYPE } from '../../src/federation/azure.js';
import { BudgetExceededError, inclusion, StepBudget, type Decision } from '../../src/federation/matcher.js';
import { isUnknown } from '../../src/model/unknown.js';
import { quoteEach, shown } from '../../src/util/input-text.js';

type Obj = Record<string, JsonValue>;

function obj(v: JsonValue | undefined): Obj | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Obj) : undefined;
}

function text(v: JsonValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

interface Widening {
  /** What the live side admits beyond the IaC side, as a message lists it ('' for nothing). */
  text: string;
  /** Set when some pattern could not be compared within the step budget: it is left out of `text`. */
  limited?: BudgetExceededError;
}

/** What the live side admits beyond the IaC side; undefined when it cannot be decided. */
function widening(live: Matcher, iac: Matcher[]): Widening | undefined {
  if (live.unknown || iac.some((m) => m.unknown || (m.allowAlso?.length ?? 0) > 0 || m.deny.length > 0)) return undefined;
  if ((live.allowAlso?.length ?? 0) > 0) return undefined;
  if (iac.some((m) => m.allow === null)) return { text: '' };
  const iacPatterns: Pattern[] = iac.flatMap((m) => m.allow ?? []);
  if (live.allow === null) return { text: 'any value' };
  // One question, one budget: which live patterns no IaC pattern includes.
  const budget = new StepBudget();
  const wider: string[] = [];
  let undecided = false;
  for (const p of live.allow) {
    let covered: Decision = false;
    for (const q of iacPatterns) {
      const answer = inclusion(q, p, budget);
      if (answer !== false) covered = answer;
      if (answer === true) break;
    }
    if (covered === 'undecided') undecided = true;
    else if (!covered) wider.push(p.value);
  }
  return { text: quoteEach(wider), ...(undecided ? { limited: new BudgetExceededError(budget.limit) } : {}) };
}

interface Side {
  resource: Resource;
  federations: Federation[];
  /** Where a federation of this side is written: the identity, or an Azure federated credential. */
  sourceOf(f: Federation): Resource;
}

function sideOf(model: Model, identity: Resource): Side {
  return {
    resource: identity,
    federations: model.federationsOf(identity),
    sourceOf: (f) => (f.sourceId !== undefined ? model.resourceById(f.sourceId) : undefined) ?? identity,
  };
}

function compare(ctx: RuleContext, identity: string, iac: Side, live: Side): void {
  for (const lf of live.federations) {
    const host = lf.issuer.host;
    if (host === undefined) continue;
    if (iac.federations.some((f) => f.issuer.host === undefined)) return;
    const same = iac.federations.filter((f) => f.issuer.host === host);
    const at = same[0];
    const iacResource = at ? iac.sourceOf(at) : iac.resource;
    const related = [{ resource: live.sourceOf(lf), at: lf.conditionPointer || lf.pointer, message: `the live trust of ${identity}` }];
    if (same.length === 0) {
      ctx.report({
        resource: iacResource,
        at: iac.federations[0]?.pointer ?? '',
        key: `issuer:${host}`,
        messageId: 'issuerNotInIac', data: { identity, issuer: shown(host) },
        related,
      });
      continue;
    }
    const subjects = widening(lf.subject, same.map((f) => f.subject));
    const audiences = widening(lf.audience, same.map((f) => f.audience));
    const parts: string[] = [];
    for (const [claim, w] of [['sub', subjects], ['aud', audiences]] as const) {
      if (w?.limited) ctx.limited(iacResource, claimPointer(at!, claim), `what the live trust of ${identity} admits beyond its IaC definition on ${claim}`, w.limited);
    }
    if (subjects?.text) parts.push(`subjects ${subjects.text}`);
    if (audiences?.text) parts.push(`audiences ${audiences.text}`);
    if (parts.length === 0) continue;
    ctx.report({
      resource: iacResource,
      at: subjects?.text ? claimPointer(at!, 'sub') : claimPointer(at!, 'aud'),
      key: `issuer:${host}`,
      messageId: 'subjectsNotInIac', data: { identity, what: parts.join(' and '), issuer: shown(host) },
      related,
    });
  }
}

/** Where a claim's constraint is written: its condition (AWS), the subject or audiences (Azure). */
function claimPointer(f: Federation, claim: 'sub' | 'aud'): string {
  const condition = f.conditions.find((c) => c.claim === claim && !c.issuerMismatch);
  if (condition) return condition.pointer;
  if (f.cloud === 'azure') return claim === 'sub' ? f.conditionPointer : `${f.pointer}/audiences`;
  return f.conditionPointer || f.pointer;
}

function roleName(r: Resource): string | undefined {
  return text(obj(r.body)?.['RoleName']);
}

function accountOf(arn: string | undefined): string | undefined {
  const parts = arn?.split(':');
  return parts && parts.length >= 6 && parts[0] === 'arn' && parts[4] !== '' ? parts[4] : undefined;
}

function sameRole(iac: Resource, live: Resource): boolean {
  const name = roleName(iac);
  if (name === undefined || name !== roleName(live)) return false;
  const iacAccount = accountOf(text(obj(iac.body)?.['Arn']));
  const liveAccount = accountOf(text(obj(live.body)?.['Arn'])) ?? accountOf(live.logicalLocation);
  return iacAccount === undefined || liveAccount === undefined || iacAccount === liveAccount;
}

function checkAws(ctx: RuleContext, model: Model): void {
  const roles = model.ofType('aws.iam.Role');
  const live = roles.filter((r) => r.format === 'live');
  if (live.length === 0) return;
  for (const iac of roles.filter((r) => r.format !== 'live')) {
    for (const l of live.filter((r) => sameRole(iac, r))) compare(ctx, `role ${shown(roleName(l)!)}`, sideOf(model, iac), sideOf(model, l));
  }
}

function identityKey(r: Resource): { name?: string; clientId?: string; id?: string } {
  const body = obj(r.body);
  const out: { name?: string; clientId?: string; id?: string } = {};
  const name = text(body?.['name']);
  const clientId = text(obj(body?.['properties'])?.['clientId']);
  const id = text(body?.['id']);
  if (name) out.name = name;
  if (clientId) out.clientId = clientId.toLowerCase();
  if (id) out.id = id.toLowerCase();
  return out;
}

function sameIdentity(iac: Resource, live: Resource): boolean {
  const a = identityKey(iac);
  const b = identityKey(live);
  if (a.clientId && b.clientId) return a.clientId === b.clientId;
  if (a.id && b.id) return a.id === b.id;
  return a.name !== undefined && a.name === b.name;
}

function checkAzure(ctx: RuleContext, model: Model): void {
  const identities = model.ofType(IDENTITY_TYPE);
  const live = identities.filter((r) => r.format === 'live');
  if (live.length === 0) return;
  for (const iac of identities.filter((r) => r.format !== 'live')) {
    for (const l of live.filter((r) => sameIdentity(iac, r))) compare(ctx, `managed identity ${shown(l.name)}`, sideOf(model, iac), sideOf(model, l));
  }
}

const rule: CodeRule = {
  meta: {
    id: 'iac-live-trust-drift',
    title: 'The deployed trust of an identity admits more than its IaC definition',
    severity: 'medium',
    provider: 'cross',
    tags: ['drift', 'live'],
    description: `The scan read the same identity twice: from infrastructure-as-code (an IAM role, a managed identity and
its federated credentials) and from the live cloud account. The live trust admits subjects, audiences or
issuers that the IaC definition does not: someone widened it by hand in the console or CLI, or the IaC in
the repository is not what is deployed. Reviews of the IaC then approve a trust that is not the real one,
and the next apply may silently undo (or keep) the change.

Identities are matched by role name (and account, when both sides know it) for AWS, and by client id,
resource id or name for Azure managed identities. Trusts whose IaC form cannot be resolved statically are
not compared.`,
    remediation: `Decide which side is right. If the live trust is wrong, re-apply the IaC (\`terraform apply\`, a stack update)
and find out who changed it. If the change was intended, write it into the IaC so reviews see it. Restrict
manual edits of trust policies and federated credentials (an SCP or Azure Policy), and run a live scan on a
schedule to catch drift.`,
    messages: {
      subjectsNotInIac: 'The live trust of {{identity}} admits {{what}} of {{issuer}} that its IaC definition does not: it was changed outside the IaC, or the IaC is not what is deployed.',
      issuerNotInIac: 'The live trust of {{identity}} admits tokens of {{issuer}}, an issuer its IaC definition does not trust: it was changed outside the IaC, or the IaC is not what is deployed.',
    },
    references: [
      'https://developer.hashicorp.com/terraform/tutorials/state/resource-drift',
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-cfn-stack-drift.html',
      'https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity',
    ],
    examples: {
      bad: `IaC: "StringEquals": { "<issuer>:sub": "system:serviceaccount:payments:api" }
live: "StringLike":   { "<issuer>:sub": "system:serviceaccount:payments:*" }`,
      good: `IaC and live: "StringEquals": { "<issuer>:sub": "system:serviceaccount:payments:api" }`,
    },
  },
  check(ctx) {
    checkAws(ctx, ctx.model);
    checkAzure(ctx, ctx.model);
  },
};

export default rule;
