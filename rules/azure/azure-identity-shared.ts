import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Resource } from '../../src/model/types.js';
import { IDENTITY_TYPE, issuerResolved } from '../../src/federation/azure.js';
import { identityDisplayName } from '../../src/rules-support/azure.js';

const THRESHOLD = 3;

const rule: CodeRule = {
  meta: {
    id: 'azure-identity-shared',
    title: 'One managed identity is federated to many subjects or issuers',
    severity: 'low',
    provider: 'azure',
    tags: ['azure-workload-identity', 'federation'],
    description: `A managed identity with federated credentials for three or more distinct subjects (ServiceAccounts,
pipelines) or issuers (clusters, CI systems) is shared: each of those workloads holds every permission
any of them needs, a compromise of one is a compromise of all, and its sign-in logs no longer say which
workload acted. Subjects and issuers that are not resolved in the scan are not counted.`,
    remediation: 'Give each workload its own user-assigned managed identity with one federated credential and only the role assignments that workload needs.',
    messages: {
      sharedIdentity: 'Managed identity {{identity}} is federated to {{subjects}} distinct subject{{subjectsPlural}} from {{issuers}} issuer{{issuersPlural}}: every one of those workloads holds all of its permissions.',
    },
    references: [
      'https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations',
      'https://learn.microsoft.com/azure/aks/workload-identity-overview',
    ],
  },
  check(ctx) {
    for (const identity of ctx.model.ofType(IDENTITY_TYPE)) {
      const feds = ctx.model.federationsOf(identity);
      const subjects = new Set<string>();
      const issuers = new Set<string>();
      for (const f of feds) {
        if (!f.subject.unknown && f.subject.allow) for (const p of f.subject.allow) subjects.add(p.value);
        if (issuerResolved(f.issuer)) issuers.add(f.issuer.key.toLowerCase());
      }
      if (subjects.size < THRESHOLD && issuers.size < THRESHOLD) continue;
      const related = feds
        .map((f) => (f.sourceId ? { resource: ctx.model.resourceById(f.sourceId), at: f.conditionPointer } : undefined))
        .filter((x): x is { resource: Resource; at: string } => x?.resource !== undefined)
        .map((x) => ({ ...x, message: `federated credential ${x.resource.name}` }));
      ctx.report({
        resource: identity,
        at: '',
        messageId: 'sharedIdentity', data: { identity: identityDisplayName(identity), subjects: subjects.size, subjectsPlural: subjects.size === 1 ? '' : 's', issuers: issuers.size, issuersPlural: issuers.size === 1 ? '' : 's' },
        related,
      });
    }
  },
};

export default rule;
