import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonObject, Resource } from '../../src/model/types.js';
import { asObject, metadataOf, namespaceJoinKey, podSpecsOf } from '../../src/rules-support/kubernetes.js';
import { WINDOWS_SUPPORT } from '../../src/rules-support/windows-support.js';
import { escapeToken } from '../../src/util/pointer.js';

const OS_LABEL = 'kubernetes.io/os';

/** The pointer that schedules a pod spec onto Windows: a nodeSelector entry or a required affinity term. */
function windowsScheduling(spec: JsonObject, pointer: string): string | undefined {
  if (asObject(spec.nodeSelector)?.[OS_LABEL] === 'windows') return `${pointer}/nodeSelector/${escapeToken(OS_LABEL)}`;
  const terms = asObject(asObject(asObject(spec.affinity)?.nodeAffinity)?.requiredDuringSchedulingIgnoredDuringExecution)?.nodeSelectorTerms;
  if (!Array.isArray(terms)) return undefined;
  for (const [ti, term] of terms.entries()) {
    const exprs = asObject(term)?.matchExpressions;
    if (!Array.isArray(exprs)) continue;
    for (const [ei, e] of exprs.entries()) {
      const x = asObject(e);
      if (x?.key === OS_LABEL && x.operator === 'In' && Array.isArray(x.values) && x.values.length > 0 && x.values.every((v) => v === 'windows')) {
        return `${pointer}/affinity/nodeAffinity/requiredDuringSchedulingIgnoredDuringExecution/nodeSelectorTerms/${ti}/matchExpressions/${ei}`;
      }
    }
  }
  return undefined;
}

function templateLabels(r: Resource, specPointer: string): JsonObject {
  const body = asObject(r.body) ?? {};
  if (specPointer === '/spec') return asObject(metadataOf(r).labels) ?? {};
  const spec = asObject(body.spec);
  const template = specPointer.startsWith('/spec/jobTemplate') ? asObject(asObject(asObject(spec?.jobTemplate)?.spec)?.template) : asObject(spec?.template);
  return asObject(asObject(template?.metadata)?.labels) ?? {};
}

const rule: CodeRule = {
  meta: {
    id: 'k8s-windows-node-identity',
    title: 'Windows nodes or workloads use a pod identity mechanism that does not support Windows',
    severity: 'medium',
    provider: 'kubernetes',
    tags: ['windows', 'pod-identity', 'aad-pod-identity'],
    description: `Some pod identity mechanisms only work on Linux nodes: EKS Pod Identity (its agent is a Linux DaemonSet) and
AAD Pod Identity (its NMI DaemonSet intercepts IMDS with iptables). Pods scheduled onto Windows nodes
(\`kubernetes.io/os: windows\` node selectors or required node affinity) that rely on them get no pod credentials and
fall back to the node's identity or to static keys. IRSA, Azure Workload Identity and GKE Workload Identity Federation
work on Windows. The support table with its sources is kept in \`src/rules-support/windows-support.ts\`.

Reported: Windows-scheduled pod templates whose ServiceAccount has an EKS Pod Identity association in the scan, or
that carry the \`aadpodidbinding\` label; EKS node groups with a Windows AMI type in a scan that holds Pod Identity
associations for the same cluster; AKS Windows node pools in a scan that uses AAD Pod Identity.`,
    remediation: 'Use a mechanism that supports Windows for these workloads: IRSA on EKS (annotate the ServiceAccount with `eks.amazonaws.com/role-arn`), Azure Workload Identity on AKS.',
    messages: {
      aadPodIdentityNodePool: 'AKS node pool {{pool}} runs Windows while the cluster uses AAD Pod Identity, which does not work on Windows: pods there get no pod identity. Move to Azure Workload Identity.',
      podIdentityNodeGroup: 'Node group {{nodeGroup}} runs Windows ({{amiType}}) in a cluster that grants roles through EKS Pod Identity, which does not work on Windows: pods scheduled there get the node role instead. Use IRSA for Windows workloads.',
      aadPodIdentityWorkload: '{{kind}} {{name}} runs on Windows nodes and uses {{mechanism}} (label aadpodidbinding), which does not work on Windows. Use Azure Workload Identity.',
      podIdentityOnWindows: '{{kind}} {{name}} runs on Windows nodes with ServiceAccount {{namespace}}/{{serviceAccount}}, which gets its role through {{mechanism}}: that does not work on Windows, so its pods fall back to the node role. Use IRSA for this ServiceAccount.',
    },
    references: [...new Set(Object.values(WINDOWS_SUPPORT).flatMap((s) => s.sources))],
  },
  check(ctx) {
    const associations = ctx.model.ofType('aws.eks.PodIdentityAssociation');
    const aadInUse = ctx.model.ofType('k8s.AzureIdentityBinding')[0] ?? ctx.model.ofType('k8s.AzureIdentity')[0];
    const all = ctx.model.resources;
    for (let i = 0; i < all.length; i++) {
      const r = all[i]!;
      if (!r.type.startsWith('k8s.')) continue;
      for (const { spec, pointer } of podSpecsOf(asObject(r.body) ?? {})) {
        const at = windowsScheduling(spec, pointer);
        if (!at) continue;
        const sa = typeof spec.serviceAccountName === 'string' ? spec.serviceAccountName : 'default';
        const ns = namespaceJoinKey(r);
        const assoc = associations.find((a) => asObject(a.body)?.namespace === ns && asObject(a.body)?.serviceAccount === sa);
        if (assoc) {
          ctx.report({
            resource: r, at, key: 'eks-pod-identity',
            messageId: 'podIdentityOnWindows', data: { kind: r.type.slice(4), name: r.name, namespace: ns, serviceAccount: sa, mechanism: WINDOWS_SUPPORT['eks-pod-identity'].label },
            related: [{ resource: assoc, at: '/roleArn', message: 'EKS Pod Identity association' }],
          });
        }
        if (typeof templateLabels(r, pointer).aadpodidbinding === 'string') {
          ctx.report({
            resource: r, at, key: 'aad-pod-identity',
            messageId: 'aadPodIdentityWorkload', data: { kind: r.type.slice(4), name: r.name, mechanism: WINDOWS_SUPPORT['aad-pod-identity'].label },
          });
        }
      }
    }
    for (const ng of ctx.model.ofType('aws.eks.NodeGroup')) {
      const body = asObject(ng.body) ?? {};
      if (typeof body.amiType !== 'string' || !body.amiType.startsWith('WINDOWS_')) continue;
      const mine = associations.filter((a) => typeof body.clusterName !== 'string' || typeof asObject(a.body)?.clusterName !== 'string' || asObject(a.body)?.clusterName === body.clusterName);
      if (mine.length === 0) continue;
      ctx.report({
        resource: ng, at: '/amiType',
        messageId: 'podIdentityNodeGroup', data: { nodeGroup: ng.name, amiType: body.amiType },
        related: mine.slice(0, 3).map((a) => ({ resource: a, at: '/roleArn', message: 'EKS Pod Identity association' })),
      });
    }
    if (aadInUse) {
      for (const pool of ctx.model.ofType('azure.aks.AgentPool')) {
        const os = asObject(asObject(pool.body)?.properties)?.osType;
        if (typeof os !== 'string' || os.toLowerCase() !== 'windows') continue;
        ctx.report({
          resource: pool, at: '/properties/osType',
          messageId: 'aadPodIdentityNodePool', data: { pool: pool.name },
          related: [{ resource: aadInUse, at: '', message: 'AAD Pod Identity in use' }],
        });
      }
    }
  },
};

export default rule;
