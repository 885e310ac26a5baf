import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Federation } from '../../src/federation/types.js';
import { admits } from '../../src/federation/matcher.js';
import { bindingTargets, mayTarget } from '../../src/federation/gcp.js';
import { WORKLOAD_IDENTITY_USER, isWorkloadMember, parseMember } from '../../src/federation/gcp-members.js';
import type { Model } from '../../src/model/model.js';
import type { Resource } from '../../src/model/types.js';
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

/** A workload identity binding whose resource is unresolved and may be this account's. */
function unresolvedGrantMayExist(model: Model, gsa: Resource): boolean {
  return model.ofType('gcp.iam.Binding').some((b) => {
    if (bindingTargets(b, gsa) || !mayTarget(b, gsa)) return false;
    const body = obj(b.body) ?? {};
    if (body.role !== WORKLOAD_IDENTITY_USER && !isUnknown(body.role)) return false;
    const members = Array.isArray(body.members) ? body.members : [];
    return members.some((m) => {
      const parsed = parseMember(m);
      return isWorkloadMember(parsed) || parsed.kind === 'unknown';
    });
  });
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
      if (unresolvedGrantMayExist(ctx.model, gsa)) continue;
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
