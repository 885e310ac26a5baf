import type { CodeRule } from '../../src/engine/rule-api.js';
import { asObject, cloudIdentities, metadataOf, namespaceOf } from '../../src/rules-support/kubernetes.js';
import { podSpecsOf } from '../../src/credentials/kubernetes.js';

const MAX_EXPIRATION = 86400;

const rule: CodeRule = {
  meta: {
    id: 'k8s-long-lived-sa-token',
    title: 'A long-lived ServiceAccount token can be exchanged for cloud credentials',
    severity: 'medium',
    provider: 'kubernetes',
    tags: ['tokens', 'irsa', 'azure-workload-identity', 'gke-workload-identity'],
    description: `Cloud STS services accept any valid token of the cluster's issuer for the trusted subject. A
\`kubernetes.io/service-account-token\` Secret never expires, so for a ServiceAccount that carries a cloud identity
(an identity annotation or an EKS Pod Identity association in the scan) whoever reads the Secret can mint cloud
credentials until the Secret is deleted. A projected token with \`expirationSeconds\` over 86400 (a day) stays usable
long after it leaks. Token Secrets for ServiceAccounts without a known cloud identity are not reported.`,
    remediation: 'Delete the token Secret and let pods use projected, kubelet-rotated tokens (the default). Keep `expirationSeconds` of projected tokens at 3600 or below (the cloud SDKs re-read the file).',
    references: [
      'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#launch-a-pod-using-service-account-token-projection',
    ],
  },
  check(ctx) {
    const identities = cloudIdentities(ctx.model);
    for (const secret of ctx.model.ofType('k8s.Secret')) {
      const body = asObject(secret.body) ?? {};
      if (body.type !== 'kubernetes.io/service-account-token') continue;
      const sa = asObject(metadataOf(secret).annotations)?.['kubernetes.io/service-account.name'];
      const ns = namespaceOf(secret);
      const identity = identities.find((i) => i.namespace === ns && i.serviceAccount === sa);
      if (!identity) continue;
      ctx.report({
        resource: secret,
        at: '/type',
        message: `Secret ${secret.name} holds a non-expiring token of ServiceAccount ${ns}/${String(sa)}, which carries a cloud identity (${identity.what}): whoever reads it can get cloud credentials until the Secret is deleted.`,
        related: [{ resource: identity.resource, at: identity.at, message: `cloud identity of ${ns}/${String(sa)}` }],
      });
    }
    for (const r of ctx.model.resources) {
      if (!r.type.startsWith('k8s.')) continue;
      for (const { spec, pointer } of podSpecsOf(asObject(r.body) ?? {})) {
        const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
        volumes.forEach((v, vi) => {
          const sources = asObject(asObject(v)?.projected)?.sources;
          if (!Array.isArray(sources)) return;
          sources.forEach((src, si) => {
            const token = asObject(asObject(src)?.serviceAccountToken);
            const exp = token?.expirationSeconds;
            const seconds = typeof exp === 'number' ? exp : typeof exp === 'string' && /^\d+$/.test(exp) ? Number(exp) : undefined;
            if (seconds === undefined || seconds <= MAX_EXPIRATION) return;
            const audience = typeof token?.audience === 'string' ? ` for audience ${token.audience}` : '';
            ctx.report({
              resource: r,
              at: `${pointer}/volumes/${vi}/projected/sources/${si}/serviceAccountToken/expirationSeconds`,
              message: `${r.type.slice(4)} ${r.name} projects a ServiceAccount token${audience} valid for ${seconds} seconds (over a day): a leaked token stays usable that long.`,
            });
          });
        });
      }
    }
  },
};

export default rule;
