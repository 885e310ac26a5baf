import { describe, expect, it } from 'vitest';
import { analyzeAwsTrust } from '../../src/federation/aws-trust.js';
import { admits, isEmpty, namespaceSpan } from '../../src/federation/matcher.js';
import type { Federation } from '../../src/federation/types.js';
import { unknown } from '../../src/model/unknown.js';
import { index, resource } from './inventory-stub.js';

const ISS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';
const OTHER = 'oidc.eks.us-east-1.amazonaws.com/id/FFFF0000';
const ARN = `arn:aws:iam::111122223333:oidc-provider/${ISS}`;
const SUB = `${ISS}:sub`;
const AUD = `${ISS}:aud`;
const SA = 'system:serviceaccount:';

function trust(statement: unknown, idx = index()): Federation[] {
  const role = resource('role:app', 'aws.iam.Role', { RoleName: 'app', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: statement } });
  return analyzeAwsTrust(role, idx);
}

function allow(condition?: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { Effect: 'Allow', Principal: { Federated: ARN }, Action: 'sts:AssumeRoleWithWebIdentity', ...(condition ? { Condition: condition } : {}), ...extra };
}

function only(statement: unknown, idx = index()): Federation {
  const feds = trust(statement, idx);
  expect(feds).toHaveLength(1);
  return feds[0]!;
}

describe('analyzeAwsTrust: operator forms and traps', () => {
  it('StringEquals on exact sub and aud is clean', () => {
    const f = only([allow({ StringEquals: { [SUB]: `${SA}prod:app`, [AUD]: 'sts.amazonaws.com' } })]);
    expect(f).toMatchObject({ identityId: 'role:app', cloud: 'aws', mechanism: 'irsa', issuer: { key: ISS, kind: 'kubernetes' } });
    expect(f.pointer).toBe('/AssumeRolePolicyDocument/Statement/0');
    expect(f.conditionPointer).toBe('/AssumeRolePolicyDocument/Statement/0/Condition');
    expect(f.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(f.unsatisfiable).toBeUndefined();
    expect(namespaceSpan(f.subject)).toBe('one');
    expect(admits(f.subject, `${SA}prod:app`)).toBe(true);
    expect(admits(f.subject, `${SA}prod:other`)).toBe(false);
    expect(admits(f.audience, 'sts.amazonaws.com')).toBe(true);
    expect(admits(f.audience, 'other')).toBe(false);
    expect(f.conditions.map((c) => [c.claim, c.base, c.pointer])).toEqual([
      ['sub', 'StringEquals', `/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${ISS.replace(/\//g, '~1')}:sub`],
      ['aud', 'StringEquals', `/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/${ISS.replace(/\//g, '~1')}:aud`],
    ]);
    expect(f.conditions[0]).toMatchObject({ negated: false, ifExists: false, issuerMismatch: false, tautology: false, values: [`${SA}prod:app`] });
  });

  it('StringLike with a wildcard on a non-sub key leaves the subject open', () => {
    const f = only([allow({ StringLike: { [`${ISS}:amr`]: 'auth*', 'aws:SourceArn': 'arn:*' }, StringEquals: { [AUD]: 'sts.amazonaws.com' } })]);
    expect(f.subject.allow).toBeNull();
    expect(namespaceSpan(f.subject)).toBe('all');
    expect(f.conditions.map((c) => c.claim)).toEqual(['amr', undefined, 'aud']);
  });

  it('StringLike wildcard on aud is a pattern', () => {
    const f = only([allow({ StringLike: { [SUB]: `${SA}prod:app`, [AUD]: 'sts.*' } })]);
    expect(f.audience.allow).toEqual([{ value: 'sts.*', wildcard: true, ignoreCase: false }]);
    expect(f.subject.allow).toEqual([{ value: `${SA}prod:app`, wildcard: false, ignoreCase: false }]);
  });

  it('a multi-value sub where one value is * admits everything', () => {
    const f = only([allow({ StringLike: { [SUB]: [`${SA}prod:app`, '*'] } })]);
    expect(namespaceSpan(f.subject)).toBe('all');
    expect(f.subject.allow?.some((p) => p.wildcard && p.value === '*')).toBe(true);
  });

  it('namespace wildcards span several namespaces, a name wildcard one', () => {
    expect(namespaceSpan(only([allow({ StringLike: { [SUB]: `${SA}team-*:app` } })]).subject)).toBe('several');
    expect(namespaceSpan(only([allow({ StringLike: { [SUB]: `${SA}prod:*` } })]).subject)).toBe('one');
  });

  it('* under StringEquals is a literal no subject equals: unsatisfiable', () => {
    const f = only([allow({ StringEquals: { [SUB]: '*', [AUD]: 'sts.amazonaws.com' } })]);
    expect(f.subject.allow).toEqual([{ value: '*', wildcard: false, ignoreCase: false }]);
    expect(f.unsatisfiable).toMatch(/sub/);
  });

  it('an interpolated key with a known suffix constrains its claim', () => {
    const key = '${module.eks.oidc_provider}:sub';
    const f = only([allow({ StringEquals: { [key]: `${SA}prod:app` } })]);
    expect(f.conditions[0]).toMatchObject({ claim: 'sub', issuerMismatch: false, key });
    expect(f.conditions[0]!.keyIssuer).toBeUndefined();
    expect(namespaceSpan(f.subject)).toBe('one');
    expect(f.unsatisfiable).toBeUndefined();
  });

  it('an interpolated key of unknown claim makes both matchers unknown', () => {
    const f = only([allow({ StringEquals: { '${local.key}': 'x' } })]);
    expect(f.conditions[0]!.claim).toBeUndefined();
    expect(f.subject.unknown).toBe(true);
    expect(f.audience.unknown).toBe(true);
  });

  it('unresolved values make the matcher unknown, never empty', () => {
    const f = only([allow({ StringEquals: { [SUB]: [unknown('var.service_account')], [AUD]: 'sts.amazonaws.com' } })]);
    expect(f.subject.unknown).toBe(true);
    expect(f.conditions[0]!.values).toEqual([{ unknown: 'var.service_account' }]);
    expect(f.unsatisfiable).toBeUndefined();
    expect(isEmpty(f.subject, 'kubernetes-subject')).toBe(false);
  });

  it('an unresolved Condition block or operator block makes the matchers unknown', () => {
    expect(only([allow(undefined, { Condition: unknown('local.conditions') })]).subject.unknown).toBe(true);
    const f = only([allow({ StringEquals: unknown('local.equals') })]);
    expect(f.subject.unknown && f.audience.unknown).toBe(true);
    expect(f.conditionPointer).toBe('/AssumeRolePolicyDocument/Statement/0/Condition');
  });

  it('a request variable other than the key itself is unknown', () => {
    const f = only([allow({ StringLike: { [SUB]: `${SA}\${aws:PrincipalTag/ns}:*` } })]);
    expect(f.subject.unknown).toBe(true);
    expect(f.conditions[0]!.tautology).toBe(false);
  });

  it('negated operators only deny', () => {
    const f = only([allow({ StringNotEquals: { [SUB]: `${SA}kube-system:admin` }, StringNotLike: { [AUD]: 'evil*' } })]);
    expect(f.subject.allow).toBeNull();
    expect(f.subject.deny).toEqual([{ value: `${SA}kube-system:admin`, wildcard: false, ignoreCase: false }]);
    expect(namespaceSpan(f.subject)).toBe('all');
    expect(f.conditions.every((c) => c.negated)).toBe(true);
    expect(admits(f.audience, 'evil.example')).toBe(false);
  });

  it('a value that is the key’s own policy variable is a tautology', () => {
    const f = only([allow({ StringEquals: { [SUB]: `\${${SUB}}`, [AUD]: 'sts.amazonaws.com' } })]);
    expect(f.conditions[0]!.tautology).toBe(true);
    expect(f.subject.allow).toBeNull();
    expect(f.unsatisfiable).toBeUndefined();
  });

  it('a negated tautology never holds', () => {
    expect(only([allow({ StringNotEquals: { [SUB]: `\${${SUB}}` } })]).unsatisfiable).toMatch(/never holds/);
  });

  it.each([
    ['true', true],
    ['false', false],
    [true, true],
  ])('Null on sub = %s', (value, unsat) => {
    const f = only([allow({ Null: { [SUB]: value } })]);
    expect(f.conditions[0]).toMatchObject({ base: 'Null', claim: 'sub' });
    expect(f.unsatisfiable !== undefined).toBe(unsat);
  });

  it('IfExists acts like the plain operator and is recorded', () => {
    const f = only([allow({ StringEqualsIfExists: { [SUB]: `${SA}prod:app` } })]);
    expect(f.conditions[0]).toMatchObject({ operator: 'StringEqualsIfExists', base: 'StringEquals', ifExists: true });
    expect(namespaceSpan(f.subject)).toBe('one');
  });

  it('ForAllValues on aud acts like the plain operator and is recorded', () => {
    const f = only([allow({ StringEquals: { [SUB]: `${SA}prod:app` }, 'ForAllValues:StringEquals': { [AUD]: ['sts.amazonaws.com'] } })]);
    expect(f.conditions[1]).toMatchObject({ setOperator: 'ForAllValues', base: 'StringEquals', claim: 'aud' });
    expect(admits(f.audience, 'sts.amazonaws.com')).toBe(true);
    expect(admits(f.audience, 'x')).toBe(false);
  });

  it('ForAnyValue:StringLikeIfExists parses into its parts', () => {
    const f = only([allow({ 'ForAnyValue:StringLikeIfExists': { [SUB]: `${SA}prod:*` } })]);
    expect(f.conditions[0]).toMatchObject({ setOperator: 'ForAnyValue', base: 'StringLike', ifExists: true, negated: false });
    expect(namespaceSpan(f.subject)).toBe('one');
  });

  it('StringEqualsIgnoreCase patterns ignore case', () => {
    const f = only([allow({ StringEqualsIgnoreCase: { [SUB]: 'SYSTEM:SERVICEACCOUNT:PROD:APP' } })]);
    expect(admits(f.subject, `${SA}prod:app`)).toBe(true);
    expect(namespaceSpan(f.subject)).toBe('one');
  });

  it('a Deny statement with a sub condition subtracts from the allowed subjects', () => {
    const f = only([
      allow({ StringLike: { [SUB]: `${SA}*` } }),
      { Effect: 'Deny', Principal: { Federated: ARN }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [SUB]: `${SA}kube-system:*` } } },
    ]);
    expect(admits(f.subject, `${SA}kube-system:x`)).toBe(false);
    expect(admits(f.subject, `${SA}prod:x`)).toBe(true);
    expect(namespaceSpan(f.subject)).toBe('several');
  });

  it('a Deny with a negated sub condition keeps only its values', () => {
    const f = only([
      allow({ StringLike: { [SUB]: `${SA}*` } }),
      { Effect: 'Deny', Principal: '*', Action: 'sts:*', Condition: { StringNotLike: { [SUB]: `${SA}prod:*` } } },
    ]);
    expect(namespaceSpan(f.subject)).toBe('one');
  });

  it('a Deny for another issuer does not subtract; an unconditional Deny kills the statement', () => {
    const other = { Effect: 'Deny', Principal: { Federated: `arn:aws:iam::1:oidc-provider/${OTHER}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringLike: { [`${OTHER}:sub`]: '*' } } };
    expect(namespaceSpan(only([allow({ StringLike: { [SUB]: `${SA}*` } }), other]).subject)).toBe('all');
    const all = { Effect: 'Deny', Principal: { Federated: ARN }, Action: 'sts:AssumeRoleWithWebIdentity' };
    expect(only([allow({ StringLike: { [SUB]: `${SA}*` } }), all]).unsatisfiable).toMatch(/Deny/);
  });

  it('an empty Condition block imposes nothing: a Deny with one denies every token, an Allow with one points at it', () => {
    const deny = { Effect: 'Deny', Principal: { Federated: ARN }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: {} };
    expect(only([allow({ StringLike: { [SUB]: `${SA}*` } }), deny]).unsatisfiable).toBe('the Deny statement at /AssumeRolePolicyDocument/Statement/1 denies every token');
    const f = only([allow({})]);
    expect([f.conditionPointer, f.conditions, namespaceSpan(f.subject)]).toEqual(['/AssumeRolePolicyDocument/Statement/0/Condition', [], 'all']);
  });

  it('a NotPrincipal statement grants and denies nothing: IAM rejects it in a role trust policy', () => {
    const notPrincipal = { Effect: 'Deny', NotPrincipal: { Federated: `arn:aws:iam::1:oidc-provider/${OTHER}` }, Action: 'sts:AssumeRoleWithWebIdentity' };
    expect(only([allow({ StringEquals: { [SUB]: `${SA}prod:app` } }), notPrincipal]).unsatisfiable).toBeUndefined();
    expect(trust([{ Effect: 'Allow', NotPrincipal: { AWS: 'arn:aws:iam::1:root' }, Action: 'sts:AssumeRoleWithWebIdentity' }])).toEqual([]);
  });

  it('keys of another issuer with positive operators are a mismatch and unsatisfiable', () => {
    const f = only([allow({ StringEquals: { [`${OTHER}:sub`]: `${SA}prod:app`, [`${OTHER}:aud`]: 'sts.amazonaws.com' } })]);
    expect(f.conditions.every((c) => c.issuerMismatch)).toBe(true);
    expect(f.conditions[0]!.keyIssuer?.key).toBe(OTHER);
    expect(f.unsatisfiable).toMatch(/mismatch/);
    expect(f.subject.allow).toBeNull();
  });

  it('keys of another issuer with negated operators restrict nothing', () => {
    const f = only([allow({ StringNotEquals: { [`${OTHER}:sub`]: `${SA}kube-system:x` } })]);
    expect(f.conditions[0]!.issuerMismatch).toBe(true);
    expect(f.unsatisfiable).toBeUndefined();
    expect(f.subject).toEqual({ allow: null, deny: [], unknown: false });
  });

  it('ForAnyValue: on another issuer\'s key is false without the key, negated or not', () => {
    const f = only([allow({ 'ForAnyValue:StringNotEquals': { [`${OTHER}:sub`]: `${SA}kube-system:x` } })]);
    expect(f.unsatisfiable).toMatch(/mismatch/);
    expect(f.unsatisfiable).not.toMatch(/ref:|unresolved:/);
  });

  it('a provider whose URL is not resolved may be the issuer the keys name: no mismatch', () => {
    const provider = resource('provider', 'aws.iam.OIDCProvider', { Url: unknown('var.issuer_url'), ClientIDList: ['sts.amazonaws.com'] });
    const principal = { Federated: unknown('aws_iam_openid_connect_provider.x.arn', { ref: { id: 'provider', attribute: 'arn' } }) };
    const f = only([allow({ StringEquals: { [`${OTHER}:sub`]: `${SA}prod:app` } }, { Principal: principal })], index([provider]));
    expect(f.issuer.key).toBe('ref:provider');
    expect(f.conditions[0]!.issuerMismatch).toBe(false);
    expect(f.unsatisfiable).toBeUndefined();
  });

  it('* under StringEquals is unsatisfiable for CI issuers too, as is a * where a repository name belongs', () => {
    const github = { Principal: { Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com' } };
    const key = 'token.actions.githubusercontent.com:sub';
    expect(only([allow({ StringEquals: { [key]: '*' } }, github)]).unsatisfiable).toMatch(/"\*" is compared literally/);
    expect(only([allow({ StringEquals: { [key]: 'repo:acme/*' } }, github)]).unsatisfiable).toMatch(/"repo:acme\/\*"/);
    expect(only([allow({ StringEquals: { [key]: ['repo:acme/*', 'repo:acme/app:ref:refs/heads/main'] } }, github)]).unsatisfiable).toBeUndefined();
    expect(only([allow({ StringLike: { [key]: 'repo:acme/*' } }, github)]).unsatisfiable).toBeUndefined();
    expect(only([allow({ StringEquals: { [AUD]: '*', [SUB]: `${SA}prod:app` } })]).unsatisfiable).toMatch(/aud/);
  });

  it('contradictory conditions are unsatisfiable', () => {
    const f = only([allow({ StringEquals: { [SUB]: `${SA}a:x` }, StringLike: { [SUB]: `${SA}b:*` } })]);
    expect(isEmpty(f.subject)).toBe(true);
    expect(f.unsatisfiable).toBeDefined();
    const g = only([allow({ StringEquals: { [SUB]: `${SA}a:x`, [SUB.toUpperCase()]: `${SA}b:x` } })]);
    expect(g.unsatisfiable).toBeDefined();
  });

  it('condition keys are case-insensitive', () => {
    const f = only([allow({ StringEquals: { [`${ISS.toUpperCase()}:SUB`]: `${SA}prod:app`, [`${ISS}:Aud`]: 'sts.amazonaws.com' } })]);
    expect(f.conditions.map((c) => [c.claim, c.issuerMismatch])).toEqual([
      ['sub', false],
      ['aud', false],
    ]);
    expect(namespaceSpan(f.subject)).toBe('one');
    expect(f.unsatisfiable).toBeUndefined();
  });

  it('a Statement object (not a list) is read with its own pointer', () => {
    const f = only(allow());
    expect(f.pointer).toBe('/AssumeRolePolicyDocument/Statement');
    expect(f.conditionPointer).toBe('/AssumeRolePolicyDocument/Statement/Principal');
    expect(f.subject.allow).toBeNull();
  });

  it('operator names are case-sensitive: an unknown operator is not modelled', () => {
    const f = only([allow({ stringequals: { [SUB]: `${SA}prod:app` } })]);
    expect(f.subject.unknown).toBe(true);
  });
});

describe('analyzeAwsTrust: principals and mechanisms', () => {
  it('one federation per federated principal', () => {
    const feds = trust([allow(undefined, { Principal: { Federated: [ARN, `arn:aws:iam::1:oidc-provider/${OTHER}`] } })]);
    expect(feds.map((f) => f.issuer.key)).toEqual([ISS, OTHER]);
  });

  it.each([['*'], [{ AWS: '*' }], [{ Federated: '*' }]])('wildcard principal %j', (principal) => {
    const f = only([allow({ StringEquals: { [SUB]: `${SA}prod:app` } }, { Principal: principal })]);
    expect(f.principalWildcard).toBe(true);
    expect(f.issuer.key).toBe(ISS);
  });

  it('a wildcard principal without issuer keys has an unknown issuer', () => {
    const f = only([{ Effect: 'Allow', Principal: '*', Action: '*' }]);
    expect(f).toMatchObject({ principalWildcard: true, issuer: { key: '*', kind: 'unknown' }, mechanism: 'web-identity' });
  });

  it('actions match by wildcard, ignoring case; other actions do not count', () => {
    expect(trust([allow(undefined, { Action: ['STS:AssumeRoleWith*'] })])).toHaveLength(1);
    expect(trust([allow(undefined, { Action: 'sts:AssumeRole' })])).toHaveLength(0);
    expect(trust([allow(undefined, { Action: undefined, NotAction: 'sts:AssumeRole' })])).toHaveLength(1);
  });

  it('Deny statements and SAML providers are no federations', () => {
    expect(trust([{ ...allow(), Effect: 'Deny' }])).toHaveLength(0);
    expect(trust([allow(undefined, { Principal: { Federated: 'arn:aws:iam::1:saml-provider/okta' } })])).toHaveLength(0);
  });

  it('CI issuers are web identity', () => {
    const f = only([allow({ StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:org/*' } }, { Principal: { Federated: 'arn:aws:iam::1:oidc-provider/token.actions.githubusercontent.com' } })]);
    expect(f).toMatchObject({ mechanism: 'web-identity', issuer: { kind: 'ci', ci: 'github' } });
  });

  it('an unknown issuer trusting service-account subjects is Kubernetes', () => {
    const host = 'k8s.example.com';
    const f = only([allow({ StringEquals: { [`${host}:sub`]: `${SA}prod:app` } }, { Principal: { Federated: `arn:aws:iam::1:oidc-provider/${host}` } })]);
    expect(f).toMatchObject({ mechanism: 'irsa', issuer: { key: host, kind: 'kubernetes' } });
  });

  it('EKS Pod Identity trust', () => {
    const f = only([{ Effect: 'Allow', Principal: { Service: 'pods.eks.amazonaws.com' }, Action: ['sts:AssumeRole', 'sts:TagSession'], Condition: { StringEquals: { 'aws:SourceAccount': '111122223333' } } }]);
    expect(f).toMatchObject({ mechanism: 'pod-identity', issuer: { key: 'pods.eks.amazonaws.com' }, actions: ['sts:AssumeRole', 'sts:TagSession'] });
    expect(f.conditions[0]).toMatchObject({ key: 'aws:SourceAccount', pointer: '/AssumeRolePolicyDocument/Statement/0/Condition/StringEquals/aws:SourceAccount' });
    expect(f.conditions[0]!.claim).toBeUndefined();
  });

  it('an Unknown principal referring to a scanned provider of a scanned cluster', () => {
    const cluster = resource('cluster', 'aws.eks.Cluster', { name: 'prod', identity: { oidc: { issuer: unknown('x', { ref: { id: 'cluster', attribute: 'identity.oidc.issuer' } }) } } });
    const provider = resource('provider', 'aws.iam.OIDCProvider', { Url: unknown('aws_eks_cluster.prod.identity[0].oidc[0].issuer', { ref: { id: 'cluster', attribute: 'identity.oidc.issuer' } }), ClientIDList: ['sts.amazonaws.com'] });
    const idx = index([cluster, provider], [{ name: 'prod', provider: 'aws', resourceId: 'cluster' }]);
    const f = only([allow({ StringEquals: { '${aws_iam_openid_connect_provider.prod.url}:sub': `${SA}prod:app` } }, { Principal: { Federated: unknown('aws_iam_openid_connect_provider.prod.arn', { ref: { id: 'provider', attribute: 'arn' } }) } })], idx);
    expect(f.issuer).toEqual({ key: 'ref:cluster', kind: 'kubernetes', cluster: 'prod', providerId: 'provider', providerAudiences: ['sts.amazonaws.com'] });
    expect(f.mechanism).toBe('irsa');
    expect(f.conditions[0]!.issuerMismatch).toBe(false);
  });

  it('a malformed document yields no federation and does not throw', () => {
    expect(trust('not a list')).toEqual([]);
    expect(analyzeAwsTrust(resource('r', 'aws.iam.Role', null), index())).toEqual([]);
    expect(analyzeAwsTrust(resource('r', 'aws.iam.Role', { AssumeRolePolicyDocument: '{bad json' }), index())).toEqual([]);
  });

  it('a URL-encoded JSON document is decoded', () => {
    const doc = encodeURIComponent(JSON.stringify({ Statement: [allow()] }));
    expect(analyzeAwsTrust(resource('r', 'aws.iam.Role', { AssumeRolePolicyDocument: doc }), index())).toHaveLength(1);
  });
});
