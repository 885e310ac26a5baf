import type { CodeRule } from '../../src/engine/rule-api.js';
import { matchAction } from '../../src/iam/statement-match.js';
import { isEffective, roleDisplayName } from '../../src/rules-support/aws.js';

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithWebIdentity'];

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-principal-wildcard',
    title: 'Trust policy allows any principal to assume the role',
    severity: 'critical',
    provider: 'aws',
    tags: ['trust-policy'],
    description: `\`Principal: "*"\`, \`{"AWS": "*"}\` or \`{"Federated": "*"}\` on an \`sts:AssumeRole\` or
\`sts:AssumeRoleWithWebIdentity\` statement with no condition that narrows who the caller is: any AWS account,
or any token from any OIDC provider registered in the account, can assume the role.`,
    remediation: 'Name the principal: the OIDC provider ARN of the cluster for IRSA, `pods.eks.amazonaws.com` for EKS Pod Identity, or the exact account/role ARN; then add the `sub`/`aud` or `aws:SourceAccount` conditions.',
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html'],
  },
  check(ctx) {
    for (const role of ctx.model.ofType('aws.iam.Role')) {
      const feds = ctx.model.federationsOf(role);
      for (const st of ctx.model.trustStatementsOf(role)) {
        if (st.effect !== 'Allow' || !st.principal?.wildcard) continue;
        if (!ASSUME_ACTIONS.some((a) => matchAction(st, a) === 'yes')) continue;
        const fed = feds.find((f) => f.pointer === st.pointer);
        // Without a federation (an AWS principal) any condition may narrow who the caller is.
        const narrowed = fed ? fed.conditions.some((c) => isEffective(c)) : st.conditional;
        if (narrowed) continue;
        ctx.report({
          resource: role,
          at: st.principal.pointer,
          message: `Role ${roleDisplayName(role)} can be assumed by any principal: the statement's Principal is a wildcard and no condition narrows it.`,
        });
      }
    }
  },
};

export default rule;
