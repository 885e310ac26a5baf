import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue } from '../../src/model/types.js';
import { CREDENTIAL_TYPE } from '../../src/federation/azure.js';
import { isUnknown } from '../../src/model/unknown.js';
import { obj } from '../../src/rules-support/azure.js';
import { quote, quoteEach } from '../../src/util/input-text.js';

/** The token-exchange audience of each Azure cloud (public, US Government, China, US Nat, US Sec). */
const TOKEN_EXCHANGE_AUDIENCES = new Set([
  'api://AzureADTokenExchange',
  'api://AzureADTokenExchangeUSGov',
  'api://AzureADTokenExchangeChina',
  'api://AzureADTokenExchangeUSNat',
  'api://AzureADTokenExchangeUSSec',
]);

const rule: CodeRule = {
  meta: {
    id: 'azure-fic-audience-nonstandard',
    title: 'A federated credential accepts an audience other than the token-exchange audience',
    severity: 'medium',
    provider: 'azure',
    tags: ['azure-workload-identity', 'federation'],
    description: `A federated identity credential should accept exactly one audience: the token-exchange
audience of its cloud — \`api://AzureADTokenExchange\` (public cloud), \`api://AzureADTokenExchangeUSGov\`,
\`api://AzureADTokenExchangeChina\`, \`api://AzureADTokenExchangeUSNat\` or \`api://AzureADTokenExchangeUSSec\`.
Any other audience (a cluster's API server audience, \`https://kubernetes.default.svc\`, an application URI)
lets tokens minted for a different purpose be exchanged for the identity: a token a workload sends to
another service can then be replayed against Microsoft Entra ID. Several audiences widen that further.`,
    remediation: 'Set the audience list to the single token-exchange audience of the cloud the identity lives in (`api://AzureADTokenExchange` in the public cloud), and have the workload request tokens for that audience (Azure Workload Identity does this by default).',
    messages: {
      noAudience: 'Federated credential {{credential}} lists no audience: set api://AzureADTokenExchange (or the audience of its cloud).',
      severalAudiences: 'Federated credential {{credential}} accepts {{count}} token-exchange audiences ({{audiences}}): accept only the one of the cloud the identity lives in.',
      nonstandardAudience: "Federated credential {{credential}} accepts the audience {{audience}}: only the cloud's token-exchange audience (api://AzureADTokenExchange in the public cloud) should be accepted.",
    },
    references: [
      'https://learn.microsoft.com/entra/workload-id/workload-identity-federation-create-trust-user-assigned-managed-identity',
      'https://azure.github.io/azure-workload-identity/docs/topics/federated-identity-credential.html',
    ],
    examples: {
      bad: `resource "azurerm_federated_identity_credential" "app" {
  name      = "app"
  parent_id = azurerm_user_assigned_identity.app.id
  issuer    = azurerm_kubernetes_cluster.aks.oidc_issuer_url
  subject   = "system:serviceaccount:app:app"
  audience  = ["api://AzureADTokenExchange", "https://kubernetes.default.svc"]
}`,
      good: `  audience  = ["api://AzureADTokenExchange"]`,
    },
  },
  check(ctx) {
    for (const credential of ctx.model.ofType(CREDENTIAL_TYPE)) {
      const audiences = obj(obj(credential.body)?.['properties'])?.['audiences'] as JsonValue | undefined;
      if (!Array.isArray(audiences) || audiences.some((a) => isUnknown(a) || typeof a !== 'string')) continue;
      const values = audiences as string[];
      const offending = values.findIndex((a) => !TOKEN_EXCHANGE_AUDIENCES.has(a));
      if (offending >= 0) {
        ctx.report({
          resource: credential,
          at: `/properties/audiences/${offending}`,
          messageId: 'nonstandardAudience', data: { credential: credential.name, audience: quote(values[offending]!) },
        });
      } else if (values.length > 1) {
        ctx.report({
          resource: credential,
          at: '/properties/audiences/1',
          messageId: 'severalAudiences', data: { credential: credential.name, count: values.length, audiences: quoteEach(values) },
        });
      } else if (values.length === 0) {
        ctx.report({ resource: credential, at: '/properties/audiences', messageId: 'noAudience', data: { credential: credential.name } });
      }
    }
  },
};

export default rule;
