import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Resource } from '../../src/model/types.js';
import { gsaEmail } from '../../src/federation/gcp.js';
import { parseMember } from '../../src/federation/gcp-members.js';
import { gsaName, obj, str } from '../../src/rules-support/gcp.js';

const PRIMITIVE = new Set(['roles/owner', 'roles/editor']);

/** Whether a `serviceAccount:` member names this Google service account. */
function namesGsa(member: ReturnType<typeof parseMember>, gsa: Resource): boolean {
  if (member.kind !== 'gsa') return false;
  if (member.ref) return member.ref.id === gsa.id;
  const email = gsaEmail(gsa);
  return member.email !== null && email !== undefined && member.email.toLowerCase() === email;
}

const rule: CodeRule = {
  meta: {
    id: 'gcp-gsa-primitive-role',
    title: 'A Google service account used by Kubernetes workloads holds Owner or Editor',
    severity: 'high',
    provider: 'gcp',
    tags: ['gke-workload-identity', 'iam'],
    description: `A Google service account that Kubernetes ServiceAccounts can impersonate through workload identity holds the basic
role \`roles/owner\` or \`roles/editor\`: a compromise of one pod yields (nearly) full control of the project.
Basic roles predate IAM's fine-grained roles and grant thousands of permissions.
A basic role held by an account no KSA can impersonate, or by a \`user:\` member, is outside podtrust's scope
(Checkov's CKV_GCP_42 and Trivy's no_privileged_service_accounts report those).`,
    remediation: 'Replace the basic role with the predefined roles the workload needs (for example `roles/storage.objectViewer` on one bucket).',
    messages: {
      primitiveRole: 'Google service account {{gsa}} holds {{role}}{{on}}, and Kubernetes workloads can impersonate it ({{users}}{{more}}).',
    },
    references: ['https://cloud.google.com/iam/docs/understanding-roles#basic'],
  },
  check(ctx) {
    // Bindings of a basic role, read once: most bindings grant predefined roles.
    const basic = ctx.model.ofType('gcp.iam.Binding').flatMap((binding) => {
      const body = obj(binding.body) ?? {};
      const role = str(body.role);
      if (!role || !PRIMITIVE.has(role)) return [];
      const members = (Array.isArray(body.members) ? body.members : []).map((m) => parseMember(m));
      return [{ binding, role, target: obj(body.resource), members }];
    });
    if (basic.length === 0) return;
    for (const gsa of ctx.model.ofType('gcp.iam.ServiceAccount')) {
      const feds = ctx.model.federationsOf(gsa).filter((f) => f.gcp && f.gcp.scope !== 'unknown' && f.gcp.role !== null);
      if (feds.length === 0) continue;
      const users = [...new Set(feds.map((f) => f.gcp!.member))];
      for (const { binding, role, target, members } of basic) {
        members.forEach((member, i) => {
          if (!namesGsa(member, gsa)) return;
          const on = typeof target?.name === 'string' ? ` on ${String(target.type)} ${target.name}` : '';
          ctx.report({
            resource: binding,
            at: `/members/${i}`,
            messageId: 'primitiveRole', data: { gsa: gsaName(gsa), role, on, users: users.slice(0, 3).join(', '), more: users.length > 3 ? ', …' : '' },
            related: [
              { resource: gsa, at: '', message: `Google service account ${gsaName(gsa)}` },
              ...feds.slice(0, 5).flatMap((f) => {
                const source = f.sourceId ? ctx.model.resourceById(f.sourceId) : undefined;
                return source ? [{ resource: source, at: f.pointer, message: `workload identity grant to ${f.gcp!.member}` }] : [];
              }),
            ],
            evidence: { role, serviceAccount: gsaName(gsa) },
          });
        });
      }
    }
  },
};

export default rule;
