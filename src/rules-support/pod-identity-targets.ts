/**
 * EKS Pod Identity role chaining: an association with a `targetRoleArn` gives the pod the target role, which EKS
 * assumes with the credentials of the association's role (`sts:AssumeRole` and `sts:TagSession`). The target's
 * trust must admit that role; the pod ends up with the target's permissions.
 */
import type { JsonValue, Resource } from '../model/types.js';
import type { Model } from '../model/model.js';
import { isUnknown } from '../model/unknown.js';
import { readStatements } from '../iam/policy-statements.js';
import { matchAction } from '../iam/statement-match.js';
import { RoleIndex } from './aws.js';

export interface ChainedRole {
  association: Resource;
  /** The association's own role (`roleArn`), when scanned. */
  source: Resource | undefined;
  sourceArn: JsonValue | undefined;
  /** The scanned role the pod ends up with. */
  target: Resource;
}

/** Associations whose `targetRoleArn` names a scanned role. */
export function chainedRoles(model: Model, roles: RoleIndex = RoleIndex.of(model)): ChainedRole[] {
  const out: ChainedRole[] = [];
  for (const association of model.ofType('aws.eks.PodIdentityAssociation')) {
    const body = association.body as Record<string, JsonValue>;
    if (body.targetRoleArn === undefined || body.targetRoleArn === null) continue;
    const target = roles.find(body.targetRoleArn);
    if (!target) continue;
    out.push({ association, source: roles.find(body.roleArn), sourceArn: body.roleArn, target });
  }
  return out;
}

type Tri = 'yes' | 'no' | 'unknown';

function accountOf(arn: string): string | undefined {
  return /^arn:aws[\w-]*:iam::(\d{12}):/.exec(arn)?.[1];
}

/** Whether one `Principal.AWS` value names the source role: its ARN, a reference to it, or its account. */
function namesSource(value: string | object, chain: ChainedRole): Tri {
  if (isUnknown(value)) return value.ref && chain.source && value.ref.id === chain.source.id ? 'yes' : 'unknown';
  if (typeof value !== 'string') return 'unknown';
  const sourceArn = typeof chain.sourceArn === 'string' ? chain.sourceArn : undefined;
  const scannedArn = chain.source ? (chain.source.body as Record<string, JsonValue>).Arn : undefined;
  const arns = [sourceArn, typeof scannedArn === 'string' ? scannedArn : undefined].filter((a): a is string => a !== undefined);
  if (arns.includes(value)) return 'yes';
  // The account (`arn:…:root` or its id) admits every principal of it that its own policies allow.
  const account = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(value)?.[1] ?? (/^\d{12}$/.test(value) ? value : undefined);
  if (account !== undefined) {
    const known = arns.map(accountOf).filter((a) => a !== undefined);
    return known.length === 0 ? 'unknown' : known.includes(account) ? 'yes' : 'no';
  }
  if (arns.length > 0) return 'no';
  // The source's ARN is not known (a Terraform reference), its name may be: a role of another name is another role.
  const sourceName = chain.source ? (chain.source.body as Record<string, JsonValue>).RoleName : undefined;
  const named = /^arn:aws[\w-]*:iam::\d{12}:role\/(?:.*\/)?([^/]+)$/.exec(value)?.[1];
  return typeof sourceName === 'string' && named !== undefined && named !== sourceName ? 'no' : 'unknown';
}

/**
 * Whether the target's trust lets the association's role assume it and tag the session: Allow statements for
 * `sts:AssumeRole` and for `sts:TagSession` (one statement or two) whose `Principal.AWS` names the role or its
 * account, or is `*`, and no Deny of either for it. Conditions are not evaluated (EKS sets the session's tags and
 * external id itself): a conditional Deny leaves the answer `unknown`, as does any part that is unresolved.
 */
export function targetAdmitsSource(chain: ChainedRole): Tri {
  const statements = readStatements((chain.target.body as Record<string, JsonValue>).AssumeRolePolicyDocument, '/AssumeRolePolicyDocument');
  if (statements === null) return 'unknown';
  const principals = statements.map((stmt): Tri => {
    const p = stmt.principal;
    if (!p || stmt.notPrincipal) return 'unknown';
    if (p.wildcard) return 'yes';
    const named = p.values.filter((v) => v.type === 'AWS').map((v) => namesSource(v.value, chain));
    return named.includes('yes') ? 'yes' : named.includes('unknown') || p.unknown ? 'unknown' : 'no';
  });
  const allows = (action: string): Tri => {
    let allowed: Tri = 'no';
    let denied: Tri = 'no';
    for (const [i, stmt] of statements.entries()) {
      const matched = matchAction(stmt, action);
      const principal = principals[i]!;
      if (matched === 'no' || principal === 'no') continue;
      const certain = matched === 'yes' && principal === 'yes';
      // An explicit Deny wins; one whose conditions are not evaluated, or an unresolved effect, may or may not apply.
      if (stmt.effect !== 'Allow') denied = stmt.effect === 'Deny' && certain && !stmt.conditional ? 'yes' : denied === 'yes' ? 'yes' : 'unknown';
      if (stmt.effect !== 'Deny') allowed = stmt.effect === 'Allow' && certain ? 'yes' : allowed === 'yes' ? 'yes' : 'unknown';
    }
    return denied === 'yes' ? 'no' : allowed === 'yes' && denied === 'unknown' ? 'unknown' : allowed;
  };
  const assume = allows('sts:AssumeRole');
  const tag = allows('sts:TagSession');
  return assume === 'no' || tag === 'no' ? 'no' : assume === 'yes' && tag === 'yes' ? 'yes' : 'unknown';
}
