import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue, Resource } from '../../src/model/types.js';
import { isUnknown } from '../../src/model/unknown.js';
import { escapeToken, getTokens, split } from '../../src/util/pointer.js';

const ANNOTATION = 'iam.amazonaws.com/role';

/** Where each workload kind keeps its pod template's metadata. */
const POD_METADATA: Record<string, string> = {
  'k8s.Pod': '/metadata',
  'k8s.Deployment': '/spec/template/metadata',
  'k8s.StatefulSet': '/spec/template/metadata',
  'k8s.DaemonSet': '/spec/template/metadata',
  'k8s.ReplicaSet': '/spec/template/metadata',
  'k8s.Job': '/spec/template/metadata',
  'k8s.CronJob': '/spec/jobTemplate/spec/template/metadata',
};

const OWNER_REFERENCES = split('/metadata/ownerReferences');

function annotationOf(resource: Resource, annotationsTokens: readonly string[]): JsonValue | undefined {
  const annotations = getTokens(resource.body, annotationsTokens) as JsonValue | undefined;
  if (!annotations || typeof annotations !== 'object' || Array.isArray(annotations) || isUnknown(annotations)) return undefined;
  return (annotations as Record<string, JsonValue>)[ANNOTATION];
}

const rule: CodeRule = {
  meta: {
    id: 'aws-kube2iam-legacy',
    title: 'Pods get AWS credentials through kube2iam/kiam',
    severity: 'low',
    provider: 'aws',
    tags: ['kube2iam', 'kiam', 'legacy'],
    description: `A pod (or a workload's pod template) is annotated \`iam.amazonaws.com/role\`, the annotation of kube2iam and
kiam. These proxies intercept the instance metadata service on every node; the node role must be allowed to assume
every role they hand out, so the node — and any pod that bypasses the proxy (host network, a proxy outage, IMDS
reachable directly) — holds all of them. kiam is archived and kube2iam is unmaintained; IRSA and EKS Pod Identity
issue credentials to the pod itself. Pods owned by a controller are reported at the controller's template, not at
each pod.`,
    remediation: 'Move the workload to IRSA (annotate its ServiceAccount with `eks.amazonaws.com/role-arn` and trust the cluster\'s OIDC issuer for that ServiceAccount) or to EKS Pod Identity, then remove the `iam.amazonaws.com/role` annotation and the proxy DaemonSet.',
    messages: {
      nodeProxy: '{{kind}} {{name}} gets AWS credentials for {{role}} through kube2iam/kiam (`{{annotation}}`): a node-level proxy whose node role can assume every role it serves. Use IRSA or EKS Pod Identity.',
    },
    references: ['https://github.com/jtblin/kube2iam', 'https://github.com/uswitch/kiam', 'https://docs.aws.amazon.com/eks/latest/userguide/pod-identities.html'],
    examples: {
      bad: 'template:\n  metadata:\n    annotations:\n      iam.amazonaws.com/role: app-role',
      good: 'kind: ServiceAccount\nmetadata:\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app-role',
    },
  },
  check(ctx) {
    for (const [type, metadataPointer] of Object.entries(POD_METADATA)) {
      const annotationsTokens = split(`${metadataPointer}/annotations`);
      for (const resource of ctx.model.ofType(type)) {
        if (type === 'k8s.Pod' && Array.isArray(getTokens(resource.body, OWNER_REFERENCES))) continue;
        const value = annotationOf(resource, annotationsTokens);
        if (value === undefined || value === null) continue;
        const role = typeof value === 'string' ? value : 'an unresolved role';
        ctx.report({
          resource,
          at: `${metadataPointer}/annotations/${escapeToken(ANNOTATION)}`,
          messageId: 'nodeProxy', data: { kind: type.slice(4), name: resource.name, role, annotation: ANNOTATION },
        });
      }
    }
  },
};

export default rule;
