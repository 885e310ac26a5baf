import type { CodeRule } from '../../src/engine/rule-api.js';
import { asObject } from '../../src/rules-support/kubernetes.js';
import { valueText } from '../../src/model/unknown.js';

const ANONYMOUS = new Set(['Group/system:unauthenticated', 'User/system:anonymous']);
/** What every cluster grants anonymous callers, or what publishing the issuer's discovery documents needs. */
const ALLOWED_ROLES = new Set(['system:public-info-viewer', 'system:service-account-issuer-discovery']);

const rule: CodeRule = {
  meta: {
    id: 'k8s-issuer-discovery-overexposed',
    title: 'Anonymous callers are granted more than issuer discovery',
    severity: 'medium',
    provider: 'kubernetes',
    tags: ['rbac', 'oidc'],
    description: `Workload identity federation needs the cluster's OIDC discovery document and signing keys to be public, which
is what binding \`system:unauthenticated\` to \`system:service-account-issuer-discovery\` does. Every cluster also
binds anonymous callers to \`system:public-info-viewer\` (version and health endpoints). Binding
\`system:unauthenticated\` or \`system:anonymous\` to any other role hands that role to everyone who can reach the API
server, without credentials. Bindings to those two roles are not reported.`,
    remediation: 'Remove the anonymous subject from the binding. To publish the issuer, bind `system:unauthenticated` to the `system:service-account-issuer-discovery` ClusterRole only, or serve the discovery document from a bucket.',
    messages: {
      publicBinding: '{{subjectKind}} {{subjectName}} is bound to {{roleKind}} {{roleName}}{{where}}: anyone who can reach the API server gets it without credentials. Only issuer discovery (system:service-account-issuer-discovery) needs to be public.',
    },
    references: [
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#service-account-issuer-discovery',
      'https://kubernetes.io/docs/reference/access-authn-authz/rbac/#discovery-roles',
    ],
  },
  check(ctx) {
    for (const binding of [...ctx.model.ofType('k8s.RoleBinding'), ...ctx.model.ofType('k8s.ClusterRoleBinding')]) {
      const body = asObject(binding.body) ?? {};
      const roleRef = asObject(body.roleRef);
      if (!roleRef || typeof roleRef.name !== 'string' || ALLOWED_ROLES.has(roleRef.name)) continue;
      const subjects = Array.isArray(body.subjects) ? body.subjects : [];
      subjects.forEach((raw, i) => {
        const s = asObject(raw);
        if (!s || !ANONYMOUS.has(`${String(s.kind)}/${String(s.name)}`)) return;
        const role = ctx.model.ofType(roleRef.kind === 'Role' ? 'k8s.Role' : 'k8s.ClusterRole').find((r) => asObject(asObject(r.body)?.metadata)?.name === roleRef.name && (roleRef.kind !== 'Role' || r.namespace === binding.namespace));
        ctx.report({
          resource: binding,
          at: `/subjects/${i}`,
          messageId: 'publicBinding', data: { subjectKind: valueText(s.kind), subjectName: valueText(s.name), roleKind: valueText(roleRef.kind), roleName: valueText(roleRef.name), where: binding.namespace ? ` in namespace ${binding.namespace}` : '' },
          ...(role ? { related: [{ resource: role, at: '/rules', message: `rules of ${roleRef.name}` }] } : {}),
        });
      });
    }
  },
};

export default rule;
