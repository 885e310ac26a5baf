import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue } from '../../src/model/types.js';
import { findIdentity } from '../../src/federation/azure.js';
import { identityDisplayName, obj, roleNameOf, scopeInfoOf } from '../../src/rules-support/azure.js';

const BROAD_ROLES = new Map([
  ['owner', 'Owner'],
  ['contributor', 'Contributor'],
  ['user access administrator', 'User Access Administrator'],
]);
const BROAD_LEVELS: Record<string, string> = {
  root: 'the tenant root',
  managementGroup: 'management-group',
  subscription: 'subscription',
  resourceGroup: 'resource-group',
};

/** What holding each broad role lets a workload do, for the message. */
const WHAT_IT_ALLOWS: Record<string, string> = {
  Owner: 'can manage all resources there and grant anyone access to them',
  Contributor: 'can change or delete every resource there',
  'User Access Administrator': 'can grant any role there to anyone, itself included',
};

const rule: CodeRule = {
  meta: {
    id: 'azure-identity-role-broad',
    title: 'A federated managed identity holds Owner, Contributor or User Access Administrator broadly',
    severity: 'high',
    provider: 'azure',
    tags: ['azure-workload-identity', 'rbac'],
    description: `A managed identity that workloads obtain through federation (a Kubernetes ServiceAccount, a CI
pipeline) holds Owner, Contributor or User Access Administrator at subscription or resource-group scope
(or above). Anyone who can run a pod as the trusted ServiceAccount — or push to the trusted branch —
can then change or delete every resource in that scope, and with Owner or User Access Administrator
grant themselves any further access.`,
    remediation: 'Assign the narrowest built-in or custom role the workload needs (`Storage Blob Data Contributor`, `Key Vault Secrets User`, ...) on the specific resources it uses, and remove the broad assignment.',
    messages: {
      broadRole: 'Federated managed identity {{identity}} holds {{role}} at {{scope}}: every workload its {{count}} federated credential{{plural}} admit{{verbEnding}} {{allows}}.',
    },
    references: [
      'https://learn.microsoft.com/azure/role-based-access-control/best-practices',
      'https://learn.microsoft.com/azure/role-based-access-control/built-in-roles',
    ],
    examples: {
      bad: `resource "azurerm_role_assignment" "app" {
  scope                = azurerm_resource_group.app.id
  role_definition_name = "Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}`,
      good: `resource "azurerm_role_assignment" "app" {
  scope                = azurerm_storage_account.app.id
  role_definition_name = "Storage Blob Data Contributor"
  principal_id         = azurerm_user_assigned_identity.app.principal_id
}`,
    },
  },
  check(ctx) {
    for (const assignment of ctx.model.ofType('azure.authorization.RoleAssignment')) {
      const props = obj(obj(assignment.body)?.['properties']);
      const role = roleNameOf(assignment);
      const broadRole = role ? BROAD_ROLES.get(role.toLowerCase()) : undefined;
      if (!broadRole) continue;
      const level = scopeInfoOf(assignment)?.level;
      if (!level || !BROAD_LEVELS[level]) continue;
      const identity = findIdentity(props?.['principalId'] as JsonValue | undefined, ctx.model, 'principalId');
      if (!identity) continue;
      const feds = ctx.model.federationsOf(identity);
      if (feds.length === 0) continue;
      const at = typeof props?.['roleDefinitionName'] === 'string' ? '/properties/roleDefinitionName' : '/properties/roleDefinitionId';
      const scopeText = level === 'root' ? BROAD_LEVELS[level] : `${BROAD_LEVELS[level]} scope`;
      ctx.report({
        resource: assignment,
        at,
        messageId: 'broadRole', data: { identity: identityDisplayName(identity), role: broadRole, scope: scopeText, count: feds.length, plural: feds.length === 1 ? '' : 's', verbEnding: feds.length === 1 ? 's' : '', allows: WHAT_IT_ALLOWS[broadRole] ?? 'can manage all resources there' },
        related: [{ resource: identity, at: '', message: `managed identity ${identityDisplayName(identity)}` }],
        evidence: { role: broadRole, scope: level },
      });
    }
  },
};

export default rule;
