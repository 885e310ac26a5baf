import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Resource } from '../../src/model/types.js';
import { escapeToken } from '../../src/util/pointer.js';
import { USE_LABEL, annotationsOf, metadata, nameOf, namespaceOf, podTemplateOf, serviceAccountNameOf } from '../../src/rules-support/azure.js';
import { AZURE_CLIENT_ID_ANNOTATION } from '../../src/model/annotations.js';
import { quote } from '../../src/util/input-text.js';
import { joinNamespaceOf } from '../../src/rules-support/kubernetes.js';

const rule: CodeRule = {
  meta: {
    id: 'azure-wi-pod-label-missing',
    title: 'A pod uses an Azure Workload Identity ServiceAccount without the use label',
    severity: 'medium',
    provider: 'azure',
    tags: ['azure-workload-identity'],
    description: `Azure Workload Identity injects the projected token, \`AZURE_CLIENT_ID\`, \`AZURE_TENANT_ID\` and
\`AZURE_FEDERATED_TOKEN_FILE\` only into pods labelled \`azure.workload.identity/use: "true"\`. A pod that
runs as a ServiceAccount annotated \`azure.workload.identity/client-id\` without that label gets none
of them: the workload cannot obtain its identity, and teams then "fix" it with a client secret in a
Secret or with a node-level identity — both wider than the federated identity meant for it.`,
    remediation: 'Add the label `azure.workload.identity/use: "true"` to the pod template\'s `metadata.labels` (not to the Deployment\'s own metadata).',
    messages: {
      labelMissing: 'Pods of {{workload}} run as ServiceAccount {{serviceAccount}}, annotated with an Azure Workload Identity client id, but lack the label {{label}}: "true": no token is injected.',
      labelNotTrue: 'Pods of {{workload}} set {{label}} to {{value}} instead of "true": no token is injected for ServiceAccount {{serviceAccount}}.',
    },
    references: [
      'https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html',
      'https://learn.microsoft.com/azure/aks/workload-identity-deploy-cluster',
    ],
    examples: {
      bad: `spec:
  template:
    metadata:
      labels:
        app: api
    spec:
      serviceAccountName: api`,
      good: `spec:
  template:
    metadata:
      labels:
        app: api
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: api`,
    },
  },
  check(ctx) {
    const accounts = new Map<string, Resource>();
    // Annotated ServiceAccounts whose namespace is unresolved: a workload of that name may or may not be theirs.
    const unplaced = new Set<string>();
    for (const sa of ctx.model.ofType('k8s.ServiceAccount')) {
      const name = nameOf(sa);
      if (name === undefined || annotationsOf(sa)[AZURE_CLIENT_ID_ANNOTATION] === undefined) continue;
      const namespace = joinNamespaceOf(sa);
      if (namespace === undefined) unplaced.add(`${sa.cluster ?? ''}|${name}`);
      else accounts.set(`${sa.cluster ?? ''}|${namespace}|${name}`, sa);
    }
    if (accounts.size === 0 && unplaced.size === 0) return;
    for (const workload of ctx.model.ofTypePrefix('k8s.')) {
      const template = podTemplateOf(workload);
      if (!template) continue;
      if (workload.type === 'k8s.Pod' && metadata(workload)['ownerReferences'] !== undefined) continue;
      const saName = serviceAccountNameOf(template.spec);
      if (saName === undefined) continue;
      const value = template.labels[USE_LABEL];
      if (value === 'true') continue;
      const namespace = joinNamespaceOf(workload);
      const sa = namespace === undefined ? undefined : accounts.get(`${workload.cluster ?? ''}|${namespace}|${saName}`);
      if (!sa) {
        const maybe = unplaced.has(`${workload.cluster ?? ''}|${saName}`) || (namespace === undefined && [...accounts.keys()].some((k) => k.startsWith(`${workload.cluster ?? ''}|`) && k.endsWith(`|${saName}`)));
        if (maybe) ctx.undecided(workload, `${template.pointer}/metadata/labels`, `whether ServiceAccount ${saName} of ${workload.name} is an Azure Workload Identity one (a namespace is unresolved)`);
        continue;
      }
      const labels = `${template.pointer}/metadata/labels`;
      const at = value === undefined ? labels : `${labels}/${escapeToken(USE_LABEL)}`;
      ctx.report({
        resource: workload,
        at,
        ...(value === undefined
          ? { messageId: 'labelMissing', data: { workload: workload.name, serviceAccount: `${namespaceOf(sa)}/${saName}`, label: USE_LABEL } }
          : { messageId: 'labelNotTrue', data: { workload: workload.name, serviceAccount: `${namespaceOf(sa)}/${saName}`, label: USE_LABEL, value: quote(value) } }),
        related: [{ resource: sa, at: `/metadata/annotations/${escapeToken(AZURE_CLIENT_ID_ANNOTATION)}`, message: `ServiceAccount ${namespaceOf(sa)}/${saName}` }],
      });
    }
  },
};

export default rule;
