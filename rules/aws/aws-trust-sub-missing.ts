import type { CodeRule } from '../../src/engine/rule-api.js';
import { constrainingConditions, displayIssuer, hasMismatchedCondition, roleDisplayName, webIdentityFederations } from '../../src/rules-support/aws.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-sub-missing',
    title: 'Web-identity trust to a Kubernetes issuer has no subject condition',
    severity: 'critical',
    lowestSeverity: 'high',
    provider: 'aws',
    tags: ['irsa', 'trust-policy'],
    description: `An IAM role trusts a Kubernetes cluster's OIDC issuer (IRSA) but its trust statement has no
condition on \`<issuer>:sub\`. Every ServiceAccount token the cluster issues satisfies it, so any pod in
any namespace — including one an attacker manages to start — can assume the role.

Issuers are treated as Kubernetes when they are EKS, AKS or GKE issuers, the issuer of a scanned
cluster, or any other issuer that is not a known CI or consumer identity provider (those are covered by
\`aws-trust-github-oidc-unscoped\`). An issuer podtrust does not recognise is reported as high instead of
critical, and the message says the issuer is unknown. A \`Null\` check (\`"<issuer>:sub": "false"\`) only
requires the claim to exist, which every token does, so it does not count as a subject condition. When the
condition block cannot be resolved statically (a CDK \`CfnJson\` value, an unknown variable), nothing is
reported. A statement no token can satisfy — for instance one whose only condition is a positive test of a key
web-identity requests never carry, such as \`"StringEquals": {"clusterID": "1234"}\` — is reported by
\`aws-trust-unsatisfiable\` instead; the same test under \`ForAllValues:\` or \`…IfExists\` passes without the
key, so that statement is open and reported here.`,
    remediation: `Add a \`StringEquals\` condition on \`<issuer>:sub\` naming exactly the ServiceAccount that needs the
role, \`system:serviceaccount:<namespace>:<name>\`, next to the \`<issuer>:aud\` condition
(\`sts.amazonaws.com\`). With Terraform's \`aws_iam_policy_document\`, add a \`condition\` block with
\`test = "StringEquals"\` and \`variable = "\${local.oidc_issuer}:sub"\`.`,
    messages: {
      kubernetesIssuer: 'Role {{role}} trusts {{issuer}} with no condition on the token\'s "sub": every ServiceAccount of the cluster can assume it.',
      unknownIssuer: 'Role {{role}} trusts the OIDC issuer {{host}}, which is not a known Kubernetes or CI issuer, with no condition on the token\'s "sub": every identity that issuer vouches for can assume it.',
      unresolvedIssuer: 'Role {{role}} trusts {{issuer}} with no condition on the token\'s "sub": every identity that issuer vouches for can assume it.',
    },
    references: [
      'https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif',
    ],
    examples: {
      bad: `"Condition": { "StringEquals": { "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com" } }`,
      good: `"Condition": { "StringEquals": {
  "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub": "system:serviceaccount:payments:payments-api",
  "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud": "sts.amazonaws.com" } }`,
    },
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      if (f.issuer.kind !== 'kubernetes' && f.issuer.kind !== 'unknown') continue;
      if (f.unsatisfiable || f.principalWildcard || f.subject.unknown || hasMismatchedCondition(f, 'sub')) continue;
      if (constrainingConditions(f, 'sub').length > 0) continue;
      const known = f.issuer.kind === 'kubernetes';
      ctx.report({
        resource: role,
        at: f.conditionPointer,
        severity: known ? 'critical' : 'high',
        ...(known
          ? { messageId: 'kubernetesIssuer', data: { role: roleDisplayName(role), issuer: displayIssuer(f) } }
          : f.issuer.host
            ? { messageId: 'unknownIssuer', data: { role: roleDisplayName(role), host: f.issuer.host } }
            : { messageId: 'unresolvedIssuer', data: { role: roleDisplayName(role), issuer: displayIssuer(f) } }),
      });
    }
  },
};

export default rule;
