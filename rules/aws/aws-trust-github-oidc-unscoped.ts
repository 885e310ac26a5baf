import type { CodeRule } from '../../src/engine/rule-api.js';
import type { Severity } from '../../src/model/types.js';
import { claimConditions, constrainingConditions, displayIssuer, isEffective, roleDisplayName, webIdentityFederations } from '../../src/rules-support/aws.js';
import { hasWildcard } from '../../src/federation/wildcard.js';
import { quoteEach } from '../../src/util/input-text.js';

/** How each CI system writes the owner and the repository/project into `sub`. */
const SUBJECT_SHAPES: Record<string, { prefix: string; ownerEnd: string }> = {
  github: { prefix: 'repo:', ownerEnd: '/' },
  gitlab: { prefix: 'project_path:', ownerEnd: '/' },
  'terraform-cloud': { prefix: 'organization:', ownerEnd: ':' },
  buildkite: { prefix: 'organization:', ownerEnd: ':' },
};

/** What the CI system calls the thing `sub` should pin, and its owner. */
const UNIT: Record<string, string> = { 'terraform-cloud': 'workspaces', buildkite: 'pipelines', gitlab: 'projects' };
const UNIT_ONE: Record<string, string> = { 'terraform-cloud': 'workspace', buildkite: 'pipeline', gitlab: 'project' };
const OWNER: Record<string, string> = { gitlab: 'group' };

function firstWildcard(s: string): number {
  const a = s.indexOf('*');
  const b = s.indexOf('?');
  return a < 0 ? b : b < 0 ? a : Math.min(a, b);
}

/** critical: any owner matches; high: every repository of one owner; undefined: pinned to one repository. */
export function subjectScope(ci: string | undefined, value: string): Severity | undefined {
  if (!hasWildcard(value)) return undefined;
  const shape = ci ? SUBJECT_SHAPES[ci] : undefined;
  if (!shape) return firstWildcard(value) === 0 ? 'critical' : undefined;
  if (!value.startsWith(shape.prefix)) return firstWildcard(value) < shape.prefix.length ? 'critical' : undefined;
  const rest = value.slice(shape.prefix.length);
  const w = firstWildcard(rest);
  const ownerEnd = rest.indexOf(shape.ownerEnd);
  if (ownerEnd < 0 || w <= ownerEnd) return 'critical';
  const repoEnd = rest.indexOf(':', ownerEnd + 1);
  if (shape.ownerEnd === ':') {
    // organization:<org>:project:<p>:workspace:<w>: the workspace or pipeline is what must be pinned.
    const nameEnd = rest.indexOf(':', rest.indexOf(':', ownerEnd + 1) + 1);
    return nameEnd < 0 || w < nameEnd ? 'high' : undefined;
  }
  return repoEnd < 0 || w < repoEnd ? 'high' : undefined;
}

const rule: CodeRule = {
  meta: {
    id: 'aws-trust-github-oidc-unscoped',
    title: 'Trust to a CI provider (GitHub Actions, GitLab, Terraform Cloud) is not pinned to one repository',
    severity: 'critical',
    provider: 'aws',
    tags: ['ci', 'trust-policy', 'github-actions'],
    description: `Multi-tenant CI issuers (\`token.actions.githubusercontent.com\`, \`gitlab.com\`, \`app.terraform.io\`, …) sign
tokens for every customer's pipelines. A role that trusts such an issuer without a \`sub\` condition, or with
\`sub\` patterns like \`*\` or \`repo:*\`, can be assumed from any repository of any owner on that service:
critical. A pattern covering a whole organization (\`repo:acme/*\`) lets every repository of the organization,
including forks' workflows that run there and low-trust repositories, assume it: high.`,
    remediation: 'Pin `sub` with `StringEquals` (or `StringLike` with a wildcard only after the repository, e.g. `repo:acme/deploy:ref:refs/heads/main` or `repo:acme/deploy:environment:prod`) and check `aud` (`sts.amazonaws.com`).',
    references: [
      'https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services',
      'https://docs.gitlab.com/ci/cloud_services/aws/',
      'https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration',
    ],
  },
  check(ctx) {
    for (const { role, federation: f } of webIdentityFederations(ctx.model)) {
      if (f.issuer.kind !== 'ci' || f.unsatisfiable) continue;
      const subs = claimConditions(f, 'sub').filter(isEffective);
      if (constrainingConditions(f, 'sub').length === 0 && !f.subject.unknown) {
        ctx.report({
          resource: role,
          at: f.conditionPointer,
          severity: 'critical',
          message: `Role ${roleDisplayName(role)} trusts ${displayIssuer(f)} with no "sub" condition: any repository of any owner on that service can assume it.`,
        });
        continue;
      }
      // IAM ANDs the operators: an exact StringEquals on sub pins the trust to those subjects.
      if (subs.some((c) => c.base === 'StringEquals' || c.base === 'StringEqualsIgnoreCase')) continue;
      for (const c of subs) {
        let worst: Severity | undefined;
        const offending: string[] = [];
        for (const v of c.values) {
          if (typeof v !== 'string') continue;
          const scope = c.base === 'StringLike' ? subjectScope(f.issuer.ci, v) : undefined;
          if (!scope) continue;
          offending.push(v);
          if (worst !== 'critical') worst = scope;
        }
        if (!worst) continue;
        ctx.report({
          resource: role,
          at: c.pointer,
          severity: worst,
          message: `Role ${roleDisplayName(role)} trusts ${displayIssuer(f)} for ${quoteEach(offending)}: ${
            worst === 'critical' ? `${UNIT[f.issuer.ci ?? ''] ?? 'repositories'} of any owner match` : `every ${UNIT_ONE[f.issuer.ci ?? ''] ?? 'repository'} of the ${OWNER[f.issuer.ci ?? ''] ?? 'organization'} matches`
          }.`,
        });
      }
    }
  },
};

export default rule;
