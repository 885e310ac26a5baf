import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyzeAwsTrust } from '../../src/federation/aws-trust.js';
import { admits } from '../../src/federation/matcher.js';
import { index, resource } from './inventory-stub.js';
import { referenceMatch } from './reference-glob.js';

const ISS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';
const SUB = `${ISS}:sub`;
const KEYS = [SUB, SUB.toUpperCase(), `${ISS}:Sub`, `${ISS}:aud`, 'aws:SourceAccount'];
const BASES = ['StringEquals', 'StringLike', 'StringNotEquals', 'StringNotLike', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase'];
const VALUES = [
  'system:serviceaccount:a:x',
  'system:serviceaccount:a:*',
  'system:serviceaccount:*',
  '*',
  'system:serviceaccount:?:x',
  'SYSTEM:SERVICEACCOUNT:A:X',
  'system:serviceaccount:prod:app',
  'system:serviceaccount:*:x',
  'system:serviceaccount:kube-system:*',
  '*:app',
];
const SUBJECTS = [
  ...['a', 'b', 'prod', 'kube-system'].flatMap((ns) => ['x', 'app', 'y'].map((n) => `system:serviceaccount:${ns}:${n}`)),
  'SYSTEM:SERVICEACCOUNT:A:X',
  'system:serviceaccount:*',
  '*',
  'repo:org/app',
];

/** IAM semantics of a Condition block for a token whose only relevant claim is `sub`, written independently. */
function iamAllows(condition: Record<string, Record<string, string[]>>, sub: string): boolean {
  for (const [operator, block] of Object.entries(condition)) {
    const base = operator.replace(/^(ForAnyValue|ForAllValues):/, '').replace(/IfExists$/, '');
    for (const [key, values] of Object.entries(block)) {
      if (key.toLowerCase() !== SUB.toLowerCase()) continue;
      const eq = values.includes(sub);
      const eqIc = values.some((v) => v.toLowerCase() === sub.toLowerCase());
      const like = values.some((v) => referenceMatch(v, sub));
      const holds = { StringEquals: eq, StringNotEquals: !eq, StringEqualsIgnoreCase: eqIc, StringNotEqualsIgnoreCase: !eqIc, StringLike: like, StringNotLike: !like }[base];
      if (!holds) return false;
    }
  }
  return true;
}

const entry = fc.record({
  base: fc.constantFrom(...BASES),
  prefix: fc.constantFrom('', '', 'ForAnyValue:', 'ForAllValues:'),
  ifExists: fc.boolean(),
  key: fc.constantFrom(...KEYS),
  values: fc.uniqueArray(fc.constantFrom(...VALUES), { minLength: 1, maxLength: 3 }),
});

describe('subject matcher from random condition blocks', () => {
  it('admits exactly the subjects IAM would allow', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 4 }), fc.array(entry, { maxLength: 1 }), (entries, denyEntries) => {
        const condition: Record<string, Record<string, string[]>> = {};
        for (const e of entries) (condition[e.prefix + e.base + (e.ifExists ? 'IfExists' : '')] ??= {})[e.key] = e.values;
        const statements: unknown[] = [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::1:oidc-provider/${ISS}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }];
        // A Deny with one sub condition: the statement allows only what it does not deny.
        const deny = denyEntries[0];
        const denyCondition = deny && deny.key.toLowerCase() === SUB.toLowerCase() ? { [deny.base]: { [deny.key]: deny.values } } : undefined;
        if (denyCondition) statements.push({ Effect: 'Deny', Principal: '*', Action: 'sts:AssumeRoleWithWebIdentity', Condition: denyCondition });

        const role = resource('r', 'aws.iam.Role', { AssumeRolePolicyDocument: { Statement: statements } });
        const [federation] = analyzeAwsTrust(role, index());
        expect(federation).toBeDefined();
        for (const sub of SUBJECTS) {
          const expected = iamAllows(condition, sub) && !(denyCondition && iamAllows(denyCondition, sub));
          expect(admits(federation!.subject, sub), `${sub} under ${JSON.stringify(statements)}`).toBe(expected);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
