/** The federations of an IAM role: who can obtain it by web identity or EKS Pod Identity. */
import type { InventoryIndex } from '../model/model.js';
import type { CoverageNote, JsonValue, Resource, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { join } from '../util/pointer.js';
import { evaluateClaims, patternsOf, requiresKeyPresent } from './aws-condition-eval.js';
import { readConditions } from './aws-conditions.js';
import { asRecord, coversAction, statementsOf, type PolicyStatement } from './aws-policy.js';
import { resolveIssuerDetailed, sameIssuer } from './issuers.js';
import { positionOf } from '../engine/locate.js';
import { BudgetExceededError, STEP_BUDGET } from './automaton.js';
import { emptiness, intersect, SUBJECT_PREFIX, subtract } from './matcher.js';
import type { ConditionUse, Federation, Issuer, Matcher } from './types.js';
import { quote, shown } from '../util/input-text.js';

const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';
const POD_IDENTITY_SERVICE = 'pods.eks.amazonaws.com';
const DOCUMENT_POINTER = '/AssumeRolePolicyDocument';

interface StatementIssuer {
  issuer: Issuer;
  /** False when nothing identifies the issuer: no key can then be a mismatch. */
  resolved: boolean;
}

/**
 * A document the analysis cannot handle yields no federation rather than failing the whole
 * scan; `notes`, when given, receives a warning naming the role so the gap is not silent, and
 * one for each claim whose emptiness was not decided within the step budget.
 */
export function analyzeAwsTrust(role: Resource, index: InventoryIndex, notes?: CoverageNote[]): Federation[] {
  try {
    return analyze(role, index, notes ?? []);
  } catch (e) {
    notes?.push(analysisFailure(role, e));
    return [];
  }
}

function analysisFailure(role: Resource, error: unknown): CoverageNote {
  const reason = error instanceof Error ? error.message : String(error);
  const note: CoverageNote = { kind: 'unsupported', level: 'warning', file: role.file, message: `${shown(role.name)}: trust policy could not be analysed: ${shown(reason)}` };
  const docPos = role.positions[DOCUMENT_POINTER];
  const pos = docPos && docPos.file === undefined ? docPos : role.positions[''];
  if (pos && pos.file === undefined) {
    note.line = pos.line;
    note.column = pos.column;
  }
  return note;
}

/** Whether any token satisfies a claim's conditions was not decided within the step budget. */
function undecidedClaim(role: Resource, stmt: PolicyStatement, claim: 'sub' | 'aud'): CoverageNote {
  const pos = positionOf(role, stmt.pointer);
  const note: CoverageNote = {
    kind: 'limit',
    level: 'warning',
    file: pos?.file ?? role.file,
    message: `${shown(role.name)}: whether any token satisfies the conditions on ${claim} was not decided (${new BudgetExceededError(STEP_BUDGET).message}); the statement is analysed as satisfiable`,
  };
  if (pos) note.line = pos.line;
  return note;
}

/** The statements of a role's trust policy as written, with their pointers (a document kept as a JSON string is decoded). */
export function trustStatements(role: Resource): PolicyStatement[] {
  return statementsOf(decodeDocument(asRecord(role.body)?.['AssumeRolePolicyDocument']), DOCUMENT_POINTER);
}

function analyze(role: Resource, index: InventoryIndex, notes: CoverageNote[]): Federation[] {
  const statements = trustStatements(role);
  const denies = statements.filter((s) => s.effect === 'Deny' && coversAction(s, WEB_IDENTITY) === true);
  const out: Federation[] = [];
  for (const stmt of statements) {
    if (stmt.effect !== 'Allow') continue;
    const uses = readConditions(stmt.body['Condition'], stmt.pointer, index);
    const webIdentity = coversAction(stmt, WEB_IDENTITY);
    for (const principal of stmt.principal.federated) {
      if (typeof principal === 'string' && /:saml-provider\//.test(principal)) continue;
      // A federated principal serves only web identity (or SAML): an unresolved action list still counts.
      if (webIdentity === false) continue;
      const resolved = resolveIssuerDetailed(principal, index);
      const stmtIssuer = resolved.resolved ? resolved : issuerFromKeys(uses) ?? resolved;
      out.push(webIdentityFederation(role, stmt, uses, stmtIssuer, denies, index, false, notes));
    }
    if (stmt.principal.wildcard && webIdentity === true) {
      const stmtIssuer = issuerFromKeys(uses) ?? { issuer: { key: '*', kind: 'unknown' as const }, resolved: false };
      out.push(webIdentityFederation(role, stmt, uses, stmtIssuer, denies, index, true, notes));
    }
    const podIdentity = stmt.principal.services.some((s) => typeof s === 'string' && s.toLowerCase() === POD_IDENTITY_SERVICE);
    if (podIdentity && (coversAction(stmt, 'sts:AssumeRole') === true || coversAction(stmt, 'sts:TagSession') === true)) {
      out.push(podIdentityFederation(role, stmt, uses));
    }
  }
  return out;
}

function webIdentityFederation(
  role: Resource,
  stmt: PolicyStatement,
  uses: ConditionUse[],
  stmtIssuer: StatementIssuer,
  denies: PolicyStatement[],
  index: InventoryIndex,
  principalWildcard: boolean,
  notes: CoverageNote[],
): Federation {
  const issuer = { ...stmtIssuer.issuer };
  const conditions = uses.map((u) => ({ ...u, issuerMismatch: isMismatch(u, stmtIssuer) }));
  const own = conditions.filter((u) => !u.issuerMismatch);
  const claims = evaluateClaims(own);
  if (hasUnresolvedBlock(stmt.body['Condition'])) {
    claims.subject = { ...claims.subject, unknown: true };
    claims.audience = { ...claims.audience, unknown: true };
  }
  let unsatisfiable = mismatchReason(conditions, issuer) ?? claims.unsatisfiable;

  let subject = claims.subject;
  for (const deny of denies) {
    const applied = applyDeny(deny, subject, stmtIssuer, index);
    subject = applied.subject;
    unsatisfiable ??= applied.unsatisfiable;
  }

  if (issuer.kind === 'unknown' && trustsServiceAccounts(subject)) issuer.kind = 'kubernetes';
  const noSubject = unsatisfiable === undefined ? emptiness(subject, issuer.kind === 'kubernetes' ? 'kubernetes-subject' : 'any') : false;
  if (noSubject === true) unsatisfiable = 'no token subject satisfies the conditions on sub';
  const noAudience = unsatisfiable === undefined ? emptiness(claims.audience) : false;
  if (noAudience === true) unsatisfiable = 'no token audience satisfies the conditions on aud';
  for (const [claim, decision] of [['sub', noSubject], ['aud', noAudience]] as const) {
    if (decision === 'undecided') notes.push(undecidedClaim(role, stmt, claim));
  }

  const federation: Federation = {
    identityId: role.id,
    cloud: 'aws',
    mechanism: issuer.kind === 'kubernetes' ? 'irsa' : 'web-identity',
    issuer,
    subject,
    audience: claims.audience,
    pointer: stmt.pointer,
    conditionPointer: conditionPointer(stmt),
    conditions,
    actions: actionStrings(stmt),
  };
  if (principalWildcard) federation.principalWildcard = true;
  if (unsatisfiable !== undefined) federation.unsatisfiable = unsatisfiable;
  return federation;
}

function podIdentityFederation(role: Resource, stmt: PolicyStatement, uses: ConditionUse[]): Federation {
  const federation: Federation = {
    identityId: role.id,
    cloud: 'aws',
    mechanism: 'pod-identity',
    issuer: { key: POD_IDENTITY_SERVICE, host: POD_IDENTITY_SERVICE, kind: 'kubernetes' },
    subject: { allow: null, deny: [], unknown: false },
    audience: { allow: null, deny: [], unknown: false },
    pointer: stmt.pointer,
    conditionPointer: conditionPointer(stmt),
    conditions: uses,
    actions: actionStrings(stmt),
  };
  if (stmt.principal.wildcard) federation.principalWildcard = true;
  return federation;
}

/** For a principal that names no issuer: the issuer named by its first `sub`/`aud` key. */
function issuerFromKeys(uses: ConditionUse[]): StatementIssuer | undefined {
  const use = uses.find((u) => (u.claim === 'sub' || u.claim === 'aud') && u.keyIssuer);
  return use?.keyIssuer ? { issuer: use.keyIssuer, resolved: true } : undefined;
}

function isMismatch(use: ConditionUse, stmtIssuer: StatementIssuer): boolean {
  return use.keyIssuer !== undefined && stmtIssuer.resolved && !sameIssuer(use.keyIssuer, stmtIssuer.issuer);
}

/** A key of another issuer is absent from this issuer's tokens: operators that need it fail. */
function mismatchReason(conditions: ConditionUse[], issuer: Issuer): string | undefined {
  const use = conditions.find((u) => u.issuerMismatch && requiresKeyPresent(u));
  if (!use) return undefined;
  return `issuer mismatch: condition key ${quote(use.key)} names issuer ${shown(use.keyIssuer?.key ?? '')}, not the statement's issuer ${shown(issuer.key)}; its tokens never carry that key`;
}

/**
 * Subtracts what a Deny statement for the same issuer takes away. Only Deny statements whose
 * conditions are one string operator on `sub` are modelled; others are ignored, which can only
 * make the subject wider than it is.
 */
function applyDeny(
  deny: PolicyStatement,
  subject: Matcher,
  stmtIssuer: StatementIssuer,
  index: InventoryIndex,
): { subject: Matcher; unsatisfiable?: string } {
  if (!denyAppliesTo(deny, stmtIssuer, index)) return { subject };
  if (!deny.hasCondition) return { subject, unsatisfiable: `the Deny statement at ${deny.pointer} denies every token` };
  const uses = readConditions(deny.body['Condition'], deny.pointer, index);
  if (uses.length !== 1) return { subject };
  const use = uses[0]!;
  if (use.claim !== 'sub' || isMismatch(use, stmtIssuer) || use.tautology) return { subject };
  const { patterns, unknown } = patternsOf(use);
  if (['StringEquals', 'StringLike', 'StringEqualsIgnoreCase'].includes(use.base)) return { subject: subtract(subject, patterns, unknown) };
  if (['StringNotEquals', 'StringNotLike', 'StringNotEqualsIgnoreCase'].includes(use.base)) {
    // Denying every subject outside the values keeps only those values.
    return { subject: intersect(subject, { allow: patterns, deny: [], unknown }) };
  }
  return { subject };
}

function denyAppliesTo(deny: PolicyStatement, stmtIssuer: StatementIssuer, index: InventoryIndex): boolean {
  if (deny.principal.wildcard) return true;
  if (!stmtIssuer.resolved) return false;
  return deny.principal.federated.some((p) => {
    const r = resolveIssuerDetailed(p, index);
    return r.resolved && sameIssuer(r.issuer, stmtIssuer.issuer);
  });
}

/** A Condition block, or an operator's block, that is unresolved as a whole may constrain anything. */
function hasUnresolvedBlock(condition: JsonValue | undefined): boolean {
  if (isUnknown(condition)) return true;
  const block = asRecord(condition);
  return block !== undefined && Object.values(block).some((v) => isUnknown(v));
}

function trustsServiceAccounts(subject: Matcher): boolean {
  const patterns = [...(subject.allow ?? []), ...(subject.allowAlso ?? []).flat()];
  return patterns.some((p) => p.value.toLowerCase().startsWith(SUBJECT_PREFIX));
}

function conditionPointer(stmt: PolicyStatement): string {
  return join(stmt.pointer, stmt.hasCondition ? 'Condition' : 'Principal');
}

function actionStrings(stmt: PolicyStatement): string[] {
  return stmt.actions.filter((a): a is string => typeof a === 'string');
}

/** The trust document, decoding a JSON string when a source kept it encoded. */
function decodeDocument(doc: JsonValue | Unknown | undefined): JsonValue | undefined {
  if (typeof doc !== 'string') return isUnknown(doc) ? undefined : doc;
  try {
    return JSON.parse(decodeURIComponent(doc)) as JsonValue;
  } catch {
    try {
      return JSON.parse(doc) as JsonValue;
    } catch {
      return undefined;
    }
  }
}
