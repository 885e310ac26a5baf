import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue } from '../../src/model/types.js';
import { findIdentity, issuerResolved } from '../../src/federation/azure.js';
import { admits } from '../../src/federation/matcher.js';
import { escapeToken } from '../../src/util/pointer.js';
import { annotationsOf, clusterIssuerKnown, identityDisplayName, nameOf, trustsCluster } from '../../src/rules-support/azure.js';
import { joinNamespaceOf } from '../../src/rules-support/kubernetes.js';
import { AZURE_CLIENT_ID_ANNOTATION } from '../../src/model/annotations.js';

const rule: CodeRule = {
  meta: {
    id: 'azure-wi-no-federated-credential',
    title: 'A ServiceAccount names a managed identity that has no federated credential for it',
    severity: 'medium',
    provider: 'azure',
    tags: ['azure-workload-identity'],
    description: `The ServiceAccount's \`azure.workload.identity/client-id\` annotation names a managed identity in
the scan, but none of that identity's federated credentials trusts this ServiceAccount's subject
(\`system:serviceaccount:<namespace>:<name>\`) from its cluster's OIDC issuer. Token exchange fails with
\`AADSTS70021\`, or the workload only works through a credential meant for another cluster or
ServiceAccount. When the ServiceAccount's cluster issuer is not known, any Kubernetes issuer counts.
Identities whose credentials are partly unresolved are not judged.`,
    remediation: 'Create a federated identity credential on the identity with the cluster\'s OIDC issuer URL (`oidc_issuer_url` of the AKS cluster), subject `system:serviceaccount:<namespace>:<name>` and audience `api://AzureADTokenExchange`, or point the annotation at the identity meant for this ServiceAccount.',
    messages: {
      noFederatedCredential: 'ServiceAccount {{serviceAccount}} names managed identity {{identity}}, which has no federated credential for {{subject}}{{where}}: its pods cannot exchange their token.',
    },
    references: [
      'https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster#establish-federated-identity-credential',
      'https://azure.github.io/azure-workload-identity/docs/topics/federated-identity-credential.html',
    ],
  },
  check(ctx) {
    for (const sa of ctx.model.ofType('k8s.ServiceAccount')) {
      const name = nameOf(sa);
      const value = annotationsOf(sa)[AZURE_CLIENT_ID_ANNOTATION] as JsonValue | undefined;
      if (name === undefined || value === undefined) continue;
      const identity = findIdentity(value, ctx.model, 'clientId');
      if (!identity) continue;
      const feds = ctx.model.federationsOf(identity);
      if (feds.some((f) => f.subject.unknown || !issuerResolved(f.issuer))) continue;
      const namespace = joinNamespaceOf(sa);
      if (namespace === undefined) {
        ctx.undecided(sa, '/metadata/namespace', `the namespace of ServiceAccount ${name}, which ${identityDisplayName(identity)}'s federated credentials must name`);
        continue;
      }
      const subject = `system:serviceaccount:${namespace}:${name}`;
      const cluster = ctx.model.cluster(sa.cluster);
      const knownCluster = clusterIssuerKnown(cluster) ? cluster : undefined;
      const matching = feds.filter((f) => (knownCluster ? trustsCluster(f, knownCluster) : f.issuer.kind === 'kubernetes') && admits(f.subject, subject));
      if (matching.length > 0) continue;
      const where = knownCluster ? ` from the issuer of cluster ${knownCluster.name}` : '';
      ctx.report({
        resource: sa,
        at: `/metadata/annotations/${escapeToken(AZURE_CLIENT_ID_ANNOTATION)}`,
        messageId: 'noFederatedCredential',
        data: { serviceAccount: `${namespace}/${name}`, identity: identityDisplayName(identity), subject, where },
        related: [{ resource: identity, at: '', message: `managed identity ${identityDisplayName(identity)} (${feds.length} federated credential${feds.length === 1 ? '' : 's'})` }],
      });
    }
  },
};

export default rule;
