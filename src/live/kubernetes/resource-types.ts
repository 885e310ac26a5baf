/**
 * What a live Kubernetes scan reads: the one table the collector, the deploy/ ClusterRoles and
 * their tests derive from.
 */

export interface CollectedType {
  /** API group; `''` is the core group. */
  group: string;
  version: string;
  /** Plural resource name as in RBAC rules and URLs. */
  resource: string;
  kind: string;
  namespaced: boolean;
  /** Secrets: listed as metadata only with `--no-secret-values`, granted by a separate ClusterRole. */
  sensitive?: boolean;
  /** Read only when discovery says the API exists (custom resources); absence is not an error. */
  discovered?: boolean;
}

export const COLLECTED_TYPES: readonly CollectedType[] = [
  { group: '', version: 'v1', resource: 'namespaces', kind: 'Namespace', namespaced: false },
  { group: '', version: 'v1', resource: 'serviceaccounts', kind: 'ServiceAccount', namespaced: true },
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', namespaced: true },
  { group: '', version: 'v1', resource: 'nodes', kind: 'Node', namespaced: false },
  { group: '', version: 'v1', resource: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: '', version: 'v1', resource: 'secrets', kind: 'Secret', namespaced: true, sensitive: true },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', namespaced: true },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', namespaced: true },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'roles', kind: 'Role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', kind: 'ClusterRole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'rolebindings', kind: 'RoleBinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterrolebindings', kind: 'ClusterRoleBinding', namespaced: false },
  { group: 'aadpodidentity.k8s.io', version: 'v1', resource: 'azureidentities', kind: 'AzureIdentity', namespaced: true, discovered: true },
  { group: 'aadpodidentity.k8s.io', version: 'v1', resource: 'azureidentitybindings', kind: 'AzureIdentityBinding', namespaced: true, discovered: true },
];

export function apiVersionOf(type: CollectedType): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

/** The collection URL of a type across all namespaces. */
export function listPath(type: CollectedType): string {
  return type.group === '' ? `/api/${type.version}/${type.resource}` : `/apis/${type.group}/${type.version}/${type.resource}`;
}

/** The discovery document that says whether a type's API is served. */
export function discoveryPath(type: CollectedType): string {
  return type.group === '' ? `/api/${type.version}` : `/apis/${type.group}/${type.version}`;
}
