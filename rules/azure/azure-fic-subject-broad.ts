import type { CodeRule } from '../../src/engine/rule-api.js';
import { CREDENTIAL_TYPE, credentialFederation } from '../../src/federation/azure.js';
import { obj } from '../../src/rules-support/azure.js';
import { quote, shown } from '../../src/util/input-text.js';

const rule: CodeRule = {
  meta: {
    id: 'azure-fic-subject-broad',
    title: 'A flexible federated credential admits more than one subject',
    severity: 'high',
    provider: 'azure',
    tags: ['azure-workload-identity', 'federation'],
    description: `A flexible federated identity credential matches the token's \`sub\` claim with a
\`claimsMatchingExpression\` (\`claims['sub'] matches 'repo:contoso/*'\`) instead of one exact subject.
A wildcard, a prefix, or an expression with no \`sub\` term at all admits every workload of the issuer
that fits it — every branch, every repository of an organization, every workspace — and each of
them obtains the identity. Standard credentials match the subject exactly and are never broad.
Microsoft supports flexible credentials for GitHub, GitLab and Terraform Cloud tokens today; the rule
reports any issuer the configuration names.`,
    remediation: `Replace the expression with standard credentials that name each subject exactly
(\`subject = "repo:contoso/app:environment:production"\`), or narrow the \`sub\` term to one repository and
one branch or environment. Keep additional claim terms (\`job_workflow_ref\`) as defence in depth, not
as the only restriction.`,
    messages: {
      anySubject: 'Flexible federated credential {{credential}} does not constrain the subject: every token of {{issuer}} with the right audience obtains the identity.',
      subjectPattern: 'Flexible federated credential {{credential}} admits every subject matching {{pattern}} from {{issuer}}: each of those workloads obtains the identity.',
    },
    references: [
      'https://learn.microsoft.com/entra/workload-id/workload-identities-flexible-federated-identity-credentials',
      'https://learn.microsoft.com/entra/workload-id/workload-identity-federation',
    ],
    examples: {
      bad: `resource "azuread_application_flexible_federated_identity_credential" "deploy" {
  application_id             = azuread_application_registration.deploy.id
  display_name               = "deploy-any-branch"
  issuer                     = "https://token.actions.githubusercontent.com"
  audience                   = "api://AzureADTokenExchange"
  claims_matching_expression = "claims['sub'] matches 'repo:contoso/*'"
}`,
      good: `resource "azuread_application_federated_identity_credential" "deploy" {
  application_id = azuread_application_registration.deploy.id
  display_name   = "deploy-production"
  issuer         = "https://token.actions.githubusercontent.com"
  audiences      = ["api://AzureADTokenExchange"]
  subject        = "repo:contoso/app:environment:production"
}`,
    },
  },
  check(ctx) {
    for (const credential of ctx.model.ofType(CREDENTIAL_TYPE)) {
      const expression = obj(obj(obj(credential.body)?.['properties'])?.['claimsMatchingExpression']);
      if (!expression) continue;
      const f = credentialFederation(credential, ctx.model);
      if (f.subject.unknown) continue;
      const wildcard = f.subject.allow?.find((p) => p.wildcard);
      if (f.subject.allow !== null && !wildcard) continue;
      const issuer = f.issuer.host ?? 'its issuer';
      const message: { messageId: string; data: Record<string, string> } = f.subject.allow === null
        ? { messageId: 'anySubject', data: { credential: credential.name, issuer: shown(issuer) } }
        : { messageId: 'subjectPattern', data: { credential: credential.name, pattern: quote(wildcard!.value), issuer: shown(issuer) } };
      ctx.report({ resource: credential, at: '/properties/claimsMatchingExpression/value', ...message, evidence: { issuer } });
    }
  },
};

export default rule;
