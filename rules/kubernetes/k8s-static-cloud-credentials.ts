import type { CodeRule } from '../../src/engine/rule-api.js';
import type { CredentialEvidence, CredentialKind, JsonValue, Resource } from '../../src/model/types.js';
import { type PodIdentitySecretReference, podIdentitySecretReferences } from '../../src/rules-support/azure.js';
import { ACCESS_KEY_ID } from '../../src/credentials/detect.js';
import { quoteEach } from '../../src/util/input-text.js';

/** The static cloud credentials this rule reports; other credentials found (a kubeconfig's token) are only redacted. */
type CloudCredentialKind = Extract<CredentialKind, 'aws-access-key' | 'azure-client-secret' | 'gcp-service-account-key'>;

const LABEL: Record<CloudCredentialKind, string> = {
  'aws-access-key': 'an AWS access key',
  'azure-client-secret': 'an Azure client secret',
  'gcp-service-account-key': 'a GCP service-account key',
};

const INSTEAD: Record<CloudCredentialKind, string> = {
  'aws-access-key': 'IAM roles for service accounts (IRSA) or EKS Pod Identity',
  'azure-client-secret': 'Azure Workload Identity (a user-assigned managed identity with a federated credential)',
  'gcp-service-account-key': 'GKE Workload Identity Federation',
};

function isCloudCredential(kind: CredentialKind): kind is CloudCredentialKind {
  return Object.prototype.hasOwnProperty.call(LABEL, kind);
}

function line(r: Resource, pointer: string): number {
  return r.positions[pointer]?.line ?? Number.MAX_SAFE_INTEGER;
}

/** Only key ids were found: the object names an access key whose secret is stored somewhere else. */
function idOnly(list: CredentialEvidence[]): boolean {
  return list.every((e) => e.kind === 'aws-access-key' && e.form === ACCESS_KEY_ID);
}

const rule: CodeRule = {
  meta: {
    id: 'k8s-static-cloud-credentials',
    title: 'Static cloud credentials are stored in the cluster',
    severity: 'critical',
    provider: 'kubernetes',
    tags: ['secrets', 'irsa', 'pod-identity', 'azure-workload-identity', 'gke-workload-identity'],
    description: `A Secret (its \`data\` decoded and its \`stringData\`), a ConfigMap, a literal container environment value
or command-line argument (\`args\`, \`command\`, a \`sh -c\` script), an annotation, a custom resource's \`spec\`, a
kubeconfig file committed with the manifests (its exec plugin's environment), or a Terraform
\`kubernetes_secret\`/\`kubernetes_config_map\` holds a long-lived cloud credential: an AWS access key (an
\`AKIA\`/\`ASIA\` key id, a secret access key, or a shared-credentials file), an Azure client secret
(\`AZURE_CLIENT_SECRET\`, service-principal JSON with \`clientSecret\`/\`password\`; the \`clientSecret\` (type 1) or
the \`certificate\` and \`password\` (type 2) of a Secret an AAD Pod Identity \`AzureIdentity\` names in
\`clientPassword\`; the \`ClientSecret\` of the AAD Pod Identity admin Secret beside \`ClientID\` and \`TenantID\` —
these known by the reference and the keys, whatever format the secret has, including the pre-2021 formats without
\`Q~\`), or a GCP service-account key
(JSON with \`"type": "service_account"\` and \`private_key\`). Anyone who can read the object or the repository, or
exec into a pod that mounts it, holds the credential until someone rotates it, from anywhere. Terraform values that
reference \`aws_iam_access_key\`, \`google_service_account_key\` or \`azuread_application_password\` are credentials
whatever their value.

One finding per object and credential kind, at the first element that holds it. An \`AzureIdentity\` whose
\`clientPassword\` reference cannot be resolved is named as undecided. AWS documentation example keys
(ending in \`EXAMPLE\`) are not reported. A kubeconfig's own credentials (a user's bearer token, client key or
password) and other private keys are not cloud credentials: podtrust redacts them everywhere but this rule does not
report them. Evidence is redacted: podtrust records the credential kind, the key, and for identifiers that are not
secret (an access key id, a client id) their first 4 characters; no part of a secret value and no hash of it appears in
the inventory or any report.`,
    remediation: `Delete the stored credential and revoke it at the provider, then give the workload a federated identity:
IRSA or EKS Pod Identity on EKS, Azure Workload Identity on AKS, GKE Workload Identity Federation on GKE. Workloads
outside these platforms can exchange the cluster's ServiceAccount token through the same federation.`,
    messages: {
      stored: '{{object}} holds {{credential}} in {{keys}}{{id}} (value redacted): revoke it and use {{instead}} instead.',
      keyIdOnly: '{{object}} holds an AWS access key id whose secret key is stored elsewhere in {{keys}}{{id}} (value redacted): revoke it and use {{instead}} instead.',
      podIdentitySecret: '{{object}} holds the service principal credential of AzureIdentity {{identity}} in {{keys}}{{id}} (value redacted): revoke it and use {{instead}} instead.',
    },
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/service-accounts.html',
      'https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview',
      'https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#bp-workloads-use-roles',
    ],
    examples: {
      bad: `apiVersion: v1
kind: Secret
metadata:
  name: aws-credentials
type: Opaque
stringData:
  AWS_ACCESS_KEY_ID: AKIA…
  AWS_SECRET_ACCESS_KEY: …`,
      good: `apiVersion: v1
kind: ServiceAccount
metadata:
  name: uploader
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/uploader`,
    },
  },
  check(ctx) {
    const referenced = new Map<string, PodIdentitySecretReference>();
    for (const ref of podIdentitySecretReferences(ctx.model)) {
      if (ref.unresolved) ctx.undecided(ref.identity, ref.at, 'the Secret this AzureIdentity takes its service principal credential from');
      else if (ref.secret) referenced.set(ref.secret.id, ref);
    }
    const all = ctx.model.resources;
    for (let i = 0; i < all.length; i++) {
      const r = all[i]!;
      if (!r.type.startsWith('k8s.')) continue;
      const reference = referenced.get(r.id);
      const identity = reference?.identity;
      const credentials = reference ? [...(r.credentials ?? []), ...referencedSecret(r, reference.keys)] : r.credentials;
      if (!credentials) continue;
      const byKind = new Map<CloudCredentialKind, CredentialEvidence[]>();
      for (const e of credentials) if (isCloudCredential(e.kind)) (byKind.get(e.kind) ?? byKind.set(e.kind, []).get(e.kind)!).push(e);
      for (const [kind, list] of byKind) {
        const first = [...list].sort((a, b) => line(r, a.pointer) - line(r, b.pointer))[0]!;
        const keys = [...new Set(list.map((e) => e.key))];
        const idPrefix = list.find((e) => e.idPrefix)?.idPrefix;
        const evidence: Record<string, string> = { kind, key: keys.join(', ') };
        if (idPrefix) evidence.idPrefix = `${idPrefix}…`;
        const data = { object: `${r.type.slice(4)} ${r.name}`, keys: quoteEach(keys), id: idPrefix ? ` (id ${idPrefix}…)` : '', instead: INSTEAD[kind] };
        const usedBy = kind === 'azure-client-secret' ? identity : undefined;
        ctx.report({
          resource: r,
          at: first.pointer,
          key: kind,
          evidence,
          ...(usedBy
            ? { messageId: 'podIdentitySecret', data: { ...data, identity: usedBy.name } }
            : idOnly(list)
              ? { messageId: 'keyIdOnly', data }
              : { messageId: 'stored', data: { ...data, credential: LABEL[kind] } }),
          ...(usedBy ? { related: [{ resource: usedBy, at: reference!.at, message: `AzureIdentity ${usedBy.name} reads its service principal credential here` }] } : {}),
        });
      }
    }
  },
};

/**
 * The keys of a Secret an AzureIdentity names that hold its service principal's credential: one by
 * that reference, whatever format its value has (the value itself was redacted with every Secret value).
 */
function referencedSecret(secret: Resource, keys: readonly string[]): CredentialEvidence[] {
  if (secret.credentials?.some((e) => e.kind === 'azure-client-secret')) return [];
  const body = secret.body as Record<string, JsonValue>;
  const out: CredentialEvidence[] = [];
  for (const field of ['data', 'stringData']) {
    const values = body[field];
    if (values === null || typeof values !== 'object' || Array.isArray(values)) continue;
    for (const key of keys) {
      const v = (values as Record<string, JsonValue>)[key];
      if (v !== undefined && v !== null && v !== '') out.push({ kind: 'azure-client-secret', key, pointer: `/${field}/${key}`, form: 'AzureIdentity clientPassword' });
    }
  }
  return out;
}

export default rule;
