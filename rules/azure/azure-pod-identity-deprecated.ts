import type { CodeRule } from '../../src/engine/rule-api.js';
import { escapeToken } from '../../src/util/pointer.js';
import { obj, podTemplateOf } from '../../src/rules-support/azure.js';
import { quote } from '../../src/util/input-text.js';

const POD_IDENTITY_KINDS = ['AzureIdentity', 'AzureIdentityBinding', 'AzurePodIdentityException'];
const BINDING_LABEL = 'aadpodidbinding';

const rule: CodeRule = {
  meta: {
    id: 'azure-pod-identity-deprecated',
    title: 'AAD Pod Identity (deprecated) is in use',
    severity: 'medium',
    provider: 'azure',
    tags: ['aad-pod-identity'],
    description: `AAD Pod Identity was deprecated in October 2022 and is no longer maintained; the AKS add-on
is being retired. Its Node Managed Identity (NMI) DaemonSet runs privileged on every node and
intercepts calls to the instance metadata endpoint with iptables rules: any pod that can reach the node's
metadata endpoint around NMI, or that matches an \`AzureIdentityBinding\` selector, can obtain identities
assigned to the node pool. Azure Workload Identity replaces it with per-ServiceAccount federation.`,
    remediation: 'Migrate to Azure Workload Identity: create a federated credential for each identity, annotate a dedicated ServiceAccount with `azure.workload.identity/client-id`, label the pod template `azure.workload.identity/use: "true"`, then remove the `AzureIdentity`/`AzureIdentityBinding` objects, the `aadpodidbinding` labels and the AAD Pod Identity add-on or chart.',
    messages: {
      addon: 'AKS cluster {{cluster}} enables the AAD Pod Identity add-on, which is deprecated: migrate to Azure Workload Identity.',
      bindingLabel: 'Pods of {{workload}} select an AAD Pod Identity binding (label {{label}}: {{value}}): AAD Pod Identity is deprecated, migrate to Azure Workload Identity.',
      podIdentityObject: '{{kind}} {{name}} configures AAD Pod Identity, which is deprecated: migrate to Azure Workload Identity.',
    },
    references: [
      'https://github.com/Azure/aad-pod-identity#-announcement',
      'https://learn.microsoft.com/azure/aks/workload-identity-migrate-from-pod-identity',
    ],
  },
  check(ctx) {
    for (const kind of POD_IDENTITY_KINDS) {
      for (const r of ctx.model.ofType(`k8s.${kind}`)) {
        const apiVersion = obj(r.body)?.['apiVersion'];
        if (typeof apiVersion !== 'string' || !apiVersion.startsWith('aadpodidentity.k8s.io/')) continue;
        ctx.report({ resource: r, at: '', messageId: 'podIdentityObject', data: { kind, name: r.name } });
      }
    }
    for (const workload of ctx.model.ofTypePrefix('k8s.')) {
      const template = podTemplateOf(workload);
      if (!template || template.labels[BINDING_LABEL] === undefined) continue;
      ctx.report({
        resource: workload,
        at: `${template.pointer}/metadata/labels/${escapeToken(BINDING_LABEL)}`,
        messageId: 'bindingLabel', data: { workload: workload.name, label: BINDING_LABEL, value: quote(template.labels[BINDING_LABEL]) },
      });
    }
    for (const cluster of ctx.model.ofType('azure.aks.ManagedCluster')) {
      const profile = obj(obj(obj(cluster.body)?.['properties'])?.['podIdentityProfile']);
      if (profile?.['enabled'] !== true) continue;
      ctx.report({ resource: cluster, at: '/properties/podIdentityProfile/enabled', messageId: 'addon', data: { cluster: cluster.name } });
    }
  },
};

export default rule;
