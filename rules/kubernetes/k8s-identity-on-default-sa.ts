import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue } from '../../src/model/types.js';
import { IDENTITY_ANNOTATIONS } from '../../src/model/annotations.js';
import { isUnknown } from '../../src/model/unknown.js';
import { asObject, metadataOf, nameOf } from '../../src/rules-support/kubernetes.js';
import { escapeToken } from '../../src/util/pointer.js';

/** An annotation value that hands out an identity: anything but an empty or false-like one. */
function isSet(v: JsonValue | undefined): v is JsonValue {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  return !Array.isArray(v) || v.length > 0;
}

function display(v: JsonValue): string {
  if (typeof v === 'string') return v;
  return isUnknown(v) ? v.$unknown : JSON.stringify(v);
}

const rule: CodeRule = {
  meta: {
    id: 'k8s-identity-on-default-sa',
    title: "A cloud identity is attached to a namespace's default ServiceAccount",
    severity: 'medium',
    provider: 'kubernetes',
    tags: ['irsa', 'azure-workload-identity', 'gke-workload-identity'],
    description: `Every pod that does not name a ServiceAccount runs as its namespace's \`default\`
ServiceAccount. Annotating \`default\` with a cloud identity
(\`eks.amazonaws.com/role-arn\`, \`azure.workload.identity/client-id\` or
\`iam.gke.io/gcp-service-account\`) hands that identity to every such pod,
including ones deployed later by people who never asked for it.
`,
    remediation: `Create a dedicated ServiceAccount for the workload that needs the identity, move the
annotation there, set \`serviceAccountName\` in that workload's pod template, and narrow the
cloud trust (IAM role trust policy, federated credential subject, or
\`roles/iam.workloadIdentityUser\` member) to the new ServiceAccount.
`,
    messages: {
      defaultServiceAccount: 'The default ServiceAccount of namespace {{namespace}} carries the cloud identity {{identity}} ({{annotation}}): every pod in the namespace that names no ServiceAccount gets it.',
    },
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
      'https://azure.github.io/azure-workload-identity/docs/topics/service-account-labels-and-annotations.html',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity',
    ],
    examples: {
      bad: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: default
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/payments
`,
      good: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: payments-api
  namespace: payments
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/payments
`,
    },
  },
  check(ctx) {
    for (const sa of ctx.model.ofType('k8s.ServiceAccount')) {
      if (nameOf(sa) !== 'default') continue;
      const annotations = asObject(metadataOf(sa).annotations) ?? {};
      for (const key of IDENTITY_ANNOTATIONS) {
        const value = Object.hasOwn(annotations, key) ? annotations[key] : undefined;
        if (!isSet(value)) continue;
        ctx.report({
          resource: sa,
          at: `/metadata/annotations/${escapeToken(key)}`,
          messageId: 'defaultServiceAccount', data: { namespace: sa.namespace ?? '(none set)', identity: display(value), annotation: key },
        });
      }
    }
  },
};

export default rule;
