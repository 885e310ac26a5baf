import type { CodeRule } from '../../src/engine/rule-api.js';
import { isUnknown, valueText } from '../../src/model/unknown.js';
import { escapeToken } from '../../src/util/pointer.js';
import { asObject, cloudIdentities, joinNamespaceOf, metadataOf, podSpecsOf, type CloudIdentity } from '../../src/rules-support/kubernetes.js';

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
    messages: {
      longProjectedToken: '{{kind}} {{name}} projects a ServiceAccount token{{audience}} valid for {{seconds}} seconds (over a day): a leaked token stays usable that long.',
      tokenSecret: 'Secret {{secret}} holds a non-expiring token of ServiceAccount {{namespace}}/{{serviceAccount}}, which carries a cloud identity ({{identity}}): whoever reads it can get cloud credentials until the Secret is deleted.',
    },
    references: [
      'https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token',
      'https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#launch-a-pod-using-service-account-token-projection',
    ],
  },
  check(ctx) {
    // The first identity of each ServiceAccount, as a search of the list in order would find it.
    const identities = new Map<string, Map<string, CloudIdentity>>();
    for (const i of cloudIdentities(ctx.model)) {
      let inNamespace = identities.get(i.namespace);
      if (!inNamespace) identities.set(i.namespace, (inNamespace = new Map()));
      if (!inNamespace.has(i.serviceAccount)) inNamespace.set(i.serviceAccount, i);
    }
    for (const secret of ctx.model.ofType('k8s.Secret')) {
      const body = asObject(secret.body) ?? {};
      if (body.type !== 'kubernetes.io/service-account-token') continue;
      const sa = asObject(metadataOf(secret).annotations)?.['kubernetes.io/service-account.name'];
      const ns = joinNamespaceOf(secret);
      if (ns === undefined || isUnknown(sa)) {
        if (identities.size > 0) ctx.undecided(secret, ns === undefined ? '/metadata/namespace' : `/metadata/annotations/${escapeToken('kubernetes.io/service-account.name')}`, 'which ServiceAccount this token Secret belongs to');
        continue;
      }
      const identity = typeof sa === 'string' ? identities.get(ns)?.get(sa) : undefined;
      if (!identity) continue;
      ctx.report({
        resource: secret,
        at: '/type',
        messageId: 'tokenSecret', data: { secret: secret.name, namespace: ns, serviceAccount: valueText(sa), identity: identity.what },
        related: [{ resource: identity.resource, at: identity.at, message: `cloud identity of ${ns}/${valueText(sa)}` }],
      });
    }
    const all = ctx.model.resources;
    for (let i = 0; i < all.length; i++) {
      const r = all[i]!;
      if (!r.type.startsWith('k8s.')) continue;
      for (const { spec, pointer } of podSpecsOf(asObject(r.body) ?? {})) {
        const volumes = Array.isArray(spec.volumes) ? spec.volumes : [];
        for (let vi = 0; vi < volumes.length; vi++) {
          const sources = asObject(asObject(volumes[vi])?.projected)?.sources;
          if (!Array.isArray(sources)) continue;
          for (let si = 0; si < sources.length; si++) {
            const token = asObject(asObject(sources[si])?.serviceAccountToken);
            const exp = token?.expirationSeconds;
            const seconds = typeof exp === 'number' ? exp : typeof exp === 'string' && /^\d+$/.test(exp) ? Number(exp) : undefined;
            if (seconds === undefined || seconds <= MAX_EXPIRATION) continue;
            const audience = typeof token?.audience === 'string' ? ` for audience ${token.audience}` : '';
            ctx.report({
              resource: r,
              at: `${pointer}/volumes/${vi}/projected/sources/${si}/serviceAccountToken/expirationSeconds`,
              messageId: 'longProjectedToken', data: { kind: r.type.slice(4), name: r.name, audience, seconds },
            });
          }
        }
      }
    }
  },
};

export default rule;
