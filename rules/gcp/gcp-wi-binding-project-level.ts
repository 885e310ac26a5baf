import type { CodeRule } from '../../src/engine/rule-api.js';
import { TOKEN_CREATOR, WORKLOAD_IDENTITY_USER, describeMember, isWorkloadMember, parseMember } from '../../src/federation/gcp-members.js';
import { obj, str } from '../../src/rules-support/gcp.js';
import { isUnknown } from '../../src/model/unknown.js';

const LEVELS = new Set(['project', 'folder', 'organization']);
const IMPERSONATION_ROLES = new Set([WORKLOAD_IDENTITY_USER, TOKEN_CREATOR]);

const rule: CodeRule = {
  meta: {
    id: 'gcp-wi-binding-project-level',
    title: 'Workload identity impersonation granted on a whole project, folder or organization',
    severity: 'critical',
    provider: 'gcp',
    tags: ['gke-workload-identity', 'iam'],
    description: `\`roles/iam.workloadIdentityUser\` or \`roles/iam.serviceAccountTokenCreator\` granted at project, folder or
organization level applies to every Google service account below it. Granted to a workload-pool member
(\`serviceAccount:<project>.svc.id.goog[<ns>/<ksa>]\`, \`principal://…\` or \`principalSet://…\`), it lets those
Kubernetes workloads impersonate every service account there — including the most privileged ones created later.`,
    remediation: 'Grant `roles/iam.workloadIdentityUser` on the one Google service account the workload needs (`google_service_account_iam_member` with `service_account_id`), never on the project, folder or organization.',
    references: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity',
      'https://cloud.google.com/iam/docs/service-account-permissions#user-role',
    ],
    examples: {
      bad: 'resource "google_project_iam_member" "wi" {\n  project = "my-project"\n  role    = "roles/iam.workloadIdentityUser"\n  member  = "serviceAccount:my-project.svc.id.goog[apps/web]"\n}',
      good: 'resource "google_service_account_iam_member" "wi" {\n  service_account_id = google_service_account.web.name\n  role               = "roles/iam.workloadIdentityUser"\n  member             = "serviceAccount:my-project.svc.id.goog[apps/web]"\n}',
    },
  },
  check(ctx) {
    for (const binding of ctx.model.ofType('gcp.iam.Binding')) {
      const body = obj(binding.body) ?? {};
      const target = obj(body.resource);
      const level = str(target?.type);
      const role = str(body.role);
      if (!level || !LEVELS.has(level)) continue;
      if (isUnknown(body.role)) {
        const members = Array.isArray(body.members) ? body.members : [];
        if (members.some((m) => isWorkloadMember(parseMember(m)))) ctx.undecided(binding, '/role', `the role granted to workload identity members on this ${level}`);
        continue;
      }
      if (!role || !IMPERSONATION_ROLES.has(role)) continue;
      const members = Array.isArray(body.members) ? body.members : [];
      members.forEach((member, i) => {
        const m = parseMember(member);
        const pooled = isWorkloadMember(m) || (m.kind === 'other' && m.value.includes('/workloadIdentityPools/'));
        if (!pooled) return;
        const where = typeof target?.name === 'string' ? `${level} ${target.name}` : `its ${level}`;
        ctx.report({
          resource: binding,
          at: `/members/${i}`,
          message: `${role} is granted on ${where} to workload identity member ${describeMember(member)}: those workloads can impersonate every service account in the ${level}.`,
          evidence: { role, level },
        });
      });
    }
  },
};

export default rule;
