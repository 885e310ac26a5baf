/** The model reads each role's trust policy once, for the federation view and for the rules about principals alike. */
import { describe, expect, it } from 'vitest';
import { Model } from '../../src/model/model.js';
import type { Inventory } from '../../src/model/types.js';
import { resource } from '../federation/inventory-stub.js';

const ISS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789';

describe('trust statements', () => {
  it('are read once per role and are the same for the federations and the rules', () => {
    const document = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${ISS}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { [`${ISS}:sub`]: 'system:serviceaccount:ns:app' } } }],
    };
    let reads = 0;
    const body = { RoleName: 'app' };
    Object.defineProperty(body, 'AssumeRolePolicyDocument', { enumerable: true, get: () => (reads++, document) });
    const role = resource('role:app', 'aws.iam.Role', body);
    const inventory: Inventory = { version: 1, resources: [role], clusters: [], notes: [] };
    const model = new Model(inventory);
    const federations = model.federationsOf(role);
    const statements = model.trustStatementsOf(role);
    expect(federations).toHaveLength(1);
    expect(statements).toHaveLength(1);
    expect(statements[0]!.effect).toBe('Allow');
    expect(reads).toBe(1);
  });
});
