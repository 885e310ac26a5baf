import type { CodeRule } from '../../src/engine/rule-api.js';
import { claimConditions, displayIssuer, isEffective, roleDisplayName, valuePointer, webIdentityFederations, wildcardValues } from '../../src/rules-support/aws.js';
import { subjectNamespaces } from '../../src/federation/matcher.js';
import { quoteEach, shown } from '../../src/util/input-text.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-sub-wildcard',
    title: 'Subject condition of a Kubernetes web-identity trust uses a wildcard',
    severity: 'critical',
    lowestSeverity: 'high',
    provider: 'aws',
    tags: ['irsa', 'trust-policy'],
    description: `The trust statement matches the token's \`sub\` with a pattern (\`StringLike\` with \`*\` or \`?\`), so more
than one ServiceAccount can assume the role. IAM ORs the values of one condition, so a single wildcard
value among several exact ones widens the whole condition.

Critical when the pattern admits two or more namespaces (\`system:serviceaccount:*\`,
\`system:serviceaccount:team-*:app\`, \`*\`): whoever can create a ServiceAccount in any matching namespace
gets the role. High when it stays within one namespace (\`system:serviceaccount:payments:*\`): every
ServiceAccount of that namespace, present or future, gets it. Not reported when an exact \`StringEquals\`
on the same claim narrows the pattern (IAM requires both).`,
    remediation: `List the exact ServiceAccounts with \`StringEquals\`: \`system:serviceaccount:<namespace>:<name>\` (several
values are fine). If several workloads really need the same permissions, give each its own role or use one
dedicated ServiceAccount for them.`,
    messages: {
      wildcardSubject: 'Role {{role}} admits tokens of {{issuer}} whose subject matches {{patterns}}: {{who}}, present or future, can assume it.',
    },
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String',
    ],
    examples: {
      bad: `"StringLike": { "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub": "system:serviceaccount:*:reporting" }`,
      good: `"StringEquals": { "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub": "system:serviceaccount:reporting:reporting" }`,
    },
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      if (f.issuer.kind !== 'kubernetes' || f.unsatisfiable) continue;
      const subs = claimConditions(f, 'sub');
      // IAM ANDs the operators: an exact StringEquals next to the pattern narrows it to those names.
      if (subs.some((c) => isEffective(c) && (c.base === 'StringEquals' || c.base === 'StringEqualsIgnoreCase'))) continue;
      const likes = subs.filter((c) => isEffective(c) && c.base === 'StringLike' && wildcardValues(c).length > 0);
      if (likes.length === 0) continue;
      const { span, namespaces, limited } = subjectNamespaces(f.subject);
      if (limited) ctx.limited(role, f.conditionPointer, 'how many namespaces the subject conditions admit', limited);
      if (span === 'undecided') continue;
      for (const c of likes) {
        const patterns = wildcardValues(c);
        const wide = span === 'several' || span === 'all';
        const who =
          span === 'all'
            ? 'ServiceAccounts in any namespace'
            : span === 'several'
              ? 'ServiceAccounts in several namespaces'
              : span === 'one' && namespaces?.length === 1 && patterns.every((p) => p.endsWith(':*') && !/[*?]/.test(p.slice(0, -2)))
                ? `every ServiceAccount of namespace ${shown(namespaces[0]!)}`
                : `several ServiceAccounts${namespaces?.length === 1 ? ` of namespace ${shown(namespaces[0]!)}` : ''}`;
        ctx.report({
          resource: role,
          at: valuePointer(role, c, patterns[0]!),
          key: c.pointer,
          severity: wide ? 'critical' : 'high',
          messageId: 'wildcardSubject', data: { role: roleDisplayName(role), issuer: displayIssuer(f), patterns: quoteEach(patterns), who },
        });
      }
    }
  },
};

export default rule;
