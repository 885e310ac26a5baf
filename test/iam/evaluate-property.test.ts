import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evaluate, type Decision } from '../../src/iam/evaluate.js';
import { wildcardMatch } from '../../src/federation/wildcard.js';
import type { JsonObject } from '../../src/model/types.js';
import { inline, policies } from './iam-helpers.js';

const ACTIONS = ['s3:GetObject', 's3:PutObject', 'iam:PassRole', 'iam:CreateUser', 'ec2:RunInstances'];
const ACTION_PATTERNS = [...ACTIONS, 's3:*', 'iam:*', '*', 's3:Get*', '*:Get*', 'IAM:passrole', 'ec2:Run?nstances'];
const RESOURCES = ['*', 'arn:aws:s3:::a/x', 'arn:aws:s3:::b/y', 'arn:aws:iam::1:role/r'];
const RESOURCE_PATTERNS = ['*', 'arn:aws:s3:::a/*', 'arn:aws:s3:::*', 'arn:aws:iam::1:role/r', 'arn:aws:s3:::b/y'];

interface Stmt {
  effect: 'Allow' | 'Deny';
  notAction: boolean;
  actions: string[];
  notResource: boolean;
  resources: string[];
}

const stmt = fc.record({
  effect: fc.constantFrom<'Allow' | 'Deny'>('Allow', 'Deny'),
  notAction: fc.boolean(),
  actions: fc.array(fc.constantFrom(...ACTION_PATTERNS), { minLength: 1, maxLength: 3 }),
  notResource: fc.boolean(),
  resources: fc.array(fc.constantFrom(...RESOURCE_PATTERNS), { minLength: 1, maxLength: 2 }),
});

function toJson(s: Stmt): JsonObject {
  return { Effect: s.effect, [s.notAction ? 'NotAction' : 'Action']: s.actions, [s.notResource ? 'NotResource' : 'Resource']: s.resources };
}

/** IAM's definition, spelled out over the small universe. */
function bruteForce(stmts: Stmt[], boundary: Stmt[] | undefined, action: string, resource: string): Decision {
  const covers = (s: Stmt) => {
    const a = s.actions.some((p) => wildcardMatch(p, action, true));
    const r = s.resources.some((p) => wildcardMatch(p, resource));
    return (s.notAction ? !a : a) && (s.notResource ? !r : r);
  };
  const allowedBy = (list: Stmt[]) => !list.some((s) => s.effect === 'Deny' && covers(s)) && list.some((s) => s.effect === 'Allow' && covers(s));
  return allowedBy(stmts) && (boundary === undefined || allowedBy(boundary)) ? 'allow' : 'deny';
}

const RANK: Record<Decision, number> = { deny: 0, unknown: 1, conditional: 2, allow: 3 };

describe('evaluate (properties)', () => {
  it('agrees with a brute-force evaluator on a small universe', () => {
    fc.assert(
      fc.property(fc.array(stmt, { maxLength: 4 }), fc.option(fc.array(stmt, { minLength: 1, maxLength: 2 }), { nil: undefined }), (stmts, boundary) => {
        const p = policies([inline(...stmts.map(toJson))], boundary ? { ...inline(...boundary.map(toJson)), pointer: '/PermissionsBoundary' } : undefined);
        for (const action of ACTIONS) for (const resource of RESOURCES) {
          expect(evaluate(p, action, resource).decision).toBe(bruteForce(stmts, boundary, action, resource));
        }
      }),
    );
  });

  it('adding a Deny never increases what is allowed', () => {
    fc.assert(
      fc.property(fc.array(stmt, { maxLength: 4 }), stmt, fc.boolean(), (stmts, extra, conditional) => {
        const denyStmt = { ...toJson({ ...extra, effect: 'Deny' }), ...(conditional ? { Condition: { Bool: { 'aws:SecureTransport': 'false' } } } : {}) };
        const before = policies([inline(...stmts.map(toJson))]);
        const after = policies([inline(...stmts.map(toJson), denyStmt)]);
        for (const action of ACTIONS) for (const resource of RESOURCES) {
          expect(RANK[evaluate(after, action, resource).decision]).toBeLessThanOrEqual(RANK[evaluate(before, action, resource).decision]);
        }
      }),
    );
  });

  it('NotAction is the complement of Action', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTION_PATTERNS), { minLength: 1, maxLength: 3 }), fc.constantFrom(...ACTIONS), (patterns, action) => {
        const a = evaluate(policies([inline({ Effect: 'Allow', Action: patterns, Resource: '*' })]), action).decision;
        const n = evaluate(policies([inline({ Effect: 'Allow', NotAction: patterns, Resource: '*' })]), action).decision;
        expect(a === 'allow').toBe(n === 'deny');
      }),
    );
  });

  it('a boundary never increases what is allowed', () => {
    fc.assert(
      fc.property(fc.array(stmt, { maxLength: 4 }), fc.array(stmt, { minLength: 1, maxLength: 3 }), (stmts, boundary) => {
        const without = policies([inline(...stmts.map(toJson))]);
        const withBoundary = policies([inline(...stmts.map(toJson))], { ...inline(...boundary.map(toJson)), pointer: '/PermissionsBoundary' });
        for (const action of ACTIONS) {
          expect(RANK[evaluate(withBoundary, action).decision]).toBeLessThanOrEqual(RANK[evaluate(without, action).decision]);
        }
      }),
    );
  });
});
