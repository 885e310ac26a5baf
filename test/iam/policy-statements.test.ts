/** The one IAM statement reader: what it reads from each element, with pointers, as IAM reads it. */
import { describe, expect, it } from 'vitest';
import { principalValues, readPolicy, readStatements, type IamStatement, type PolicyRead } from '../../src/iam/policy-statements.js';
import { matchAction } from '../../src/iam/statement-match.js';
import type { JsonValue } from '../../src/model/types.js';
import { unknown } from '../../src/model/unknown.js';

const FED = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC';

/** Test documents hold unresolved values where a collector would put them: typed loosely here. */
const read = (document: unknown, base = ''): PolicyRead => readPolicy(document as JsonValue, base);
const statementsOf = (document: unknown): IamStatement[] | null => readStatements(document as JsonValue, '');

function one(statement: unknown): IamStatement {
  const result = read({ Version: '2012-10-17', Statement: [statement] }, '/Doc');
  expect(result.partial).toBe(false);
  expect(result.statements).toHaveLength(1);
  return result.statements[0]!;
}

describe('readPolicy: documents and statement lists', () => {
  it('points at each statement of a list, or at a single statement object', () => {
    expect(read({ Statement: [{ Effect: 'Allow' }, { Effect: 'Deny' }] }, '/P').statements.map((s) => [s.pointer, s.effect])).toEqual([
      ['/P/Statement/0', 'Allow'],
      ['/P/Statement/1', 'Deny'],
    ]);
    expect(read({ Statement: { Effect: 'Allow' } }).statements.map((s) => s.pointer)).toEqual(['/Statement']);
  });

  it('keeps the statements it can read and says when some cannot be', () => {
    const result = read({ Statement: [unknown('data.x.statement'), { Effect: 'Allow', Action: 'sts:AssumeRole' }, 'text'] });
    expect(result.partial).toBe(true);
    expect(result.statements.map((s) => s.pointer)).toEqual(['/Statement/1']);
    expect(statementsOf({ Statement: [unknown('data.x.statement'), { Effect: 'Allow' }] })).toBeNull();
  });

  it('an unresolved or absent document is partial; a document without statements is empty', () => {
    expect(read(unknown('var.policy'))).toEqual({ statements: [], partial: true });
    expect(read(undefined)).toEqual({ statements: [], partial: true });
    expect(read({ Statement: unknown('local.statements') })).toEqual({ statements: [], partial: true });
    expect(read({ Version: '2012-10-17' })).toEqual({ statements: [], partial: false });
  });

  it('decodes a document kept as JSON text, URL-encoded as the IAM API returns it or not', () => {
    const doc = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] };
    for (const text of [JSON.stringify(doc), encodeURIComponent(JSON.stringify(doc))]) {
      expect(statementsOf(text)?.map((s) => s.actions.known.map((a) => a.value))).toEqual([['s3:GetObject']]);
    }
    expect(statementsOf('{not json')).toBeNull();
  });
});

describe('readPolicy: Effect, Action, Resource', () => {
  it('reads Allow and Deny; any other effect (the value is case-sensitive) or an unresolved one is unknown', () => {
    expect(one({ Effect: 'Allow' }).effect).toBe('Allow');
    expect(one({ Effect: 'Deny' }).effect).toBe('Deny');
    expect(one({ Effect: 'allow' }).effect).toBe('unknown');
    expect(one({ Effect: unknown('var.effect') }).effect).toBe('unknown');
  });

  it('reads a string or a list, with a pointer to each value; non-strings are unresolved', () => {
    expect(one({ Action: 's3:GetObject' }).actions).toEqual({ known: [{ value: 's3:GetObject', pointer: '/Doc/Statement/0/Action' }], unknown: false });
    expect(one({ Action: ['s3:GetObject', unknown('var.action'), 's3:PutObject'] }).actions).toEqual({
      known: [
        { value: 's3:GetObject', pointer: '/Doc/Statement/0/Action/0' },
        { value: 's3:PutObject', pointer: '/Doc/Statement/0/Action/2' },
      ],
      unknown: true,
    });
    expect(one({ Resource: 42 }).resources).toEqual({ known: [], unknown: true });
  });

  it('reads NotAction and NotResource as the negated lists, and no Resource as none', () => {
    const s = one({ NotAction: 'iam:*', NotResource: ['arn:aws:s3:::b'] });
    expect([s.notAction, s.actionPointer, s.actions.known.map((a) => a.value)]).toEqual([true, '/Doc/Statement/0/NotAction', ['iam:*']]);
    expect([s.notResource, s.resources?.known.map((r) => r.pointer)]).toEqual([true, ['/Doc/Statement/0/NotResource/0']]);
    expect(one({ Action: 'sts:AssumeRole' }).resources).toBeUndefined();
  });

  it('matches actions ignoring case, as IAM does, and NotAction as everything else', () => {
    expect(matchAction(one({ Action: 'STS:AssumeRoleWith*' }), 'sts:assumerolewithwebidentity')).toBe('yes');
    expect(matchAction(one({ Action: 'sts:AssumeRole' }), 'sts:AssumeRoleWithWebIdentity')).toBe('no');
    expect(matchAction(one({ NotAction: 'sts:TagSession' }), 'sts:AssumeRole')).toBe('yes');
    expect(matchAction(one({ Action: ['s3:*', unknown('var.a')] }), 'sts:AssumeRole')).toBe('unknown');
    expect(matchAction(one({ NotAction: ['sts:*', unknown('var.a')] }), 'sts:AssumeRole')).toBe('no');
  });
});

describe('readPolicy: Principal and NotPrincipal', () => {
  it('reads "*" and {"AWS": "*"} or {"Federated": "*"} as a wildcard; a Service "*" is not one', () => {
    expect(one({ Principal: '*' }).principal).toEqual({ pointer: '/Doc/Statement/0/Principal', wildcard: true, unknown: false, values: [] });
    expect(one({ Principal: { AWS: '*' } }).principal?.wildcard).toBe(true);
    expect(one({ Principal: { Federated: [FED, '*'] } }).principal?.wildcard).toBe(true);
    expect(one({ Principal: { Service: '*' } }).principal?.wildcard).toBe(false);
  });

  it('reads the values of each type, string or list, with pointers, keeping unresolved ones', () => {
    const ref = unknown('aws_iam_openid_connect_provider.eks.arn', { ref: { id: 'tf:aws_iam_openid_connect_provider.eks', attribute: 'arn' } });
    const p = one({ Principal: { Federated: [FED, ref], Service: 'pods.eks.amazonaws.com', AWS: 111122223333 } }).principal!;
    expect(p.values).toEqual([
      { type: 'Federated', value: FED, pointer: '/Doc/Statement/0/Principal/Federated/0' },
      { type: 'Federated', value: ref, pointer: '/Doc/Statement/0/Principal/Federated/1' },
      { type: 'Service', value: 'pods.eks.amazonaws.com', pointer: '/Doc/Statement/0/Principal/Service' },
      { type: 'AWS', value: '111122223333', pointer: '/Doc/Statement/0/Principal/AWS' },
    ]);
    expect(principalValues(p, 'Federated')).toEqual([FED, ref]);
    expect(principalValues(one({ Principal: { Federated: ['*', FED] } }).principal, 'Federated')).toEqual([FED]);
  });

  it('an unresolved or malformed principal may name anyone', () => {
    expect(one({ Principal: unknown('var.principal') }).principal).toMatchObject({ unknown: true, wildcard: false });
    expect(one({ Principal: 'arn:aws:iam::111122223333:root' }).principal).toMatchObject({ unknown: true, wildcard: false });
  });

  it('reads NotPrincipal as the principal, flagged, with its own pointer; no principal as none', () => {
    const s = one({ Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/admin' } });
    expect(s.notPrincipal).toBe(true);
    expect(s.principal?.pointer).toBe('/Doc/Statement/0/NotPrincipal');
    expect(principalValues(s.principal, 'AWS')).toEqual(['arn:aws:iam::111122223333:role/admin']);
    expect(one({ Effect: 'Allow', Action: 's3:*' })).toMatchObject({ principal: undefined, notPrincipal: false });
  });
});

describe('readPolicy: Condition', () => {
  it('an empty Condition block imposes nothing, but is where a condition belongs', () => {
    const s = one({ Effect: 'Deny', Condition: {} });
    expect(s.conditional).toBe(false);
    expect(s.condition).toEqual({ pointer: '/Doc/Statement/0/Condition', tests: [], unresolved: false });
    expect(one({ Condition: { StringEquals: {} } }).conditional).toBe(false);
    expect(one({ Effect: 'Allow' }).condition).toEqual({ tests: [], unresolved: false });
  });

  it('reads operators → keys → values in document order, with pointers', () => {
    const s = one({
      Condition: {
        StringEquals: { 'oidc.example.com:aud': 'sts.amazonaws.com', 'aws:SourceAccount': ['111122223333', 222233334444] },
        Bool: { 'aws:SecureTransport': false },
      },
    });
    expect(s.conditional).toBe(true);
    expect(s.condition.tests.map((t) => [t.operator, t.key, t.values, t.pointer])).toEqual([
      ['StringEquals', 'oidc.example.com:aud', ['sts.amazonaws.com'], '/Doc/Statement/0/Condition/StringEquals/oidc.example.com:aud'],
      ['StringEquals', 'aws:SourceAccount', ['111122223333', '222233334444'], '/Doc/Statement/0/Condition/StringEquals/aws:SourceAccount'],
      ['Bool', 'aws:SecureTransport', ['false'], '/Doc/Statement/0/Condition/Bool/aws:SecureTransport'],
    ]);
  });

  it('parses set operators, IfExists and negation; operator names are read case-sensitively, keys as written', () => {
    const tests = one({
      Condition: {
        'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'team-*' },
        'ForAllValues:StringNotEquals': { 'AWS:PrincipalTag/Team': 'x' },
        stringEquals: { 'aws:username': 'a' },
      },
    }).condition.tests;
    expect(tests.map((t) => [t.base, t.setOperator, t.ifExists, t.negated, t.key])).toEqual([
      ['StringLike', 'ForAnyValue', true, false, 'aws:TagKeys'],
      ['StringNotEquals', 'ForAllValues', false, true, 'AWS:PrincipalTag/Team'],
      // IAM rejects `stringEquals`: it is not read as StringEquals.
      ['stringEquals', undefined, false, false, 'aws:username'],
    ]);
  });

  it('an unresolved or malformed block, or operator block, may constrain anything', () => {
    expect(one({ Condition: unknown('var.conditions') }).condition).toMatchObject({ unresolved: true, tests: [] });
    expect(one({ Condition: unknown('var.conditions') }).conditional).toBe(true);
    const s = one({ Condition: { StringEquals: unknown('local.keys'), StringLike: { 'aws:userid': 'AROA*' } } });
    expect([s.condition.unresolved, s.condition.tests.map((t) => t.key)]).toEqual([true, ['aws:userid']]);
    expect(one({ Condition: { StringEquals: 'text' } }).condition.unresolved).toBe(true);
    expect(one({ Condition: ['StringEquals'] }).conditional).toBe(true);
  });

  it('keeps unresolved values, and values of shapes IAM rejects as unresolved text', () => {
    const ref = unknown('var.sub');
    expect(one({ Condition: { StringEquals: { k: [ref, { a: 1 }, ['x']] } } }).condition.tests[0]!.values).toEqual([ref, { $unknown: '{"a":1}' }, { $unknown: '["x"]' }]);
  });

  it('reads a list nested deeper than the call stack as unresolved, without failing', () => {
    let deep: JsonValue = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    const s = one({ Action: deep, Condition: { StringEquals: { k: [deep] } } });
    expect(s.actions).toEqual({ known: [], unknown: true });
    expect(s.condition.tests[0]!.values).toEqual([{ $unknown: 'a nested list' }]);
  });
});
