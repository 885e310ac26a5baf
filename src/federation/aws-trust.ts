/** The federations of an IAM role: who can obtain it by web identity or EKS Pod Identity. */
import type { InventoryIndex } from '../model/types.js';
import type { CoverageNote, JsonObject, Resource } from '../model/types.js';
import { join } from '../util/pointer.js';
import { principalValues, readPolicy, type IamStatement } from '../iam/policy-statements.js';
import { matchAction } from '../iam/statement-match.js';
import { evaluateClaims, patternsOf, requiresKeyAbsent, requiresKeyPresent } from './aws-condition-eval.js';
import { webIdentityKeyPresence } from './aws-condition-keys.js';
import { readConditions } from './aws-conditions.js';
import { ciIssuerById, subjectPin } from './ci-issuers.js';
import { issuerDisplayName, resolveIssuerDetailed, sameIssuer } from './issuers.js';
import { positionOf } from '../model/locate.js';
import { BudgetExceededError, STEP_BUDGET } from './automaton.js';
import { emptiness, intersect, SUBJECT_PREFIX, subtract } from './matcher.js';
import type { ConditionUse, Federation, Issuer, Matcher, Pattern } from './types.js';
import { quote, quoteEach, shown } from '../util/input-text.js';

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
 * one for each claim whose emptiness was not decided within the step budget. `statementsOf` reads
 * the trust policy (the model passes its cache, which the principal and action rules read too).
 */
export function analyzeAwsTrust(role: Resource, index: InventoryIndex, notes?: CoverageNote[], statementsOf: (role: Resource) => IamStatement[] = trustStatements): Federation[] {
  try {
    return analyze(statementsOf(role), role, index, notes ?? []);
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

/**
 * The statements of a role's trust policy, with their pointers. IAM rejects `NotPrincipal` in a
 * role trust policy, so statements with one are left out: they grant or deny nothing here.
 */
export function trustStatements(role: Resource): IamStatement[] {
  const body = role.body as JsonObject | null;
  const document = body !== null && typeof body === 'object' ? body['AssumeRolePolicyDocument'] : undefined;
  return readPolicy(document, DOCUMENT_POINTER).statements.filter((s) => !s.notPrincipal);
}

/** Whether any token satisfies a claim's conditions was not decided within the step budget. */
function undecidedClaim(role: Resource, stmt: IamStatement, claim: 'sub' | 'aud'): CoverageNote {
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

function analyze(statements: IamStatement[], role: Resource, index: InventoryIndex, notes: CoverageNote[]): Federation[] {
  const denies = statements.filter((s) => s.effect === 'Deny' && matchAction(s, WEB_IDENTITY) === 'yes');
  const out: Federation[] = [];
  for (const stmt of statements) {
    if (stmt.effect !== 'Allow') continue;
    const uses = readConditions(stmt.condition, index);
    const webIdentity = matchAction(stmt, WEB_IDENTITY);
    for (const principal of principalValues(stmt.principal, 'Federated')) {
      if (typeof principal === 'string' && /:saml-provider\//.test(principal)) continue;
      // A federated principal serves only web identity (or SAML): an unresolved action list still counts.
      if (webIdentity === 'no') continue;
      const resolved = resolveIssuerDetailed(principal, index);
      const stmtIssuer = resolved.resolved ? resolved : issuerFromKeys(uses) ?? resolved;
      out.push(webIdentityFederation(role, stmt, uses, stmtIssuer, denies, index, false, notes));
    }
    if (stmt.principal?.wildcard && webIdentity === 'yes') {
      const stmtIssuer = issuerFromKeys(uses) ?? { issuer: { key: '*', kind: 'unknown' as const }, resolved: false };
      out.push(webIdentityFederation(role, stmt, uses, stmtIssuer, denies, index, true, notes));
    }
    const podIdentity = principalValues(stmt.principal, 'Service').some((s) => typeof s === 'string' && s.toLowerCase() === POD_IDENTITY_SERVICE);
    if (podIdentity && (matchAction(stmt, 'sts:AssumeRole') === 'yes' || matchAction(stmt, 'sts:TagSession') === 'yes')) {
      out.push(podIdentityFederation(role, stmt, uses));
    }
  }
  return out;
}

function webIdentityFederation(
  role: Resource,
  stmt: IamStatement,
  uses: ConditionUse[],
  stmtIssuer: StatementIssuer,
  denies: IamStatement[],
  index: InventoryIndex,
  principalWildcard: boolean,
  notes: CoverageNote[],
): Federation {
  const issuer = { ...stmtIssuer.issuer };
  const conditions = uses.map((u) => ({ ...u, issuerMismatch: isMismatch(u, stmtIssuer) }));
  const own = conditions.filter((u) => !u.issuerMismatch);
  const claims = evaluateClaims(own);
  if (stmt.condition.unresolved) {
    claims.subject = { ...claims.subject, unknown: true };
    claims.audience = { ...claims.audience, unknown: true };
  }
  let unsatisfiable = mismatchReason(conditions, issuer) ?? missingKeyReason(own) ?? claims.unsatisfiable;

  let subject = claims.subject;
  for (const deny of denies) {
    const applied = applyDeny(deny, subject, stmtIssuer, index);
    subject = applied.subject;
    unsatisfiable ??= applied.unsatisfiable;
  }

  if (issuer.kind === 'unknown' && trustsServiceAccounts(subject)) issuer.kind = 'kubernetes';
  const claimTests = [
    ['sub', subject, impossibleSubjects(subject, issuer), issuer.kind === 'kubernetes'],
    ['aud', claims.audience, impossibleValues(claims.audience), false],
  ] as const;
  for (const [claim, matcher, impossible, kubernetes] of claimTests) {
    if (unsatisfiable !== undefined) break;
    const empty = emptiness(subtract(matcher, impossible), kubernetes ? 'kubernetes-subject' : 'any');
    if (empty === 'undecided') notes.push(undecidedClaim(role, stmt, claim));
    else if (empty) unsatisfiable = emptyClaimReason(claim, impossible);
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

function podIdentityFederation(role: Resource, stmt: IamStatement, uses: ConditionUse[]): Federation {
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
  if (stmt.principal?.wildcard) federation.principalWildcard = true;
  return federation;
}

/** For a principal that names no issuer: the issuer named by its first `sub`/`aud` key. */
function issuerFromKeys(uses: ConditionUse[]): StatementIssuer | undefined {
  const use = uses.find((u) => (u.claim === 'sub' || u.claim === 'aud') && u.keyIssuer);
  return use?.keyIssuer ? { issuer: use.keyIssuer, resolved: true } : undefined;
}

function isMismatch(use: ConditionUse, stmtIssuer: StatementIssuer): boolean {
  const named = use.keyIssuer;
  if (named === undefined || !stmtIssuer.resolved || sameIssuer(named, stmtIssuer.issuer)) return false;
  // A provider whose URL is not resolved may have any host: only two hosts, or two providers, differ for sure.
  return (named.host === undefined) === (stmtIssuer.issuer.host === undefined);
}

/** A key of another issuer is absent from this issuer's tokens: operators that need it fail. */
function mismatchReason(conditions: ConditionUse[], issuer: Issuer): string | undefined {
  const use = conditions.find((u) => u.issuerMismatch && requiresKeyPresent(u));
  if (!use) return undefined;
  return `issuer mismatch: condition key ${quote(use.key)} names ${use.keyIssuer ? shown(issuerDisplayName(use.keyIssuer)) : 'another issuer'}, not the statement's issuer ${shown(issuerDisplayName(issuer))}; its tokens never carry that key`;
}

/**
 * A condition no web-identity request passes: a positive test of a key STS never puts in the
 * request context (for this issuer's tokens), or `Null: "true"` on a key it always puts there.
 */
function missingKeyReason(own: ConditionUse[]): string | undefined {
  for (const use of own) {
    const presence = webIdentityKeyPresence(use);
    if (presence === 'never' && requiresKeyPresent(use)) {
      return `condition key ${quote(use.key)} is never in the request context of a web-identity request, and ${use.operator} on a missing key is false`;
    }
    if (presence === 'always' && requiresKeyAbsent(use)) return `Null on ${quote(use.key)} requires the key to be absent, but every web-identity request carries it`;
  }
  return undefined;
}

/** Allowed literals no token carries: `*` (under `StringEquals` a literal star, not a wildcard). */
function impossibleValues(m: Matcher): Pattern[] {
  return (m.allow ?? []).filter((p) => !p.wildcard && p.value === '*');
}

/** As {@link impossibleValues}, and CI subjects with `*` where a repository or owner name belongs. */
function impossibleSubjects(subject: Matcher, issuer: Issuer): Pattern[] {
  const ci = issuer.kind === 'ci' ? ciIssuerById(issuer.ci) : undefined;
  if (!ci) return impossibleValues(subject);
  return (subject.allow ?? []).filter((p) => !p.wildcard && (p.value === '*' || subjectPin(ci, p.value, false).impossible === true));
}

function emptyClaimReason(claim: 'sub' | 'aud', impossible: Pattern[]): string {
  const reason = `no token ${claim === 'sub' ? 'subject' : 'audience'} satisfies the conditions on ${claim}`;
  if (impossible.length === 0) return reason;
  const values = quoteEach(impossible.map((p) => p.value));
  if (!impossible.some((p) => /[*?]/.test(p.value))) return `${reason}: the issuer never issues ${values}`;
  return `${reason}: ${values} ${impossible.length === 1 ? 'is' : 'are'} compared literally (no wildcard under StringEquals), and no token carries ${impossible.length === 1 ? 'it' : 'them'}`;
}

/**
 * Subtracts what a Deny statement for the same issuer takes away. Only Deny statements whose
 * conditions are one string operator on `sub` are modelled; others are ignored, which can only
 * make the subject wider than it is.
 */
function applyDeny(
  deny: IamStatement,
  subject: Matcher,
  stmtIssuer: StatementIssuer,
  index: InventoryIndex,
): { subject: Matcher; unsatisfiable?: string } {
  if (!denyAppliesTo(deny, stmtIssuer, index)) return { subject };
  if (!deny.conditional) return { subject, unsatisfiable: `the Deny statement at ${deny.pointer} denies every token` };
  const uses = readConditions(deny.condition, index);
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

function denyAppliesTo(deny: IamStatement, stmtIssuer: StatementIssuer, index: InventoryIndex): boolean {
  if (deny.principal?.wildcard) return true;
  if (!stmtIssuer.resolved) return false;
  return principalValues(deny.principal, 'Federated').some((p) => {
    const r = resolveIssuerDetailed(p, index);
    return r.resolved && sameIssuer(r.issuer, stmtIssuer.issuer);
  });
}

function trustsServiceAccounts(subject: Matcher): boolean {
  const patterns = [...(subject.allow ?? []), ...(subject.allowAlso ?? []).flat()];
  return patterns.some((p) => p.value.toLowerCase().startsWith(SUBJECT_PREFIX));
}

/** Where a condition belongs: the statement's `Condition` block (even an empty one), else its `Principal`. */
function conditionPointer(stmt: IamStatement): string {
  return stmt.condition.pointer ?? join(stmt.pointer, 'Principal');
}

function actionStrings(stmt: IamStatement): string[] {
  return stmt.actions.known.map((a) => a.value);
}
