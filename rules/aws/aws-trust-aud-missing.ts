import type { CodeRule } from '../../src/engine/rule-api.js';
import { constrainingConditions, displayIssuer, hasMismatchedCondition, roleDisplayName, webIdentityFederations } from '../../src/rules-support/aws.js';

const STS_AUDIENCE = 'sts.amazonaws.com';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-aud-missing',
    title: 'Kubernetes web-identity trust does not check the token audience',
    severity: 'medium',
    lowestSeverity: 'low',
    provider: 'aws',
    tags: ['irsa', 'trust-policy'],
    description: `The trust statement has no condition on \`<issuer>:aud\`. Tokens a cluster issues for other audiences
(another cloud, a vault, an internal service) then work for this role as long as the IAM OIDC provider
lists their audience. STS accepts a token only when its \`aud\` is in the provider's client-ID list, so the
risk is small when the scanned provider accepts exactly \`${STS_AUDIENCE}\` (low); it is medium when the
provider is not in the scan or accepts other audiences too. A statement no token can satisfy (a positive test of
a key web-identity requests never carry, such as \`clusterID\`) is left to \`aws-trust-unsatisfiable\`.`,
    remediation: `Add \`"StringEquals": { "<issuer>:aud": "${STS_AUDIENCE}" }\` to the statement's conditions, and keep the OIDC
provider's client-ID list to \`${STS_AUDIENCE}\`.`,
    messages: {
      noAudience: 'Role {{role}} does not check the "aud" of tokens from {{issuer}}.',
      providerAcceptsOnlySts: 'Role {{role}} does not check the "aud" of tokens from {{issuer}} (the OIDC provider accepts only {{sts}}, which limits the exposure).',
      providerAcceptsOthers: 'Role {{role}} does not check the "aud" of tokens from {{issuer}} and the OIDC provider accepts {{audiences}}.',
    },
    references: ['https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html'],
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      if (f.issuer.kind !== 'kubernetes' && f.issuer.kind !== 'unknown') continue;
      if (f.unsatisfiable || f.principalWildcard || f.audience.unknown || hasMismatchedCondition(f, 'aud')) continue;
      if (constrainingConditions(f, 'aud').length > 0) continue;
      const audiences = f.issuer.providerAudiences;
      const onlySts = audiences !== undefined && audiences.length === 1 && audiences[0] === STS_AUDIENCE;
      ctx.report({
        resource: role,
        at: f.conditionPointer,
        severity: onlySts ? 'low' : 'medium',
        ...(onlySts
          ? { messageId: 'providerAcceptsOnlySts', data: { role: roleDisplayName(role), issuer: displayIssuer(f), sts: STS_AUDIENCE } }
          : audiences
            ? { messageId: 'providerAcceptsOthers', data: { role: roleDisplayName(role), issuer: displayIssuer(f), audiences: audiences.join(', ') } }
            : { messageId: 'noAudience', data: { role: roleDisplayName(role), issuer: displayIssuer(f) } }),
      });
    }
  },
};

export default rule;
