/** The federations of an IAM role: who can obtain it by web identity or EKS Pod Identity. */
import type { InventoryIndex } from '../model/types.js';
import type { CoverageNote, JsonObject, Resource } from '../model/types.js';
import { join } from '../util/pointer.js';
import { principalValues, readPolicy, type IamStatement } from '../iam/policy-statements.js';
import { matchAction } from '../iam/statement-match.js';
import { evaluateClaims, patternsOf, requiresKeyPresent } from './aws-condition-eval.js';
import { readConditions } from './aws-conditions.js';
import { resolveIssuerDetailed, sameIssuer } from './issuers.js';
import { intersect, isEmpty, SUBJECT_PREFIX, subtract } from './matcher.js';
import type { ConditionUse, Federation, Issuer, Matcher } from './types.js';

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
 * scan; `notes`, when given, receives a warning naming the role so the gap is not silent.
 */
export function analyzeAwsTrust(role: Resource, index: InventoryIndex, notes?: CoverageNote[]): Federation[] {
  try {
    return analyze(role, index);
  } catch (e) {
    notes?.push(analysisFailure(role, e));
    return [];
  }
}

function analysisFailure(role: Resource, error: unknown): CoverageNote {
  const reason = error instanceof Error ? error.message : String(error);
  const note: CoverageNote = { kind: 'unsupported', level: 'warning', file: role.file, message: `${role.name}: trust policy could not be analysed: ${reason}` };
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

function analyze(role: Resource, index: InventoryIndex): Federation[] {
  const statements = trustStatements(role);
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
      out.push(webIdentityFederation(role, stmt, uses, stmtIssuer, denies, index, false));
    }
    if (stmt.principal?.wildcard && webIdentity === 'yes') {
      const stmtIssuer = issuerFromKeys(uses) ?? { issuer: { key: '*', kind: 'unknown' as const }, resolved: false };
      out.push(webIdentityFederation(role, stmt, uses, stmtIssuer, denies, index, true));
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
): Federation {
  const issuer = { ...stmtIssuer.issuer };
  const conditions = uses.map((u) => ({ ...u, issuerMismatch: isMismatch(u, stmtIssuer) }));
  const own = conditions.filter((u) => !u.issuerMismatch);
  const claims = evaluateClaims(own);
  if (stmt.condition.unresolved) {
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
  if (unsatisfiable === undefined && isEmpty(subject, issuer.kind === 'kubernetes' ? 'kubernetes-subject' : 'any')) {
    unsatisfiable = 'no token subject satisfies the conditions on sub';
  }
  if (unsatisfiable === undefined && isEmpty(claims.audience)) unsatisfiable = 'no token audience satisfies the conditions on aud';

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
  return use.keyIssuer !== undefined && stmtIssuer.resolved && !sameIssuer(use.keyIssuer, stmtIssuer.issuer);
}

/** A key of another issuer is absent from this issuer's tokens: operators that need it fail. */
function mismatchReason(conditions: ConditionUse[], issuer: Issuer): string | undefined {
  const use = conditions.find((u) => u.issuerMismatch && requiresKeyPresent(u));
  if (!use) return undefined;
  return `issuer mismatch: condition key "${use.key}" names issuer ${use.keyIssuer?.key}, not the statement's issuer ${issuer.key}; its tokens never carry that key`;
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
