import type { CodeRule } from '../../src/engine/rule-api.js';
import type { JsonValue, Resource } from '../../src/model/types.js';
import type { Model } from '../../src/model/model.js';
import { GSA_ANNOTATION_POINTER, annotatedGsa, findGsa, gsaName, clusterResource, ksaOf, nodePools, obj, str, workloadIdentityEnabled } from '../../src/rules-support/gcp.js';
import { isUnknown, valueText } from '../../src/model/unknown.js';
import { shown } from '../../src/util/input-text.js';

/** A node pool's service account as a message names it: unset means the Compute Engine default account. */
function nodeAccount(model: Model, value: JsonValue | undefined): string {
  if (value === undefined || value === null || value === '' || value === 'default') return 'the Compute Engine default service account';
  const gsa = findGsa(model, value);
  return gsa ? gsaName(gsa) : shown(valueText(value));
}

const EXPOSING_NODE_METADATA = new Set(['EXPOSE', 'SECURE', 'UNSPECIFIED']);

const rule: CodeRule = {
  meta: {
    id: 'gcp-node-metadata-exposed',
    title: 'Pods can reach the node service account through the metadata server',
    severity: 'high',
    provider: 'gcp',
    tags: ['gke-workload-identity', 'node'],
    description: `Workload identity only isolates pods when their node pool runs the GKE metadata server. A node pool set to
\`GCE_METADATA\` (or the deprecated \`node_metadata\` values \`EXPOSE\`, \`SECURE\`, \`UNSPECIFIED\`) serves the Compute
Engine metadata server: every pod on it gets the node's service account token. A cluster without workload identity
does the same for every pool, whether or not any KSA is annotated: it is reported at the cluster, naming the node
service account (Autopilot clusters always run workload identity) — and KSAs annotated
\`iam.gke.io/gcp-service-account\` there silently run as the node.
An unset mode (or \`MODE_UNSPECIFIED\`) on a workload-identity cluster means the default \`GKE_METADATA\` and is fine.
A separately managed pool that leaves the mode unset, whose cluster is not in the scan, is named as undecided.
Disabling the legacy metadata endpoints (\`disable-legacy-endpoints\`) does not help: the v1 endpoint still serves
the token (Trivy's metadata_endpoints_disabled accepts it). A pool set to \`GKE_METADATA\` in a cluster without
\`workload_identity_config\` still gets the cluster-level finding: GKE refuses that mode until the cluster has a
workload pool, and the cluster is where that is set (Trivy's node_metadata_security accepts the pool).`,
    remediation: 'Enable workload identity on the cluster (`workload_identity_config { workload_pool = "<project>.svc.id.goog" }`) and set `workload_metadata_config { mode = "GKE_METADATA" }` on every node pool (or remove the override).',
    messages: {
      poolGceMetadata: "Node pool {{pool}}{{where}} serves the Compute Engine metadata server (GCE_METADATA): every pod on it gets the node's service account.",
      poolLegacyMetadata: "Node pool {{pool}}{{where}} uses the deprecated node_metadata = {{legacy}}, which does not run the GKE metadata server: pods get the node's service account.",
      clusterWithoutWorkloadIdentity: 'Cluster {{cluster}} has no workload identity: every pod can take {{runsAs}} from the metadata server.{{expecting}}',
    },
    references: [
      'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/protecting-cluster-metadata',
    ],
  },
  check(ctx) {
    for (const pool of nodePools(ctx.model)) {
      const wmc = obj(pool.config?.workloadMetadataConfig);
      if (!wmc || (wmc.mode === undefined && wmc.nodeMetadata === undefined)) {
        // An unset mode follows the cluster: without it in the scan, workload identity is unknown.
        if (!pool.cluster) ctx.undecided(pool.resource, pool.configPointer, 'whether this node pool serves its service account to pods (its cluster, which decides workload identity, is not in the scan)');
        continue;
      }
      const mode = str(wmc.mode);
      const legacy = str(wmc.nodeMetadata);
      if (isUnknown(wmc.mode) || isUnknown(wmc.nodeMetadata)) {
        ctx.undecided(pool.resource, `${pool.configPointer}/workloadMetadataConfig/${isUnknown(wmc.mode) ? 'mode' : 'nodeMetadata'}`, 'the workload metadata mode of this node pool');
        continue;
      }
      const where = pool.cluster ? ` of cluster ${pool.cluster.name}` : '';
      if (mode === 'GCE_METADATA') {
        ctx.report({
          resource: pool.resource,
          at: `${pool.configPointer}/workloadMetadataConfig/mode`,
          messageId: 'poolGceMetadata',
          data: { pool: pool.name, where },
        });
      } else if (mode === undefined && legacy !== undefined && EXPOSING_NODE_METADATA.has(legacy)) {
        ctx.report({
          resource: pool.resource,
          at: `${pool.configPointer}/workloadMetadataConfig/nodeMetadata`,
          messageId: 'poolLegacyMetadata',
          data: { pool: pool.name, where, legacy },
        });
      }
    }
    const annotated = new Map<Resource, Resource[]>();
    for (const sa of ctx.model.ofType('k8s.ServiceAccount')) {
      if (annotatedGsa(sa) === undefined || !ksaOf(sa)) continue;
      const cluster = clusterResource(ctx.model, ctx.model.cluster(sa.cluster));
      if (cluster) annotated.set(cluster, [...(annotated.get(cluster) ?? []), sa]);
    }
    const pools = nodePools(ctx.model);
    for (const cluster of ctx.model.ofType('gcp.container.Cluster')) {
      if (workloadIdentityEnabled(cluster) !== false) continue;
      const accounts = [...new Set(pools.filter((p) => p.cluster === cluster).map((p) => nodeAccount(ctx.model, p.config?.serviceAccount)))];
      const runsAs = accounts.length === 0 ? "the nodes' service account" : `the node service account${accounts.length === 1 ? '' : 's'} ${accounts.join(', ')}`;
      const sas = annotated.get(cluster) ?? [];
      const expecting = sas.length === 0
        ? ''
        : ` ${sas.length === 1 ? 'ServiceAccount' : 'ServiceAccounts'} ${sas.map((s) => s.name).join(', ')} ${sas.length === 1 ? 'is' : 'are'} annotated iam.gke.io/gcp-service-account but run as the node instead.`;
      ctx.report({
        resource: cluster,
        at: '/workloadIdentityConfig',
        messageId: 'clusterWithoutWorkloadIdentity',
        data: { cluster: cluster.name, runsAs, expecting },
        related: sas.map((sa) => ({ resource: sa, at: GSA_ANNOTATION_POINTER, message: `${sa.name} expects workload identity` })),
      });
    }
  },
};

export default rule;
