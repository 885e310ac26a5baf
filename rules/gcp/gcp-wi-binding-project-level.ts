import type { CodeRule } from '../../src/engine/rule-api.js';
import { TOKEN_CREATOR, WORKLOAD_IDENTITY_USER, describeMember, isWorkloadMember, parseMember } from '../../src/federation/gcp-members.js';
import { obj, str } from '../../src/rules-support/gcp.js';
import { isUnknown } from '../../src/model/unknown.js';
import { conditionScope } from '../../src/federation/gcp-conditions.js';
import { shown } from '../../src/util/input-text.js';

const LEVELS = new Set(['project', 'folder', 'organization']);
const IMPERSONATION_ROLES = new Set([WORKLOAD_IDENTITY_USER, TOKEN_CREATOR]);

const rule: CodeRule = {
  meta: {
    id: 'gcp-wi-binding-project-level',
    title: 'Service account impersonation granted on a whole project, folder or organization',
    severity: 'critical',
    lowestSeverity: 'medium',
    provider: 'gcp',
    tags: ['gke-workload-identity', 'iam'],
    description: `\`roles/iam.workloadIdentityUser\` or \`roles/iam.serviceAccountTokenCreator\` granted at project, folder or
organization level applies to every Google service account below it. Granted to a workload-pool member
(\`serviceAccount:<project>.svc.id.goog[<ns>/<ksa>]\`, \`principal://…\` or \`principalSet://…\`), it lets those
Kubernetes workloads impersonate every service account there, including the most privileged ones created later;
granted to any other member (a user, a group, a service account) it does the same for that member. Either is
critical. An IAM Condition narrows it only through resource attributes, which IAM honours for service accounts
(\`resource.name == 'projects/-/serviceAccounts/<email>'\`, \`resource.name.startsWith(...)\`): the finding then
says which accounts remain (medium). A time-only condition (\`request.time\`) leaves every account; a condition
on another \`resource.type\` or \`resource.service\` admits none; a condition podtrust cannot read is reported
as undecided in the coverage notes.
Only these two roles are read, and a binding with no members grants nothing. Other scanners' wider lists (Checkov's
CKV_GCP_41/45/48/49, Trivy's *_level_service_account_impersonation) also take \`roles/iam.serviceAccountUser\`,
\`roles/editor\`, \`roles/owner\` and service-agent roles: those attach an account to a resource (actAs) or administer
accounts rather than let a workload mint its token, and are out of scope here (docs/peer-comparison.md).`,
    remediation: 'Grant `roles/iam.workloadIdentityUser` (or `roles/iam.serviceAccountTokenCreator`) on the one Google service account the member needs (`google_service_account_iam_member` with `service_account_id`), never on the project, folder or organization.',
    messages: {
      workloadMember: '{{role}} is granted on {{where}} to workload identity member {{member}}: those workloads can impersonate {{reach}}.',
      otherMember: '{{role}} is granted on {{where}} to {{member}}: it can impersonate {{reach}}.',
    },
    references: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity',
      'https://cloud.google.com/iam/docs/service-account-permissions#user-role',
      'https://cloud.google.com/iam/docs/conditions-resource-attributes',
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
      const members = Array.isArray(body.members) ? body.members : [];
      if (isUnknown(body.role)) {
        if (members.length > 0) ctx.undecided(binding, '/role', `the role granted on this ${level}`);
        continue;
      }
      if (!role || !IMPERSONATION_ROLES.has(role)) continue;
      const scope = conditionScope(body.condition);
      if (scope.kind === 'none') continue;
      if (scope.kind === 'undecided') {
        if (members.length > 0) ctx.undecided(binding, '/condition', `which service accounts the condition of this ${level}-level ${role} grant admits`);
        continue;
      }
      const where = typeof target?.name === 'string' ? `${level} ${target.name}` : `its ${level}`;
      const reach = scope.kind === 'all'
        ? `every service account in the ${level}${body.condition !== undefined && body.condition !== null ? ' (its condition does not narrow which accounts)' : ''}`
        : `the service accounts its condition admits (resource.name ${scope.accounts.map((a) => shown(a)).join(' and ')}), and any created later that match`;
      members.forEach((member, i) => {
        const m = parseMember(member);
        const workload = isWorkloadMember(m) || (m.kind === 'other' && m.value.includes('/workloadIdentityPools/'));
        ctx.report({
          resource: binding,
          at: `/members/${i}`,
          severity: scope.kind === 'some' ? 'medium' : 'critical',
          messageId: workload ? 'workloadMember' : 'otherMember',
          data: { role, where, member: describeMember(member), reach },
          evidence: { role, level, member: workload ? 'workload' : 'other', condition: scope.kind },
        });
      });
    }
  },
};

export default rule;
