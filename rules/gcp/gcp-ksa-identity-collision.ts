import type { CodeRule, RuleContext } from '../../src/engine/rule-api.js';
import type { ClusterInfo, Resource } from '../../src/model/types.js';
import { admits } from '../../src/federation/matcher.js';
import { SUBJECT_PREFIX } from '../../src/federation/kubernetes-subjects.js';
import {
  GSA_ANNOTATION_POINTER,
  annotatedGsa,
  environmentOf,
  findGsa,
  gsaName,
  ksaOf,
  poolOfCluster,
} from '../../src/rules-support/gcp.js';

interface Member {
  sa: Resource;
  cluster: ClusterInfo;
  environment: string | undefined;
}

// A Map: an environment is a name from the configuration, and `constructor` must rank as unknown.
const ENVIRONMENT_RANK = new Map<string, number>([['prod', 0], ['staging', 1], ['test', 2], ['dev', 3], ['sandbox', 4]]);

/** Google service accounts whose scanned bindings admit exactly this pool/namespace/KSA. */
function boundAccounts(ctx: RuleContext, pool: string, subject: string): Resource[] {
  return ctx.model.ofType('gcp.iam.ServiceAccount').filter((gsa) =>
    ctx.model.federationsOf(gsa).some((f) => f.gcp?.pool === pool && !f.subject.unknown && admits(f.subject, subject)),
  );
}

function pointerOf(sa: Resource): string {
  return annotatedGsa(sa) !== undefined ? GSA_ANNOTATION_POINTER : '/metadata/name';
}

const rule: CodeRule = {
  meta: {
    id: 'gcp-ksa-identity-collision',
    title: 'The same KSA in several clusters of one workload pool is one identity',
    severity: 'high',
    lowestSeverity: 'medium',
    provider: 'gcp',
    tags: ['gke-workload-identity', 'identity-sameness'],
    description: `With GKE workload identity, a Kubernetes ServiceAccount is known to IAM only as \`<pool>[<namespace>/<name>]\`. Every
cluster of a project (and every member of a fleet) shares the pool \`<project>.svc.id.goog\`, so the same namespace and
name in two clusters is one identity: a grant meant for the production workload also reaches the ServiceAccount of
that name in a development cluster. High when the clusters differ in environment (the clusters map's
\`environment\`, or names and labels saying prod vs dev/test/staging/sandbox); medium otherwise, where it is often
intended but still worth knowing.`,
    remediation: 'Keep environments in separate projects (separate pools), or give the workloads distinct namespaces or ServiceAccount names per environment and bind each Google service account to the one it is meant for.',
    messages: {
      sharedIdentity: 'ServiceAccount {{namespace}}/{{name}} exists in clusters {{clusters}}, which share the workload pool {{pool}}: it is one identity ({{pool}}[{{namespace}}/{{name}}]), so workloads in every one of them can use {{accounts}}{{environments}}.',
    },
    references: [
      'https://cloud.google.com/kubernetes-engine/docs/concepts/workload-identity#identity_sameness',
      'https://cloud.google.com/kubernetes-engine/fleet-management/docs/about-fleet-workload-identity-federation',
    ],
  },
  check(ctx) {
    const groups = new Map<string, Member[]>();
    for (const sa of ctx.model.ofType('k8s.ServiceAccount')) {
      const ksa = ksaOf(sa);
      const cluster = ctx.model.cluster(sa.cluster);
      const pool = poolOfCluster(ctx.model, cluster);
      if (!ksa || !cluster || !pool) continue;
      if (ksa.namespace === undefined) {
        ctx.undecided(sa, '/metadata/namespace', `the namespace of ServiceAccount ${ksa.name}, which decides the identity it shares in ${pool}`);
        continue;
      }
      const key = `${pool}\u0000${ksa.namespace}\u0000${ksa.name}`;
      groups.set(key, [...(groups.get(key) ?? []), { sa, cluster, environment: environmentOf(ctx.model, cluster) }]);
    }
    for (const [key, members] of groups) {
      const clusters = new Set(members.map((m) => m.cluster.name));
      if (clusters.size < 2) continue;
      const [pool, namespace, name] = key.split('\u0000') as [string, string, string];
      const subject = `${SUBJECT_PREFIX}${namespace}:${name}`;
      const accounts = new Set<string>();
      for (const m of members) {
        const value = annotatedGsa(m.sa);
        const gsa = findGsa(ctx.model, value);
        if (gsa) accounts.add(gsaName(gsa));
        else if (typeof value === 'string') accounts.add(value);
      }
      const bound = boundAccounts(ctx, pool, subject);
      for (const gsa of bound) accounts.add(gsaName(gsa));
      if (accounts.size === 0) continue;
      const environments = new Set(members.map((m) => m.environment).filter((e): e is string => e !== undefined));
      const differ = environments.size > 1;
      const sorted = [...members].sort((a, b) => {
        const ra = differ ? -(ENVIRONMENT_RANK.get(a.environment ?? '') ?? -1) : 0;
        const rb = differ ? -(ENVIRONMENT_RANK.get(b.environment ?? '') ?? -1) : 0;
        return ra - rb || (a.cluster.name < b.cluster.name ? -1 : a.cluster.name > b.cluster.name ? 1 : 0) || (a.sa.id < b.sa.id ? -1 : 1);
      });
      const primary = sorted[0]!;
      const describe = (m: Member) => `${m.cluster.name}${m.environment ? ` (${m.environment})` : ''}`;
      const clusterList = [...new Map(sorted.map((m) => [m.cluster.name, describe(m)])).values()].join(', ');
      const related = sorted.slice(1).map((m) => ({ resource: m.sa, at: pointerOf(m.sa), message: `${namespace}/${name} in cluster ${describe(m)}` }));
      for (const gsa of bound) {
        for (const f of ctx.model.federationsOf(gsa)) {
          const source = f.sourceId ? ctx.model.resourceById(f.sourceId) : undefined;
          if (source && f.gcp?.pool === pool && !f.subject.unknown && admits(f.subject, subject)) related.push({ resource: source, at: f.pointer, message: `grant to ${f.gcp.member}` });
        }
      }
      ctx.report({
        resource: primary.sa,
        at: pointerOf(primary.sa),
        severity: differ ? 'high' : 'medium',
        messageId: 'sharedIdentity', data: { namespace, name, clusters: clusterList, pool, accounts: [...accounts].sort().join(', '), environments: differ ? ' — across environments' : '' },
        related,
        evidence: { pool, clusters: [...clusters].sort().join(',') },
      });
    }
  },
};

export default rule;
