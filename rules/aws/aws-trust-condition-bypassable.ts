import type { CodeRule } from '../../src/engine/rule-api.js';
import type { ConditionUse } from '../../src/federation/types.js';
import { isEffective, roleDisplayName, webIdentityFederations } from '../../src/rules-support/aws.js';
import { quote } from '../../src/util/input-text.js';

function why(c: ConditionUse): string {
  if (c.tautology) return `${c.operator} compares ${quote(c.claim ?? '')} with its own policy variable, which every token satisfies`;
  if (c.issuerMismatch) return `${c.operator} names another issuer's ${quote(c.claim ?? '')}, so it never applies to these tokens`;
  return `${c.operator} only excludes values; every other ${quote(c.claim ?? '')} is admitted`;
}

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-condition-bypassable',
    title: 'sub or aud is constrained only by conditions almost every token satisfies',
    severity: 'high',
    provider: 'aws',
    tags: ['irsa', 'trust-policy'],
    description: `The statement has conditions on \`sub\` or \`aud\`, but none of them narrows the claim to a known set:
they are negated operators (\`StringNotEquals\`, \`StringNotLike\`) that only exclude some values, conditions
on another issuer's keys combined with negated operators (which never apply), or a policy variable that
compares the claim with itself (\`"\${<issuer>:sub}"\`). The role looks restricted in review but admits
nearly every token of the issuer. \`…IfExists\` and \`ForAllValues:\` on \`sub\`/\`aud\` are not reported:
Kubernetes tokens always carry both claims.`,
    remediation: 'Replace the condition with a positive `StringEquals` listing the exact ServiceAccounts (`sub`) and `sts.amazonaws.com` (`aud`); keep negated conditions only as an extra exclusion.',
    messages: {
      bypassable: 'Role {{role}}: {{why}}.',
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html',
    ],
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      if (f.issuer.kind === 'other-known') continue;
      for (const claim of ['sub', 'aud']) {
        const all = f.conditions.filter((c) => c.claim === claim);
        if (all.length === 0) continue;
        if (all.some((c) => isEffective(c) && !c.issuerMismatch)) continue;
        const weak = all.filter((c) => c.negated || c.tautology);
        if (weak.length === 0) continue;
        const first = weak[0]!;
        ctx.report({
          resource: role,
          at: first.pointer,
          key: claim,
          messageId: 'bypassable', data: { role: roleDisplayName(role), why: why(first) },
        });
      }
    }
  },
};

export default rule;
