import type { CodeRule } from '../../src/engine/rule-api.js';
import { roleFederations, roleDisplayName } from '../../src/rules-support/aws.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-unsatisfiable',
    title: 'A trust statement no token can satisfy',
    severity: 'low',
    provider: 'aws',
    tags: ['trust-policy'],
    description: `No token can satisfy the statement: a \`*\` under \`StringEquals\` (which matches only the literal
star), contradictory conditions on the same claim, or \`Null\` requiring a claim that every token carries to be
absent. The role is dead for this issuer, or will break silently when someone "fixes" it. When the cause is a
condition on another issuer's keys, only \`aws-trust-issuer-mismatch\` is reported.`,
    remediation: 'Fix the conditions so they name the intended ServiceAccount exactly (`StringEquals`), or remove the statement if the trust is not needed.',
    references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html'],
  },
  check(ctx) {
    for (const { role, federation: f } of roleFederations(ctx.model)) {
      if (!f.unsatisfiable) continue;
      if (f.conditions.some((c) => c.issuerMismatch && !c.negated)) continue;
      ctx.report({ resource: role, at: f.pointer, message: `Role ${roleDisplayName(role)}: no token can satisfy this statement: ${f.unsatisfiable}.` });
    }
  },
};

export default rule;
