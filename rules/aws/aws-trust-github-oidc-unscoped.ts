import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Severity } from '../../src/model/types.js';
import { ciIssuerById, isPerTenant, keyPin, narrower, subjectPin, wider, type CiIssuer, type PinLevel } from '../../src/federation/ci-issuers.js';
import { isPlainValue } from '../../src/federation/aws-conditions.js';
import type { ConditionUse, Federation } from '../../src/federation/types.js';
import { constrainingConditions, displayIssuer, isEffective, roleDisplayName, webIdentityFederations } from '../../src/rules-support/aws.js';
import { quoteEach } from '../../src/util/input-text.js';

const PINNING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike']);

interface ConditionPin {
  condition: ConditionUse;
  /** `unknown`: an unresolved value (or an operator not modelled) may pin it. */
  level: PinLevel | 'unknown';
  offending: string[];
  owner?: string;
}

/** The effective conditions that can pin a CI trust: on `sub`, and on the claims the CI table lists as keys. */
function pinningConditions(f: Federation, ci: CiIssuer): ConditionUse[] {
  const keyClaims = ci.keyClaims ?? {};
  return f.conditions.filter((c) => !c.issuerMismatch && isEffective(c) && c.claim !== undefined && (c.claim === 'sub' || Object.hasOwn(keyClaims, c.claim)));
}

/** How far one condition pins: its values are OR-ed, so as far as its widest value. */
function pinOf(ci: CiIssuer, c: ConditionUse): ConditionPin {
  if (!PINNING_OPERATORS.has(c.base)) return { condition: c, level: 'unknown', offending: [] };
  const pattern = c.base === 'StringLike';
  let level: PinLevel = 'unit';
  let unresolved = false;
  let owner: string | undefined;
  const offending: string[] = [];
  for (const v of c.values) {
    if (!isPlainValue(v)) {
      unresolved = true;
      continue;
    }
    const read = c.claim === 'sub' ? subjectPin(ci, v, pattern) : keyPin(ci, c.claim!, v, pattern);
    if (read.level === 'unit') continue;
    offending.push(v);
    level = wider(level, read.level);
    if (read.level === 'owner') owner ??= read.owner;
  }
  const out: ConditionPin = { condition: c, level: unresolved && level === 'unit' ? 'unknown' : level, offending };
  if (owner !== undefined) out.owner = owner;
  return out;
}

/** Who can assume the role, for the message. */
function exposure(ci: CiIssuer, perTenant: boolean, level: PinLevel, owner: string | undefined): string {
  if (perTenant) return `every ${ci.unit} of the ${ci.name} ${ci.tenant} behind this issuer`;
  if (level === 'owner') return `every ${ci.unit} of ${ci.owner}${owner ? ` ${owner}` : ''}`;
  return `any ${ci.unit} of any ${ci.owner} on ${ci.name}`;
}

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-github-oidc-unscoped',
    title: "Trust to a CI provider's OIDC issuer is not pinned to one repository or project",
    severity: 'critical',
    lowestSeverity: 'high',
    provider: 'aws',
    tags: ['ci', 'trust-policy', 'github-actions'],
    description: `The role trusts the OIDC issuer of a CI service — GitHub Actions (\`token.actions.githubusercontent.com\`, and
\`token.actions.githubusercontent.com/<enterprise>\` for an enterprise), GitLab (\`gitlab.com\`), HCP Terraform
(\`app.terraform.io\`), Buildkite (\`agent.buildkite.com\`), CircleCI (\`oidc.circleci.com/org/<id>\`) or Bitbucket
Pipelines (\`api.bitbucket.org/2.0/workspaces/<workspace>/…\`) — and its conditions do not pin one repository,
project, workspace or pipeline. Severity follows what can match:

- **critical**: one issuer serves every customer (GitHub's public issuer, gitlab.com, app.terraform.io, Buildkite)
  and nothing fixes the owner: no \`sub\` condition, \`*\`, \`repo:*\`, \`organization:*\`, or a GitHub \`sub\` that
  fixes no repository or owner claim (\`workflow:deploy\`, \`environment:prod\`, \`ref:refs/heads/main\`). Every
  organization can choose which claims make up its GitHub \`sub\` and in what order, and workflow and
  environment names are free text, so such a value — even with \`repo:acme/app\` after the free-text claim —
  can be produced by any repository of any owner. A GitHub \`sub\` is pinned only by a repository or owner
  claim (\`repo:\`, \`repository:\`, \`repository_id:\`, \`job_workflow_ref:\`, \`workflow_ref:\`; for the owner
  \`repository_owner:\`, \`repository_owner_id:\`) read before any wildcard and before any claim whose value may
  hold free text (\`workflow\`, \`environment\`, \`context\`, claims podtrust does not know); claims that cannot
  (\`ref\`, \`ref_type\`, \`head_ref\`, \`base_ref\`, \`event_name\`, \`actor\`, …) may come first.
- **high**: one owner's units match (\`repo:acme/*\`, \`repository_owner_id:72931056:*\`, \`project_path:acme/*\`,
  \`organization:acme:*\`), or the issuer itself belongs to one tenant — CircleCI's per-organization issuer,
  Bitbucket's per-workspace issuer, a GitHub enterprise's issuer — and \`sub\` does not pin a project or
  repository there.

Besides \`sub\`, a positive condition on a GitHub issuer's \`repository\`, \`repository_id\` or
\`job_workflow_ref\` key (STS checks them against the token since 2026) pins the trust, or narrows it to one owner
(\`acme/*\`). The conditions are AND-ed: the narrowest one decides. Values podtrust cannot resolve are not
guessed at; a \`sub\` constrained only by negated operators is left to \`aws-trust-condition-bypassable\`. A
self-hosted GitLab or Terraform Enterprise is a single-tenant issuer of its own: \`aws-trust-sub-missing\` covers
it. The Kubernetes \`sub\` rules do not apply to CI issuers.
Where other scanners differ (docs/peer-comparison.md): \`repo:<owner>/*\` under \`StringLike\` is reported (high), since
every repository of that owner, present or future, can assume the role; Checkov's CKV_AWS_358 accepts it. A
wildcard under \`StringEquals\` (\`*\`, \`repo:*\`) is compared literally, so no token matches: that statement is
\`aws-trust-unsatisfiable\`, not this rule (CKV_AWS_358 reports it as open).`,
    remediation: 'Pin `sub` with `StringEquals` (or `StringLike` with a wildcard only after the repository, e.g. `repo:acme/deploy:ref:refs/heads/main` or `repo:acme/deploy:environment:prod`; `organization:acme:project:*:workspace:prod:run_phase:*` for HCP Terraform; `org/<org-id>/project/<project-id>/*` for CircleCI), keep the repository or owner claim first in a customised GitHub `sub`, and check `aud`.',
    messages: {
      loosePattern: 'Role {{role}} trusts {{issuer}} for {{claim}}{{patterns}}{{freeText}}: {{who}} can match.',
      noSubject: 'Role {{role}} trusts {{issuer}} with no "sub" condition: {{who}} can assume it.',
    },
    references: [
      'https://docs.github.com/en/actions/reference/security/oidc',
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
      'https://docs.gitlab.com/ci/cloud_services/aws/',
      'https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration',
      'https://circleci.com/docs/openid-connect-tokens/',
      'https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/',
    ],
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      const ci = f.issuer.kind === 'ci' ? ciIssuerById(f.issuer.ci) : undefined;
      if (!ci || f.unsatisfiable) continue;
      const perTenant = isPerTenant(ci, f.issuer.host);
      const pins = pinningConditions(f, ci).map((c) => pinOf(ci, c));
      if (pins.length === 0) {
        // Only negated conditions on sub: aws-trust-condition-bypassable reports those.
        if (constrainingConditions(f, 'sub').length > 0 || f.subject.unknown) continue;
        ctx.report({
          resource: role,
          at: f.conditionPointer,
          severity: perTenant ? 'high' : 'critical',
          messageId: 'noSubject', data: { role: roleDisplayName(role), issuer: displayIssuer(f), who: exposure(ci, perTenant, 'none', undefined) },
        });
        continue;
      }
      // IAM ANDs the conditions: the trust is as narrow as its narrowest one.
      if (pins.some((p) => p.level === 'unit' || p.level === 'unknown')) continue;
      const level = pins.reduce<PinLevel>((l, p) => narrower(l, p.level as PinLevel), 'none');
      const at = pins.find((p) => p.level === level && p.condition.claim === 'sub') ?? pins.find((p) => p.level === level)!;
      const severity: Severity = perTenant || level === 'owner' ? 'high' : 'critical';
      const freeText = ci.subjectClaims && !perTenant && level === 'none' && at.condition.claim === 'sub' ? ' (it fixes no repository or owner before a wildcard or a free-text claim such as workflow or environment)' : '';
      ctx.report({
        resource: role,
        at: at.condition.pointer,
        severity,
        messageId: 'loosePattern', data: { role: roleDisplayName(role), issuer: displayIssuer(f), claim: at.condition.claim === 'sub' ? '' : `${at.condition.claim} `, patterns: quoteEach(at.offending), freeText, who: exposure(ci, perTenant, level, at.owner) },
      });
    }
  },
};

export default rule;
