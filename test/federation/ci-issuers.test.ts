import { describe, expect, it } from 'vitest';
import { CI_ISSUERS, ciIssuerById, ciIssuerByHost, isPerTenant, keyPin, subjectPin } from '../../src/federation/ci-issuers.js';
import { classifyIssuer } from '../../src/federation/issuers.js';

const ci = (id: string) => ciIssuerById(id)!;

describe('the CI issuer table', () => {
  it('every row names its sources and a whole-owner pattern, and each host once', () => {
    for (const row of CI_ISSUERS) {
      expect(row.sources.length, row.id).toBeGreaterThan(0);
      expect(row.sources.every((s) => s.startsWith('https://')), row.id).toBe(true);
      expect(row.wholeOwner, row.id).toMatch(/\*$/);
      expect(ciIssuerByHost(row.host)).toBe(row);
      expect(classifyIssuer(row.host)).toEqual({ kind: 'ci', ci: row.id });
    }
    expect(new Set(CI_ISSUERS.map((r) => r.host)).size).toBe(CI_ISSUERS.length);
  });

  it.each([
    ['github', 'token.actions.githubusercontent.com', false],
    ['github', 'token.actions.githubusercontent.com/acme-corp', true],
    ['gitlab', 'gitlab.com', false],
    ['terraform-cloud', 'app.terraform.io', false],
    ['buildkite', 'agent.buildkite.com', false],
    ['circleci', 'oidc.circleci.com/org/9c1d0e2f-6a3b-4c5d-8e7f-0a1b2c3d4e5f', true],
    ['bitbucket', 'api.bitbucket.org/2.0/workspaces/acme/pipelines-config/identity/oidc', true],
  ])('%s issuer %s serves one tenant: %s', (id, host, perTenant) => {
    expect(isPerTenant(ci(id), host)).toBe(perTenant);
  });

  it('a self-managed GitLab host is not a CI issuer of the table', () => {
    expect(classifyIssuer('gitlab.acme.internal')).toEqual({ kind: 'unknown' });
  });

  it('the whole-owner pattern of each row pins the owner, not the unit', () => {
    for (const row of CI_ISSUERS.filter((r) => r.wholeOwner.includes('<owner>'))) {
      expect(subjectPin(row, row.wholeOwner.replace('<owner>', 'acme'), true), row.id).toMatchObject({ level: 'owner', owner: 'acme' });
    }
  });
});

describe('subjectPin: GitHub subjects', () => {
  const gh = ci('github');
  it.each([
    // Pinned to a repository (or to none that exists).
    ['repo:acme/deploy:ref:refs/heads/main', false, 'unit'],
    ['repo:acme/deploy:*', true, 'unit'],
    ['repo:acme/deploy', true, 'unit'],
    ['repository_id:123456789:environment:prod', false, 'unit'],
    ['repository_owner_id:72:repository_id:123456789:ref:refs/heads/main', false, 'unit'],
    ['ref:refs/heads/main:repo:acme/deploy:*', true, 'unit'],
    ['job_workflow_ref:acme/shared-workflows/.github/workflows/deploy.yml@refs/heads/main', false, 'unit'],
    ['job_workflow_ref:acme/shared-workflows/*', true, 'unit'],
    // One owner.
    ['repo:acme/*', true, 'owner'],
    ['repo:acme/deploy*', true, 'owner'],
    ['repository_owner:acme', false, 'owner'],
    ['repository_owner_id:72:*', true, 'owner'],
    ['job_workflow_ref:acme/*', true, 'owner'],
    // Any owner: a wildcard or a free-text claim comes before any repository or owner claim.
    ['*', true, 'none'],
    ['repo:*', true, 'none'],
    ['repo:acme*', true, 'none'],
    ['workflow:deploy', false, 'none'],
    ['workflow:github-actions:repo:myOrg/myRepo:ref:refs/heads/MyBranch', false, 'none'],
    ['environment:production', false, 'none'],
    ['environment:prod*', true, 'none'],
    ['ref:refs/heads/main', false, 'none'],
    ['context:ref:refs/heads/main:repo:acme/deploy', false, 'none'],
    ['head_ref:feature:base_ref:main', false, 'none'],
    ['*:repo:acme/deploy:*', true, 'none'],
    ['invalid*', true, 'none'],
  ])('%s (pattern %s) → %s', (value, pattern, level) => {
    expect(subjectPin(gh, value, pattern).level).toBe(level);
  });

  it.each([
    ['repo:*', true],
    ['repo:myOrg*', true],
    ['repo:myOrg/*', true],
    ['repository_id:*', true],
    ['repo:myOrg/myRepo:ref:refs/heads/main', false],
    ['workflow:*', false],
    // Every claim is `name:value`: a subject without one, or ending on a bare name, is never issued.
    ['invalid', true],
    ['repository_owner:acme:ref', true],
    ['environment:production', false],
  ])('literal %s names no repository or owner that exists: %s', (value, impossible) => {
    expect(subjectPin(gh, value, false).impossible === true).toBe(impossible);
  });

  it('condition keys on the repository claims pin like the same claims in sub', () => {
    expect(keyPin(gh, 'repository', 'acme/deploy', false).level).toBe('unit');
    expect(keyPin(gh, 'repository', 'acme/*', true)).toMatchObject({ level: 'owner', owner: 'acme' });
    expect(keyPin(gh, 'repository_id', '123456789', false).level).toBe('unit');
    expect(keyPin(gh, 'workflow', 'deploy', false).level).toBe('none');
    expect(keyPin(gh, 'constructor', 'x', false).level).toBe('none');
  });
});

describe('subjectPin: fixed subject layouts', () => {
  it.each([
    ['gitlab', 'project_path:acme/app:ref_type:branch:ref:main', true, 'unit'],
    ['gitlab', 'project_path:acme/platform/app:*', true, 'unit'],
    ['gitlab', 'project_path:acme/*', true, 'owner'],
    ['gitlab', 'project_path:acme/platform/*', true, 'owner'],
    ['gitlab', 'project_path:*', true, 'none'],
    ['gitlab', 'repo:acme/app:*', true, 'unit'],
    ['terraform-cloud', 'organization:acme:project:infra:workspace:prod:run_phase:apply', false, 'unit'],
    ['terraform-cloud', 'organization:acme:project:*:workspace:prod:run_phase:*', true, 'unit'],
    ['terraform-cloud', 'organization:acme:project:infra:workspace:*', true, 'owner'],
    ['terraform-cloud', 'organization:acme:*', true, 'owner'],
    ['terraform-cloud', 'organization:*', true, 'none'],
    ['terraform-cloud', '*', true, 'none'],
    ['buildkite', 'organization:acme:pipeline:deploy:ref:refs/heads/main:*', true, 'unit'],
    ['buildkite', 'organization:acme:*', true, 'owner'],
    ['circleci', 'org/9c1d0e2f/project/5e6f7a8b/user/*', true, 'unit'],
    ['circleci', 'org/9c1d0e2f/*', true, 'owner'],
    ['bitbucket', '{0b5d2f4e-7c1a-4b3e-9d8f-2a6c4e8b0d1f}:*', true, 'unit'],
    ['bitbucket', '*', true, 'none'],
  ])('%s %s → %s', (id, value, pattern, level) => {
    expect(subjectPin(ci(id), value, pattern as boolean).level).toBe(level);
  });

  it('a literal with a star where the organization or workspace name belongs is impossible', () => {
    expect(subjectPin(ci('terraform-cloud'), 'organization:*:project:infra:workspace:prod:run_phase:apply', false).impossible).toBe(true);
    expect(subjectPin(ci('terraform-cloud'), 'organization:acme:project:*:workspace:prod:run_phase:apply', false).impossible).toBeUndefined();
  });
});
