/**
 * The CI systems whose OIDC issuers AWS roles trust: each issuer's host, who receives tokens from
 * one issuer URL (its tenancy), and how its `sub` names the repository or project and its owner.
 * Rules read what a trust pins from here; they never parse CI subjects themselves.
 */

import { own } from '../util/own.js';

/** How far a `sub` pattern (or a condition on another claim) narrows a CI trust. */
export type PinLevel = 'none' | 'owner' | 'unit';

/** What a claim of a GitHub `sub`, or a condition key on that claim, fixes. */
export type ClaimRole =
  /** `<owner>/<repository>…`: the owner, then the repository. */
  | 'owner/unit'
  /** One repository by itself (a numeric id). */
  | 'unit'
  /** One owner (an organization or user name or id). */
  | 'owner'
  /** Nothing, and its values never contain `:` (git refs, event names, user names). */
  | 'bounded';

export interface CiIssuer {
  /** Short name, as in `Issuer.ci`. */
  id: string;
  name: string;
  host: string;
  /**
   * Who receives tokens from one issuer URL. `shared`: every customer of the service, so only
   * `sub` tells them apart. `per-tenant`: the URL's path names one tenant, so no `sub` exposes
   * more than that tenant. `shared-or-per-tenant`: shared on the bare host, one tenant when the
   * URL has a path (GitHub Enterprise Cloud's unique issuer per enterprise).
   */
  tenancy: 'shared' | 'per-tenant' | 'shared-or-per-tenant';
  /** What the tenant behind a per-tenant URL is called. */
  tenant: string;
  /** What `sub` should pin (repository, project, workspace...) and what owns it. */
  unit: string;
  owner: string;
  /**
   * The default shape of `sub`: `<owner>` and `<unit>` are the parts that identify, `<*>` a name
   * within the owner that does not, `…` anything after.
   */
  subject: string;
  /** The pattern that admits every unit of one owner. */
  wholeOwner: string;
  /** When each organisation chooses the claims of `sub` and their order (GitHub): what each claim fixes. */
  subjectClaims?: Readonly<Record<string, ClaimRole>>;
  /** Condition keys `<issuer>:<claim>` besides `sub` that STS checks against the token and that fix a repository or owner. */
  keyClaims?: Readonly<Record<string, ClaimRole>>;
  sources: readonly string[];
}

const GITHUB_SUBJECT_CLAIMS: Record<string, ClaimRole> = {
  repo: 'owner/unit',
  repository: 'owner/unit',
  repository_id: 'unit',
  repository_owner: 'owner',
  repository_owner_id: 'owner',
  // The workflow file's repository: with a reusable workflow, the repository that holds it.
  job_workflow_ref: 'owner/unit',
  workflow_ref: 'owner/unit',
  // Git refs cannot contain ':', nor can user names; these never spell out another claim.
  ref: 'bounded',
  ref_type: 'bounded',
  head_ref: 'bounded',
  base_ref: 'bounded',
  event_name: 'bounded',
  actor: 'bounded',
  actor_id: 'bounded',
  repository_visibility: 'bounded',
  runner_environment: 'bounded',
  sha: 'bounded',
  workflow_sha: 'bounded',
  job_workflow_sha: 'bounded',
  // Not listed, so they end the reading: `workflow` and `environment` are free text (a workflow
  // named "x:repo:acme/app" is possible), `context` holds an environment name.
};

export const CI_ISSUERS: readonly CiIssuer[] = [
  {
    id: 'github',
    name: 'GitHub Actions',
    host: 'token.actions.githubusercontent.com',
    tenancy: 'shared-or-per-tenant',
    tenant: 'enterprise',
    unit: 'repository',
    owner: 'owner',
    subject: 'repo:<owner>/<unit>:…',
    wholeOwner: 'repo:<owner>/*',
    subjectClaims: GITHUB_SUBJECT_CLAIMS,
    keyClaims: { repository: 'owner/unit', repository_id: 'unit', job_workflow_ref: 'owner/unit' },
    sources: [
      'https://docs.github.com/en/actions/reference/security/oidc',
      'https://docs.github.com/en/enterprise-cloud@latest/actions/reference/security/oidc#switching-to-a-unique-token-url',
      'https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/',
    ],
  },
  {
    id: 'gitlab',
    name: 'GitLab CI/CD',
    host: 'gitlab.com',
    tenancy: 'shared',
    tenant: 'group',
    unit: 'project',
    owner: 'group',
    subject: 'project_path:<owner>/<unit>:…',
    wholeOwner: 'project_path:<owner>/*',
    sources: ['https://docs.gitlab.com/ci/secrets/id_token_authentication/', 'https://docs.gitlab.com/ci/cloud_services/aws/'],
  },
  {
    id: 'terraform-cloud',
    name: 'HCP Terraform',
    host: 'app.terraform.io',
    tenancy: 'shared',
    tenant: 'organization',
    unit: 'workspace',
    owner: 'organization',
    // Workspace names are unique within an organization: the project need not be pinned.
    subject: 'organization:<owner>:project:<*>:workspace:<unit>:…',
    wholeOwner: 'organization:<owner>:*',
    sources: ['https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/workload-identity-tokens'],
  },
  {
    id: 'buildkite',
    name: 'Buildkite',
    host: 'agent.buildkite.com',
    tenancy: 'shared',
    tenant: 'organization',
    unit: 'pipeline',
    owner: 'organization',
    subject: 'organization:<owner>:pipeline:<unit>:…',
    wholeOwner: 'organization:<owner>:*',
    sources: ['https://buildkite.com/docs/agent/v3/cli-oidc'],
  },
  {
    id: 'circleci',
    name: 'CircleCI',
    host: 'oidc.circleci.com',
    tenancy: 'per-tenant',
    tenant: 'organization',
    unit: 'project',
    owner: 'organization',
    subject: 'org/<owner>/project/<unit>/…',
    wholeOwner: 'org/<owner>/*',
    sources: ['https://circleci.com/docs/openid-connect-tokens/'],
  },
  {
    id: 'bitbucket',
    name: 'Bitbucket Pipelines',
    host: 'api.bitbucket.org',
    tenancy: 'per-tenant',
    tenant: 'workspace',
    unit: 'repository',
    owner: 'workspace',
    // `{<repository uuid>}:{<step uuid>}`, with the deployment environment's uuid between them.
    subject: '<unit>:…',
    wholeOwner: '*',
    sources: ['https://support.atlassian.com/bitbucket-cloud/docs/integrate-pipelines-with-resource-servers-using-oidc/'],
  },
];

const BY_HOST = new Map(CI_ISSUERS.map((c) => [c.host, c]));
const BY_ID = new Map(CI_ISSUERS.map((c) => [c.id, c]));

/** The CI system whose issuer has this (lower-case) host. */
export function ciIssuerByHost(host: string): CiIssuer | undefined {
  return BY_HOST.get(host);
}

export function ciIssuerById(id: string | undefined): CiIssuer | undefined {
  return id === undefined ? undefined : BY_ID.get(id);
}

/** Whether an issuer (normalised host and path) of this CI system serves one tenant only. */
export function isPerTenant(ci: CiIssuer, hostAndPath: string | undefined): boolean {
  if (ci.tenancy !== 'shared-or-per-tenant') return ci.tenancy === 'per-tenant';
  return hostAndPath !== undefined && hostAndPath.includes('/');
}

/** What one value fixes: how far it pins, the owner it names, and whether no token can have it. */
export interface PinReading {
  level: PinLevel;
  owner?: string;
  /** A literal value with `*` where a name belongs: no repository or owner is called that. */
  impossible?: boolean;
}

/**
 * How far one `sub` value pins the trust. `pattern` says whether `*` and `?` are wildcards
 * (`StringLike`) or literal characters (`StringEquals`). A value the subject grammar cannot
 * produce matches no token: it counts as pinned.
 */
export function subjectPin(ci: CiIssuer, value: string, pattern: boolean): PinReading {
  return ci.subjectClaims ? readClaims(ci.subjectClaims, value, pattern) : readTemplate(ci.subject, value, pattern);
}

/** How far a condition on the key `<issuer>:<claim>` pins the trust with this value. */
export function keyPin(ci: CiIssuer, claim: string, value: string, pattern: boolean): PinReading {
  const role = ci.keyClaims ? claimRole(ci.keyClaims, claim) : undefined;
  return role ? readClaimValue(role, value, pattern) : { level: 'none' };
}

const RANK: Record<PinLevel, number> = { none: 0, owner: 1, unit: 2 };

/** The narrower of two levels (conditions are AND-ed). */
export function narrower(a: PinLevel, b: PinLevel): PinLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The wider of two levels (the values of one condition are OR-ed). */
export function wider(a: PinLevel, b: PinLevel): PinLevel {
  return RANK[a] <= RANK[b] ? a : b;
}

function isWild(c: string | undefined, pattern: boolean): boolean {
  return pattern && (c === '*' || c === '?');
}

type TemplateToken = { kind: 'literal'; text: string } | { kind: 'slot'; name: 'owner' | 'unit' | '*' } | { kind: 'rest' };

function parseTemplate(template: string): TemplateToken[] {
  const out: TemplateToken[] = [];
  for (const part of template.split(/(<owner>|<unit>|<\*>|…)/)) {
    if (part === '') continue;
    if (part === '…') out.push({ kind: 'rest' });
    else if (part === '<owner>' || part === '<unit>' || part === '<*>') out.push({ kind: 'slot', name: part.slice(1, -1) as 'owner' | 'unit' | '*' });
    else out.push({ kind: 'literal', text: part });
  }
  return out;
}

const TEMPLATES = new Map<string, TemplateToken[]>();

/** Reads a value along a fixed `sub` layout: the level reached before the first wildcard. */
function readTemplate(template: string, value: string, pattern: boolean): PinReading {
  let tokens = TEMPLATES.get(template);
  if (!tokens) TEMPLATES.set(template, (tokens = parseTemplate(template)));
  // A value without wildcards is one subject: it names one unit, or none that exists.
  const fixed = !pattern || !/[*?]/.test(value);
  const out: PinReading = { level: 'none' };
  let pos = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.kind === 'rest') break;
    if (tok.kind === 'literal') {
      for (const c of tok.text) {
        if (pos >= value.length) return done(out, fixed);
        if (isWild(value[pos], pattern)) return out;
        if (value[pos] !== c) return { ...out, level: 'unit' };
        pos++;
      }
      continue;
    }
    const next = tokens[i + 1];
    const terminator = next?.kind === 'literal' ? next.text[0] : undefined;
    const start = pos;
    while (pos < value.length && value[pos] !== terminator) {
      if (isWild(value[pos], pattern)) {
        // Inside the owner's own namespace a wildcard in a non-identifying part ends nothing:
        // the names there cannot contain the separator.
        if (tok.name !== '*') return out;
      } else if (tok.name !== '*' && !pattern && (value[pos] === '*' || value[pos] === '?')) out.impossible = true;
      pos++;
    }
    if (tok.name === 'owner') {
      out.level = 'owner';
      out.owner = value.slice(start, pos);
    } else if (tok.name === 'unit') return { ...out, level: 'unit' };
    if (pos >= value.length) return done(out, fixed);
  }
  return { ...out, level: 'unit' };
}

function done(reading: PinReading, fixed: boolean): PinReading {
  return fixed ? { ...reading, level: 'unit' } : reading;
}

/**
 * Reads a `sub` made of `claim:value` pairs in an order the owner chose. It pins only through
 * claims read before the first free-text claim or wildcard: free text can spell out anything,
 * including `:repo:acme/app`, so what follows it proves nothing.
 */
function readClaims(claims: Readonly<Record<string, ClaimRole>>, value: string, pattern: boolean): PinReading {
  let out: PinReading = { level: 'none' };
  let pos = 0;
  while (pos < value.length) {
    const colon = value.indexOf(':', pos);
    // Every claim of a GitHub `sub` is `name:value`: a fixed rest without `:` is no subject GitHub issues.
    if (colon < 0) return [...value.slice(pos)].some((c) => isWild(c, pattern)) ? out : { ...out, level: 'unit', impossible: true };
    const role = claimRole(claims, value.slice(pos, colon));
    if (!role) return out;
    const end = value.indexOf(':', colon + 1);
    const claimValue = value.slice(colon + 1, end < 0 ? value.length : end);
    const read = readClaimValue(role, claimValue, pattern);
    out = { ...out, ...read, level: narrower(out.level, read.level) };
    // A wildcard can stand for any text, separators included: nothing after it is fixed.
    if (out.level === 'unit' || end < 0 || [...claimValue].some((c) => isWild(c, pattern))) return out;
    pos = end + 1;
  }
  return out;
}

function claimRole(claims: Readonly<Record<string, ClaimRole>>, name: string): ClaimRole | undefined {
  return own(claims, name);
}

/** What one claim value fixes; its end (`:` or the end of the pattern) is literal. */
function readClaimValue(role: ClaimRole, value: string, pattern: boolean): PinReading {
  const wildAt = [...value].findIndex((c) => isWild(c, pattern));
  const literalStar = !pattern && /[*?]/.test(value);
  if (role === 'bounded') return { level: 'none' };
  if (role !== 'owner/unit') {
    if (wildAt >= 0) return { level: 'none' };
    const out: PinReading = { level: role === 'owner' ? 'owner' : 'unit' };
    if (role === 'owner') out.owner = value;
    if (literalStar) out.impossible = true;
    return out;
  }
  const slash = value.indexOf('/');
  // A repository claim always has the form owner/name: without the slash no token matches.
  if (slash < 0) return wildAt >= 0 ? { level: 'none' } : { level: 'unit', ...(literalStar ? { impossible: true } : {}) };
  if (wildAt >= 0 && wildAt < slash) return { level: 'none' };
  const owner = value.slice(0, slash);
  const nameEnd = value.indexOf('/', slash + 1);
  const name = value.slice(slash + 1, nameEnd < 0 ? value.length : nameEnd);
  const out: PinReading = { level: 'owner', owner };
  if (!pattern && (/[*?]/.test(owner) || /[*?]/.test(name))) out.impossible = true;
  if (wildAt >= 0 && wildAt <= slash + name.length) return out;
  return { ...out, level: 'unit' };
}
