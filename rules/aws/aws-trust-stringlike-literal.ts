import type { CodeRule } from '../../src/engine/rule-api.js';
import { roleDisplayName, webIdentityFederations, wildcardValues } from '../../src/rules-support/aws.js';
import { quote } from '../../src/util/input-text.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-stringlike-literal',
    title: 'StringLike used on sub or aud without a wildcard',
    severity: 'low',
    provider: 'aws',
    tags: ['trust-policy'],
    description: `\`StringLike\` on \`<issuer>:sub\` or \`<issuer>:aud\` whose values contain no \`*\` or \`?\` behaves like
\`StringEquals\` today, but the next person to edit the value may add a wildcard without noticing that the
operator already allows it, and reviewers cannot tell intent from the operator. Not reported where a
module applies the operator chosen for a wildcard \`sub\` to a literal it generates itself.`,
    remediation: 'Use `StringEquals` for exact values; keep `StringLike` for the values that really are patterns.',
    messages: { literalPattern: 'Role {{role}} matches {{claim}} with {{operator}} but no wildcard: use StringEquals.' },
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String'],
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      for (const c of f.conditions) {
        if ((c.claim !== 'sub' && c.claim !== 'aud') || c.base !== 'StringLike' || c.negated || c.issuerMismatch) continue;
        if (c.values.length === 0 || c.values.some((v) => typeof v !== 'string')) continue;
        if (wildcardValues(c).length > 0) continue;
        if (role.generated?.includes(c.pointer)) continue;
        ctx.report({
          resource: role,
          at: c.pointer,
          messageId: 'literalPattern',
          data: { role: roleDisplayName(role), claim: quote(c.claim ?? ''), operator: c.operator },
        });
      }
    }
  },
};

export default rule;
