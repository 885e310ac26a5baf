import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Federation } from '../../src/federation/types.js';
import { admits } from '../../src/federation/matcher.js';
import { gsaEmail, unresolvedTarget } from '../../src/federation/gcp.js';
import { WORKLOAD_IDENTITY_USER, isWorkloadMember, parseMember } from '../../src/federation/gcp-members.js';
import type { Model } from '../../src/model/model.js';
import { isUnknown } from '../../src/model/unknown.js';
import { SUBJECT_PREFIX } from '../../src/federation/kubernetes-subjects.js';
import { GSA_ANNOTATION_POINTER, annotatedGsa, findGsa, gsaName, ksaOf, obj, poolOfCluster } from '../../src/rules-support/gcp.js';

/** Whether a grant may let this KSA of this pool and cluster obtain the account (unresolved parts count as yes). */
function mayAdmit(f: Federation, subject: string, pool: string | undefined, cluster: string | undefined): boolean {
  const g = f.gcp;
  if (!g) return false;
  if (g.scope === 'unknown' || g.scope === 'attribute' || g.scope === 'group') return true;
  if (!f.subject.unknown && !admits(f.subject, subject)) return false;
  if (f.subject.unknown && g.scope === 'ksa') {
    const [, , ns, name] = subject.split(':');
    if ((g.namespace != null && g.namespace !== ns) || (g.name != null && g.name !== name)) return false;
  }
  if (pool !== undefined && g.pool !== null && g.pool !== pool) return false;
  if (g.scope === 'cluster' && cluster !== undefined && g.cluster != null && g.cluster !== cluster) return false;
  return true;
}

/**
 * The workload identity grants whose resource is unresolved, classed once for the whole inventory
 * (see `unresolvedTarget`): whether one may be on any account, and whether one may be on an
 * account without a known email. Such a grant names no account, so none of them is "the" binding.
 */
function unresolvedGrants(model: Model): { anyAccount: boolean; withoutEmail: boolean } {
  const out = { anyAccount: false, withoutEmail: false };
  for (const b of model.ofType('gcp.iam.Binding')) {
    const body = obj(b.body) ?? {};
    if (body.role !== WORKLOAD_IDENTITY_USER && !isUnknown(body.role)) continue;
    const members = Array.isArray(body.members) ? body.members : [];
    const forWorkloads = members.some((m) => {
      const parsed = parseMember(m);
      return isWorkloadMember(parsed) || parsed.kind === 'unknown';
    });
    if (!forWorkloads) continue;
    const open = unresolvedTarget(b);
    if (open === 'any-account') out.anyAccount = true;
    else if (open === 'account-without-email') out.withoutEmail = true;
  }
  return out;
}

const rule: CodeRule = {
  meta: {
    id: 'gcp-wi-no-binding',
    title: 'A KSA names a Google service account that does not let it in',
    severity: 'medium',
    provider: 'gcp',
    tags: ['gke-workload-identity'],
    description: `The Kubernetes ServiceAccount is annotated \`iam.gke.io/gcp-service-account\` with a Google service account in the
scan, but no \`roles/iam.workloadIdentityUser\` binding on that account admits \`<pool>[<namespace>/<name>]\`: its pods
get permission errors, or the workload only works through a broader grant elsewhere (a project-level binding, a
node service account).`,
    remediation: 'Grant `roles/iam.workloadIdentityUser` on the Google service account to `serviceAccount:<project>.svc.id.goog[<namespace>/<name>]`, or fix the annotation.',
    messages: {
      noBinding: 'ServiceAccount {{namespace}}/{{name}} names Google service account {{gsa}}, which grants roles/iam.workloadIdentityUser to no member matching {{member}}: its pods cannot use it.',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity#authenticating_to'],
  },
  check(ctx) {
    const unresolved = unresolvedGrants(ctx.model);
    for (const sa of ctx.model.ofType('k8s.ServiceAccount')) {
      const ksa = ksaOf(sa);
      const gsa = findGsa(ctx.model, annotatedGsa(sa));
      if (!ksa || !gsa) continue;
      if (ksa.namespace === undefined) {
        ctx.undecided(sa, '/metadata/namespace', `the namespace of ServiceAccount ${ksa.name}, which a workload identity binding on ${gsaName(gsa)} must name`);
        continue;
      }
      const info = ctx.model.cluster(sa.cluster);
      const pool = poolOfCluster(ctx.model, info);
      const subject = `${SUBJECT_PREFIX}${ksa.namespace}:${ksa.name}`;
      const feds = ctx.model.federationsOf(gsa);
      if (feds.some((f) => mayAdmit(f, subject, pool, info?.name))) continue;
      if (unresolved.anyAccount || (unresolved.withoutEmail && gsaEmail(gsa) === undefined)) continue;
      const member = `serviceAccount:${pool ?? '<project>.svc.id.goog'}[${ksa.namespace}/${ksa.name}]`;
      ctx.report({
        resource: sa,
        at: GSA_ANNOTATION_POINTER,
        messageId: 'noBinding', data: { namespace: ksa.namespace, name: ksa.name, gsa: gsaName(gsa), member },
        related: [{ resource: gsa, at: '', message: `Google service account ${gsaName(gsa)}` }],
      });
    }
  },
};

export default rule;
