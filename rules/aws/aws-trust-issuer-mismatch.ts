import type { CodeRule } from '../../src/engine/rule-api.js';
import { requiresKeyPresent } from '../../src/federation/aws-condition-eval.js';
import { displayIssuer, roleDisplayName, webIdentityFederations } from '../../src/rules-support/aws.js';
import { quote, shown } from '../../src/util/input-text.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-issuer-mismatch',
    title: "Condition keys name another issuer than the statement's federated provider",
    severity: 'medium',
    provider: 'aws',
    tags: ['irsa', 'trust-policy'],
    description: `The statement trusts one OIDC provider but its condition keys (\`<issuer>:sub\`, \`<issuer>:aud\`) name a
different issuer — usually a trust policy copied from another cluster. With positive operators no token of the
trusted provider satisfies the statement, so the role is broken for that cluster; with negated operators the
restriction never applies (then \`aws-trust-condition-bypassable\` is reported too).`,
    remediation: "Make the condition keys use the same issuer as `Principal.Federated` (the OIDC provider's URL without `https://`).",
    messages: {
      neverSatisfied: 'Role {{role}} trusts {{issuer}} but its condition {{key}} names {{other}}: no token of the trusted provider satisfies it.',
      neverApplies: 'Role {{role}} trusts {{issuer}} but its condition {{key}} names {{other}}: the restriction never applies to these tokens.',
    },
    references: ['https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html'],
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      const mismatched = f.conditions.filter((c) => c.issuerMismatch);
      const first = mismatched[0];
      if (!first) continue;
      const other = first.keyIssuer?.host ?? first.key.replace(/:[^:]*$/, '');
      ctx.report({
        resource: role,
        at: first.pointer,
        messageId: requiresKeyPresent(first) ? 'neverSatisfied' : 'neverApplies',
        data: { role: roleDisplayName(role), issuer: displayIssuer(f), key: quote(first.key), other: shown(other) },
      });
    }
  },
};

export default rule;
