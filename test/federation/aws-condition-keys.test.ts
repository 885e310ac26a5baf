import { describe, expect, it } from 'vitest';
import { boundsCaller, CALLER_BOUNDING_KEYS, webIdentityKeyPresence, type KeyTest } from '../../src/federation/aws-condition-keys.js';
import { analyzeAwsTrust } from '../../src/federation/aws-trust.js';
import { index, resource } from './inventory-stub.js';

const ISS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';
const ARN = `arn:aws:iam::111122223333:oidc-provider/${ISS}`;
const SA = 'system:serviceaccount:prod:app';

describe('webIdentityKeyPresence', () => {
  it.each([
    // The issuer's sub and aud are in every token; its other claims in some.
    [`${ISS}:sub`, 'sub', 'always'],
    [`${ISS}:aud`, 'aud', 'always'],
    [`${ISS}:amr`, 'amr', 'sometimes'],
    ['token.actions.githubusercontent.com:repository', 'repository', 'sometimes'],
    // Global keys every request carries.
    ['aws:CurrentTime', undefined, 'always'],
    ['aws:EpochTime', undefined, 'always'],
    ['aws:SecureTransport', undefined, 'always'],
    ['aws:RequestedRegion', undefined, 'always'],
    ['sts:RoleSessionName', undefined, 'always'],
    // Keys some requests carry: they narrow a statement, they do not kill it.
    ['aws:SourceIp', undefined, 'sometimes'],
    ['aws:SourceVpc', undefined, 'sometimes'],
    ['aws:SourceVpce', undefined, 'sometimes'],
    ['aws:RequestTag/team', undefined, 'sometimes'],
    ['aws:TagKeys', undefined, 'sometimes'],
    ['sts:SourceIdentity', undefined, 'sometimes'],
    ['iam:ResourceTag/owner', undefined, 'sometimes'],
    ['aws:MultiFactorAuthPresent', undefined, 'sometimes'],
    // Unclassified aws:/sts: keys and unresolved keys never make a statement dead.
    ['aws:SomeFutureKey', undefined, 'sometimes'],
    ['${var.condition_key}', undefined, 'sometimes'],
    // An unsigned call by the workload itself carries no caller or calling-service keys.
    ['aws:PrincipalArn', undefined, 'never'],
    ['aws:PrincipalAccount', undefined, 'never'],
    ['aws:PrincipalOrgID', undefined, 'never'],
    ['aws:PrincipalOrgPaths', undefined, 'never'],
    ['aws:PrincipalTag/team', undefined, 'never'],
    ['aws:SourceAccount', undefined, 'never'],
    ['aws:SourceArn', undefined, 'never'],
    ['sts:ExternalId', undefined, 'never'],
    // Keys without a prefix, and other services' keys.
    ['clusterID', undefined, 'never'],
    ['sub', undefined, 'never'],
    ['s3:prefix', undefined, 'never'],
    ['ec2:SourceInstanceARN', undefined, 'never'],
    ['iam:PassedToService', undefined, 'never'],
  ])('%s → %s', (key, claim, presence) => {
    expect(webIdentityKeyPresence({ key, ...(claim ? { claim } : {}) })).toBe(presence);
  });

  it('compares key names ignoring case, as IAM does', () => {
    expect(webIdentityKeyPresence({ key: 'AWS:PRINCIPALORGID' })).toBe('never');
    expect(webIdentityKeyPresence({ key: 'aws:securetransport' })).toBe('always');
  });
});

describe('key presence in the federation view', () => {
  const trust = (condition: Record<string, unknown>) =>
    analyzeAwsTrust(
      resource('role:app', 'aws.iam.Role', {
        AssumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Federated: ARN }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] },
      }),
      index(),
    )[0]!;

  it('a positive test of a key never present makes the statement unsatisfiable', () => {
    expect(trust({ StringEquals: { clusterID: '1234' } }).unsatisfiable).toMatch(/"clusterID" is never in the request context/);
    expect(trust({ 'ForAnyValue:StringEquals': { 's3:prefix': 'home/' } }).unsatisfiable).toMatch(/s3:prefix/);
    expect(trust({ ArnLike: { 'aws:SourceArn': 'arn:aws:eks:*:111122223333:cluster/prod' } }).unsatisfiable).toMatch(/aws:SourceArn/);
    expect(trust({ Null: { 'aws:PrincipalOrgID': 'false' } }).unsatisfiable).toMatch(/PrincipalOrgID/);
  });

  it('IfExists, ForAllValues and negated tests of a missing key pass: the statement is open', () => {
    expect(trust({ 'ForAllValues:StringEquals': { clusterID: '1234' } }).unsatisfiable).toBeUndefined();
    expect(trust({ StringEqualsIfExists: { clusterID: '1234' } }).unsatisfiable).toBeUndefined();
    expect(trust({ StringNotEquals: { clusterID: '1234' } }).unsatisfiable).toBeUndefined();
    expect(trust({ Null: { clusterID: 'true' } }).unsatisfiable).toBeUndefined();
  });

  it('a key some requests carry narrows but does not kill', () => {
    expect(trust({ StringEquals: { 'aws:SourceVpce': 'vpce-0a1b2c3d' } }).unsatisfiable).toBeUndefined();
    expect(trust({ StringEquals: { 'aws:RequestTag/team': 'payments', [`${ISS}:sub`]: SA } }).unsatisfiable).toBeUndefined();
  });

  it('Null: "true" on a key every request carries is unsatisfiable, on one some carry it is not', () => {
    expect(trust({ Null: { 'aws:SecureTransport': 'true' } }).unsatisfiable).toMatch(/requires the key to be absent/);
    expect(trust({ Null: { 'aws:SourceVpce': 'true' } }).unsatisfiable).toBeUndefined();
  });
});

describe('boundsCaller', () => {
  const test = (key: string, values: string[], base = 'StringEquals', extra: Partial<KeyTest> = {}): KeyTest => ({ key, values, base, ifExists: false, negated: base.includes('Not'), ...extra });

  it('lists the keys that say who calls, and no others', () => {
    expect([...CALLER_BOUNDING_KEYS].sort()).toEqual(
      ['aws:principalaccount', 'aws:principalarn', 'aws:principalorgid', 'aws:principalorgpaths', 'aws:sourceaccount', 'aws:sourcearn', 'aws:sourceorgid', 'aws:sourceorgpaths', 'aws:userid', 'sts:externalid'].sort(),
    );
  });

  it.each([
    [test('aws:PrincipalOrgID', ['o-a1b2c3d4e5']), true],
    [test('aws:PrincipalAccount', ['111122223333']), true],
    [test('aws:PrincipalArn', ['arn:aws:iam::111122223333:role/*'], 'ArnLike'), true],
    [test('aws:PrincipalArn', ['arn:aws:iam::*:role/deploy'], 'ArnLike'), false],
    [test('aws:PrincipalOrgPaths', ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/*'], 'StringLike'), true],
    [test('aws:PrincipalOrgID', ['o-*'], 'StringLike'), false],
    [test('sts:ExternalId', ['3f1c6a0e-5d2b-4f3a-9c1e-7b8a2d4e6f10']), true],
    [test('aws:SourceAccount', ['111122223333']), true],
    // How the call is made, or tags the caller's account sets: not who calls.
    [test('aws:SecureTransport', ['true'], 'Bool'), false],
    [test('aws:RequestedRegion', ['eu-west-1']), false],
    [test('aws:PrincipalTag/team', ['platform']), false],
    [test('aws:MultiFactorAuthPresent', ['true'], 'Bool'), false],
    // A caller without the key passes these.
    [test('aws:PrincipalOrgID', ['o-a1b2c3d4e5'], 'StringNotEquals'), false],
    [test('aws:PrincipalOrgID', ['o-a1b2c3d4e5'], 'StringEquals', { ifExists: true }), false],
    [test('aws:PrincipalOrgID', ['o-a1b2c3d4e5'], 'StringEquals', { setOperator: 'ForAllValues' }), false],
    [test('aws:PrincipalOrgID', ['false'], 'Null'), false],
  ])('%j → %s', (t, expected) => {
    expect(boundsCaller(t)).toBe(expected);
  });
});
