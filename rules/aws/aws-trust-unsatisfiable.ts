import type { CodeRule } from '../../src/engine/rule-api.js';
import { requiresKeyPresent } from '../../src/federation/aws-condition-eval.js';
import { roleFederations, roleDisplayName } from '../../src/rules-support/aws.js';

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-unsatisfiable',
    title: 'A trust statement no token can satisfy',
    severity: 'low',
    provider: 'aws',
    tags: ['trust-policy'],
    description: `No token can satisfy the statement, because IAM evaluates it as false for every web-identity request:

- a \`*\` under \`StringEquals\` on \`sub\` or \`aud\`, for any issuer: it matches only the literal star. For a CI issuer also
  a \`*\` or \`?\` where a repository or owner name belongs (\`repo:acme/*\` or \`repo:acme*\` under \`StringEquals\`);
- a fixed GitHub \`sub\` that is not a run of \`name:value\` claims (\`acme/deploy\` without \`repo:\`, a bare
  \`production\`, one ending on a claim name): GitHub never issues it;
- contradictory conditions on the same claim, or a Deny statement that takes away every subject;
- a positive test of a key STS never puts in an AssumeRoleWithWebIdentity request: a key without a service prefix
  (\`clusterID\`, a bare \`sub\`), another service's key (\`s3:prefix\`, \`ec2:SourceInstanceARN\`), or a key that
  describes a signed caller or a calling service (\`aws:PrincipalOrgID\`, \`aws:PrincipalArn\`, \`aws:PrincipalTag/*\`,
  \`aws:SourceAccount\`, \`aws:SourceArn\`, \`sts:ExternalId\`): the call is unsigned and made by the workload
  itself. A positive operator on a missing key is false;
- \`Null\` requiring a key every request carries (\`sub\`, \`aud\`, \`aws:SecureTransport\`, \`aws:RequestedRegion\`) to be
  absent.

Keys present only on some requests (\`aws:SourceVpce\`, \`aws:SourceIp\`, session tags \`aws:RequestTag/*\`, the
issuer's other claims) narrow a statement but do not kill it. \`…IfExists\` and \`ForAllValues:\` tests of a missing
key are true: such a statement is open, and the \`sub\`/\`aud\` rules judge it. The role is dead for this issuer, or
will break silently when someone "fixes" it. When the cause is a condition on another issuer's keys, only
\`aws-trust-issuer-mismatch\` is reported.`,
    remediation: 'Fix the conditions so they name the intended subject exactly (`StringEquals` for values, `StringLike` for patterns) on the issuer\'s `sub` and `aud` keys, or remove the statement if the trust is not needed.',
    messages: {
      unsatisfiable: 'Role {{role}}: no token can satisfy this statement: {{reason}}.',
    },
    references: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html',
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif',
    ],
  },
  check(ctx) {
    for (const { role, federation: f } of roleFederations(ctx.model)) {
      if (!f.unsatisfiable) continue;
      if (f.conditions.some((c) => c.issuerMismatch && requiresKeyPresent(c))) continue;
      ctx.report({ resource: role, at: f.pointer, messageId: 'unsatisfiable', data: { role: roleDisplayName(role), reason: f.unsatisfiable } });
    }
  },
};

export default rule;
