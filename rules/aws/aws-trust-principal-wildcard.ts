import type { CodeRule } from '../../src/engine/rule-api.js';
import { boundsCaller } from '../../src/federation/aws-condition-keys.js';
import type { Federation } from '../../src/federation/types.js';
import { isAllStars } from '../../src/federation/wildcard.js';
import type { IamStatement } from '../../src/iam/policy-statements.js';
import { matchAction } from '../../src/iam/statement-match.js';
import { claimConditions, isEffective, roleDisplayName } from '../../src/rules-support/aws.js';

/** An AssumeRole caller named by a wildcard is any principal of any account unless a caller key bounds it. */
function assumeRoleOpen(st: IamStatement): boolean {
  if (matchAction(st, 'sts:AssumeRole') !== 'yes') return false;
  return !st.condition.tests.some(boundsCaller);
}

/**
 * A web-identity caller named by a wildcard is any token of any OIDC provider of the account.
 * Only a `sub` of one issuer narrows it (the caller keys are never in such a request: a positive
 * test on one makes the statement dead, which `aws-trust-unsatisfiable` reports).
 */
function webIdentityOpen(f: Federation | undefined): boolean {
  if (!f || f.unsatisfiable || f.subject.unknown) return false;
  return !claimConditions(f, 'sub').some((c) => isEffective(c) && !(c.base.includes('Like') && c.values.every((v) => typeof v === 'string' && isAllStars(v))));
}

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-principal-wildcard',
    title: 'Trust policy allows any principal to assume the role',
    severity: 'critical',
    provider: 'aws',
    tags: ['trust-policy'],
    description: `\`Principal: "*"\`, \`{"AWS": "*"}\` or \`{"Federated": "*"}\` on an \`sts:AssumeRole\` or
\`sts:AssumeRoleWithWebIdentity\` statement with no condition that bounds who the caller is: any AWS account,
or any token from any OIDC provider registered in the account, can assume the role.

Only conditions on who calls narrow it: a positive \`StringEquals\`/\`StringLike\`/\`ArnEquals\`/\`ArnLike\` on
\`aws:PrincipalAccount\`, \`aws:PrincipalOrgID\`, \`aws:PrincipalOrgPaths\`, \`aws:PrincipalArn\`, \`aws:userid\`,
\`aws:SourceAccount\`, \`aws:SourceArn\`, \`aws:SourceOrgID\`, \`aws:SourceOrgPaths\` or \`sts:ExternalId\` none of
whose values has a wildcard before the account or organization is fixed (\`arn:aws:iam::*:role/deploy\` and
\`o-*\` do not narrow), or, for web identity, a positive condition on one issuer's \`sub\` other than a bare
\`*\`. \`aws:SecureTransport\`, \`aws:RequestedRegion\`, the MFA keys, network keys and \`aws:PrincipalTag/*\`
(the caller's own account sets its tags) do not, nor does a caller key under a negated operator, \`Null\`,
\`…IfExists\` or \`ForAllValues:\` (a caller without the key passes). A web-identity statement that tests a
caller key is dead rather than open (such keys are never in a web-identity request): \`aws-trust-unsatisfiable\`
reports it. A statement whose conditions, or the values of a caller key, cannot be resolved is not reported.
An account principal (\`arn:aws:iam::<account>:root\`) is not a wildcard: it delegates to
that account's own IAM policies and is out of scope here (Checkov's CKV_AWS_61 reports it).`,
    remediation: 'Name the principal: the OIDC provider ARN of the cluster for IRSA, `pods.eks.amazonaws.com` for EKS Pod Identity, or the exact account/role ARN; then add the `sub`/`aud` or `aws:SourceAccount` conditions. If the wildcard must stay, bound the caller with `aws:PrincipalOrgID` or `aws:PrincipalAccount`.',
    messages: {
      wildcardPrincipal: "Role {{role}} can be assumed by {{who}}: the statement's Principal is a wildcard and no condition bounds who calls.",
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
    ],
  },
  check(ctx) {
    for (const role of ctx.model.ofType('aws.iam.Role')) {
      const feds = ctx.model.federationsOf(role);
      for (const st of ctx.model.trustStatementsOf(role)) {
        if (st.effect !== 'Allow' || !st.principal?.wildcard || st.condition.unresolved) continue;
        const assume = assumeRoleOpen(st);
        const web = webIdentityOpen(feds.find((f) => f.pointer === st.pointer && f.principalWildcard));
        if (!assume && !web) continue;
        const who = assume && web ? 'any principal' : assume ? 'any AWS principal of any account' : 'any token of any OIDC provider in the account';
        ctx.report({
          resource: role,
          at: st.principal.pointer,
          messageId: 'wildcardPrincipal', data: { role: roleDisplayName(role), who },
        });
      }
    }
  },
};

export default rule;
