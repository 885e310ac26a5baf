import type { CodeRule } from '../../src/engine/rule-api.js';
import { isUnknown } from '../../src/model/unknown.js';
import { nodePools } from '../../src/rules-support/gcp.js';

const DEFAULT_COMPUTE_SA = /^\d+-compute@developer\.gserviceaccount\.com$/i;

const rule: CodeRule = {
  meta: {
    id: 'gcp-node-default-sa',
    title: 'A node pool runs as the default Compute Engine service account',
    severity: 'medium',
    provider: 'gcp',
    tags: ['node'],
    description: `A node pool without \`service_account\` runs as \`<project-number>-compute@developer.gserviceaccount.com\`, which
holds the Editor role on the project unless that default was changed. Anything that reaches the node's credentials
— a pod on a pool without the GKE metadata server, a container escape — gets it.
The cluster's own default pool counts too while \`remove_default_node_pool\` is not set: \`node_config.service_account\`
sets its account, \`cluster_autoscaling.auto_provisioning_defaults\` only that of auto-provisioned pools (Trivy's
use_service_account accepts the latter alone).`,
    remediation: 'Create a dedicated least-privilege service account for the nodes (`roles/container.defaultNodeServiceAccount`) and set it as `node_config.service_account` on every node pool.',
    messages: {
      defaultAccountNamed: 'Node pool {{pool}}{{where}} runs as the default Compute Engine service account {{account}}.',
      defaultAccountImplied: 'Node pool {{pool}}{{where}} {{setting}}: its nodes run as the default Compute Engine service account.',
    },
    references: ['https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster#use_least_privilege_sa'],
  },
  check(ctx) {
    for (const pool of nodePools(ctx.model)) {
      const sa = pool.config?.serviceAccount;
      if (pool.configUnknown || isUnknown(sa)) continue;
      const where = pool.cluster ? ` of cluster ${pool.cluster.name}` : '';
      if (sa === undefined || sa === null || sa === '' || sa === 'default') {
        ctx.report({
          resource: pool.resource,
          at: pool.config?.serviceAccount === undefined ? pool.configPointer : `${pool.configPointer}/serviceAccount`,
          messageId: 'defaultAccountImplied', data: { pool: pool.name, where, setting: sa === 'default' ? 'sets service account "default"' : 'sets no service account' },
        });
      } else if (typeof sa === 'string' && DEFAULT_COMPUTE_SA.test(sa)) {
        ctx.report({
          resource: pool.resource,
          at: `${pool.configPointer}/serviceAccount`,
          messageId: 'defaultAccountNamed', data: { pool: pool.name, where, account: sa },
        });
      }
    }
  },
};

export default rule;
