import type { CodeRule } from '../../src/engine/rule-api.js';
import { displayIssuer, roleDisplayName, webIdentityFederations } from '../../src/rules-support/aws.js';
import type { Federation } from '../../src/federation/types.js';
import type { Resource } from '../../src/model/types.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-multi-cluster',
    title: 'One role trusts more than one cluster issuer',
    severity: 'low',
    provider: 'aws',
    tags: ['irsa', 'trust-policy'],
    description: `The role's trust admits tokens of two or more Kubernetes clusters. That is sometimes intended (blue/green
clusters), but it joins their blast radius: a compromise of the weaker cluster (often staging) yields the
role in both, and the same ServiceAccount name means different things in each.`,
    remediation: 'Give each cluster its own role, or make sure every trusted cluster is held to the same standard and the subjects are exact in each.',
    messages: {
      multipleClusters: 'Role {{role}} trusts {{count}} cluster issuers: {{issuers}}.',
    },
    references: ['https://docs.aws.amazon.com/eks/latest/userguide/cross-account-access.html'],
  },
  check(ctx) {
    const byRole = new Map<Resource, Map<string, Federation>>();
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      if (f.issuer.kind !== 'kubernetes' || f.unsatisfiable) continue;
      const issuers = byRole.get(role) ?? new Map<string, Federation>();
      if (!issuers.has(f.issuer.key)) issuers.set(f.issuer.key, f);
      byRole.set(role, issuers);
    }
    for (const [role, issuers] of byRole) {
      if (issuers.size < 2) continue;
      const feds = [...issuers.values()];
      ctx.report({
        resource: role,
        at: feds[1]!.pointer,
        messageId: 'multipleClusters', data: { role: roleDisplayName(role), count: issuers.size, issuers: feds.map(displayIssuer).join(', ') },
      });
    }
  },
};

export default rule;
