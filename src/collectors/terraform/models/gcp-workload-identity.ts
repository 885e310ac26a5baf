/**
 * terraform-google-modules/kubernetes-engine `//modules/workload-identity`, majors 30-44 (its inputs did not change in
 * v38-v44: only the provider bounds and the kubectl wrapper's major).
 * - A Google service account `account_id = gcp_sa_name ?? trimsuffix(substr(name, 0, 30), "-")` in `project_id`,
 *   unless `use_existing_gcp_sa` (then the existing account of that id is used).
 * - A Kubernetes ServiceAccount `k8s_sa_name ?? name` in `namespace` (default `default`) annotated
 *   `iam.gke.io/gcp-service-account: <gsa email>`, unless `use_existing_k8s_sa`.
 * - `roles/iam.workloadIdentityUser` on the GSA for
 *   `serviceAccount:<k8s_sa_project_id ?? project_id>.svc.id.goog[<namespace>/<ksa name>]`.
 * - Each of `roles` granted on `project_id` (and `additional_projects`' roles on theirs) to the GSA.
 * - With `use_existing_k8s_sa` and `annotate_k8s_sa` (default true), `kubectl annotate` of the existing KSA
 *   (its `module "annotate-sa"`): modelled as the `kubernetes_annotations` resource that does the same, so an
 *   existing `default` ServiceAccount is seen carrying the GSA.
 */
import { escapeToken } from '../../../util/pointer.js';
import { GCP_SERVICE_ACCOUNT_ANNOTATION } from '../../../model/annotations.js';
import { type Value, isUnknown, mkUnknown, newObject, unknownText } from '../values.js';
import { ResourceBuilder, flag, has, input, mapEntries, obj, reference } from './support.js';
import type { ModelCall, ModelledResource, ModuleModel } from './types.js';
import { GKE_MAJORS } from './ranges.js';
import { KUBECTL_ANNOTATION, serviceAccountAnnotation } from './gcp-kubectl-wrapper.js';

const GSA = 'google_service_account.cluster_service_account[0]';
const KSA = 'kubernetes_service_account.main[0]';
const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

function text(v: Value): string {
  return typeof v === 'string' ? v : isUnknown(v) ? unknownText(v) : String(v);
}

interface Names {
  gsaId: Value;
  gsaIdAt: string;
  project: Value;
  email: Value;
  ksaName: Value;
  ksaNameAt: string;
  namespace: Value;
  namespaceAt: string | undefined;
}

function names(call: ModelCall): Names {
  const name = input(call, 'name', mkUnknown('name'));
  const gcpName = input(call, 'gcp_sa_name', null);
  const gsaId = gcpName !== null ? gcpName : typeof name === 'string' ? name.slice(0, 30).replace(/-+$/, '') : mkUnknown(`trimsuffix(substr(${text(name)}, 0, 30), "-")`);
  const project = input(call, 'project_id', mkUnknown('project_id'));
  const created = flag(call, 'use_existing_gcp_sa', false) !== true;
  const email: Value =
    typeof gsaId === 'string' && typeof project === 'string'
      ? `${gsaId}@${project}.iam.gserviceaccount.com`
      : created
        ? reference(call, GSA, 'email', `${GSA}.email`)
        : mkUnknown(`${text(gsaId)}@${text(project)}.iam.gserviceaccount.com`);
  const ksaName = input(call, 'k8s_sa_name', null) ?? name;
  const namespace = input(call, 'namespace', 'default');
  return {
    gsaId,
    gsaIdAt: gcpName !== null ? '/gcp_sa_name' : '/name',
    project,
    email,
    ksaName,
    ksaNameAt: has(call, 'k8s_sa_name') && call.inputs.k8s_sa_name !== null ? '/k8s_sa_name' : '/name',
    namespace,
    namespaceAt: has(call, 'namespace') ? '/namespace' : undefined,
  };
}

function gsa(call: ModelCall, n: Names): ModelledResource {
  const b = new ResourceBuilder(call);
  b.set('account_id', n.gsaId, n.gsaIdAt);
  b.set('project', n.project, '/project_id');
  b.set('display_name', `GCP SA bound to K8S SA ${text(n.ksaName)}`, n.ksaNameAt);
  return { type: 'google_service_account', localAddress: GSA, values: b.values, positions: b.positions };
}

function ksa(call: ModelCall, n: Names): ModelledResource {
  const b = new ResourceBuilder(call);
  b.place('/metadata', n.ksaNameAt);
  b.place('/metadata/0', n.ksaNameAt);
  b.place('/metadata/0/name', n.ksaNameAt);
  b.place('/metadata/0/namespace', n.namespaceAt);
  b.place('/metadata/0/annotations', n.gsaIdAt);
  b.place(`/metadata/0/annotations/${escapeToken(GCP_SERVICE_ACCOUNT_ANNOTATION)}`, n.gsaIdAt);
  const metadata = obj({ name: n.ksaName, namespace: n.namespace, annotations: obj({ [GCP_SERVICE_ACCOUNT_ANNOTATION]: n.email }) });
  b.values.metadata = [metadata];
  b.set('automount_service_account_token', input(call, 'automount_service_account_token', false), has(call, 'automount_service_account_token') ? '/automount_service_account_token' : undefined);
  return { type: 'kubernetes_service_account', localAddress: KSA, values: b.values, positions: b.positions };
}

/** The kubectl wrapper's `kubectl annotate --overwrite sa -n <namespace> <ksa name> iam.gke.io/gcp-service-account=<email>`. */
function annotateExisting(call: ModelCall, n: Names): ModelledResource {
  const target = { name: n.ksaName, namespace: n.namespace, annotations: [[GCP_SERVICE_ACCOUNT_ANNOTATION, n.email]] as [string, Value][] };
  const at = { name: n.ksaNameAt, ...(n.namespaceAt !== undefined ? { namespace: n.namespaceAt } : {}), annotations: n.ksaNameAt };
  return serviceAccountAnnotation(call, target, at, `module.annotate-sa.${KUBECTL_ANNOTATION}`);
}

function workloadIdentityBinding(call: ModelCall, n: Names, created: boolean): ModelledResource {
  const b = new ResourceBuilder(call);
  const target: Value = created
    ? reference(call, GSA, 'name', `${GSA}.name`)
    : typeof n.email === 'string' && typeof n.project === 'string'
      ? `projects/${n.project}/serviceAccounts/${n.email}`
      : mkUnknown(`projects/${text(n.project)}/serviceAccounts/${text(n.email)}`);
  b.set('service_account_id', target, n.gsaIdAt);
  b.set('role', WORKLOAD_IDENTITY_USER);
  const poolProject = input(call, 'k8s_sa_project_id', null) ?? n.project;
  const known = typeof poolProject === 'string' && typeof n.namespace === 'string' && typeof n.ksaName === 'string';
  const member = known
    ? `serviceAccount:${poolProject}.svc.id.goog[${n.namespace}/${n.ksaName}]`
    : mkUnknown(`serviceAccount:${text(poolProject)}.svc.id.goog[${text(n.namespace)}/${text(n.ksaName)}]`, { prefix: 'serviceAccount:' });
  b.set('member', member, n.namespaceAt ?? n.ksaNameAt);
  return { type: 'google_service_account_iam_member', localAddress: 'google_service_account_iam_member.main', values: b.values, positions: b.positions };
}

function projectRoles(call: ModelCall, n: Names): ModelledResource[] {
  const out: ModelledResource[] = [];
  const member: Value = typeof n.email === 'string' ? `serviceAccount:${n.email}` : mkUnknown(`serviceAccount:${text(n.email)}`, { prefix: 'serviceAccount:', ...(isUnknown(n.email) && n.email.ref ? { ref: n.email.ref } : {}) });
  const grant = (project: Value, role: Value, at: string, address: string) => {
    const b = new ResourceBuilder(call);
    b.place('', at);
    b.set('project', project, at);
    b.set('role', role, at);
    b.set('member', member, at);
    out.push({ type: 'google_project_iam_member', localAddress: address, values: b.values, positions: b.positions });
  };
  const roles = input(call, 'roles', []);
  if (Array.isArray(roles)) roles.forEach((role, i) => grant(n.project, role, `/roles/${i}`, `google_project_iam_member.workload_identity_sa_bindings[${JSON.stringify(text(role))}]`));
  for (const [project, list] of mapEntries(input(call, 'additional_projects', newObject())) ?? []) {
    if (!Array.isArray(list)) continue;
    list.forEach((role, i) => grant(project, role, `/additional_projects/${escapeToken(project)}/${i}`, `google_project_iam_member.workload_identity_sa_bindings_additional_projects[${JSON.stringify(`${project}.${text(role)}`)}]`));
  }
  return out;
}

function resources(call: ModelCall): ModelledResource[] {
  const n = names(call);
  const created = flag(call, 'use_existing_gcp_sa', false) !== true;
  const out: ModelledResource[] = [];
  if (created) out.push(gsa(call, n));
  if (flag(call, 'use_existing_k8s_sa', false) !== true) out.push(ksa(call, n));
  else {
    const annotate = flag(call, 'annotate_k8s_sa', true);
    if (annotate === true) out.push(annotateExisting(call, n));
  }
  out.push(workloadIdentityBinding(call, n, created));
  out.push(...projectRoles(call, n));
  return out;
}


const model: ModuleModel = {
  address: 'terraform-google-modules/kubernetes-engine/google',
  subdirs: Object.fromEntries(GKE_MAJORS.map((m) => [m, 'modules/workload-identity'])),
  documentedAt: ['https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/tree/main/modules/workload-identity'],
  resources,
  output(call, name) {
    const n = names(call);
    switch (name) {
      case 'gcp_service_account_email':
        return n.email;
      case 'gcp_service_account_fqn':
        return typeof n.email === 'string' ? `serviceAccount:${n.email}` : mkUnknown('module output gcp_service_account_fqn');
      case 'k8s_service_account_name':
        return n.ksaName;
      case 'k8s_service_account_namespace':
        return n.namespace;
      default:
        return undefined;
    }
  },
};

export default model;
