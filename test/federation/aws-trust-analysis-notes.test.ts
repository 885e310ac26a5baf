/** A trust document the analysis cannot handle is reported as a warning, not silently dropped. */
import { describe, expect, it, vi } from 'vitest';
import { analyzeAwsTrust } from '../../src/federation/aws-trust.js';
import type { CoverageNote, Inventory, JsonValue, Resource } from '../../src/model/types.js';
import { auditInventory } from '../../src/scan.js';
import { index } from './inventory-stub.js';

const ARN = 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';
const BROKEN_ARN = 'arn:aws:iam::111122223333:oidc-provider/broken.example.com';

// Stands in for any fault of the analysis on one document: resolving this provider throws.
vi.mock('../../src/federation/issuers.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/federation/issuers.js')>();
  return {
    ...actual,
    resolveIssuerDetailed: (...args: Parameters<typeof actual.resolveIssuerDetailed>) => {
      if (args[0] === 'arn:aws:iam::111122223333:oidc-provider/broken.example.com') throw new Error('issuer lookup failed');
      return actual.resolveIssuerDetailed(...args);
    },
  };
});

/** An Action list nested deeper than the call stack: a saved inventory is not depth-limited by a parser. */
function deeplyNested(): JsonValue {
  let action: JsonValue = 'sts:AssumeRoleWithWebIdentity';
  for (let i = 0; i < 200_000; i++) action = [action];
  return action;
}

function role(name: string, action: JsonValue, provider = ARN): Resource {
  return {
    id: `iam:${name}`,
    type: 'aws.iam.Role',
    name,
    file: '/scan/roles.json',
    format: 'iam-json',
    body: { RoleName: name, AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: provider }, Action: action }] } },
    positions: { '': { line: 3, column: 5, endLine: 20, endColumn: 6 }, '/AssumeRolePolicyDocument': { line: 5, column: 7, endLine: 19, endColumn: 8 } },
  };
}

describe('trust analysis failures', () => {
  it('analyzeAwsTrust records a warning naming the role and returns no federation', () => {
    const notes: CoverageNote[] = [];
    expect(analyzeAwsTrust(role('broken', 'sts:AssumeRoleWithWebIdentity', BROKEN_ARN), index(), notes)).toEqual([]);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: 'unsupported', level: 'warning', file: '/scan/roles.json', line: 5, column: 7 });
    expect(notes[0]!.message).toBe('broken: trust policy could not be analysed: issuer lookup failed');
  });

  it('the scan lists the warning once, and a well-formed role beside it is analysed as usual', () => {
    const inventory: Inventory = { version: 1, resources: [role('broken', 'sts:AssumeRoleWithWebIdentity', BROKEN_ARN), role('fine', 'sts:AssumeRoleWithWebIdentity')], clusters: [], notes: [] };
    const result = auditInventory(inventory, { paths: [], root: '/scan' });
    const failures = result.notes.filter((n) => n.message.includes('could not be analysed'));
    expect(failures).toEqual([expect.objectContaining({ kind: 'unsupported', level: 'warning', file: '/scan/roles.json', line: 5 })]);
    expect(failures[0]!.message.startsWith('broken: ')).toBe(true);
    expect(result.findings.some((f) => f.resource.name === 'fine')).toBe(true);
  });

  it('an Action list nested deeper than the call stack is read as unresolved, not as a failure', () => {
    const notes: CoverageNote[] = [];
    const federations = analyzeAwsTrust(role('nested', deeplyNested()), index(), notes);
    expect(notes).toEqual([]);
    // A federated principal serves only web identity: an unresolved action list still counts.
    expect(federations.map((f) => [f.issuer.host, f.actions])).toEqual([['oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789', []]]);
  });
});
