/** "Can do" in the identity map: what each identity's grants allow, read from a real scan. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';

const SUBSCRIPTION = '0b1f6471-1bf0-4dda-aec3-111122223333';
const CLIENT_ID = '3f9a1c2e-7b4d-4e8f-a6c5-0d1e2f3a4b5c';
const PRINCIPAL_ID = '8d2c4e6a-1b3f-4a5c-9e7d-6f8a0b2c4d6e';

function estate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-cando-'));
  writeFileSync(
    join(dir, 'identities.json'),
    JSON.stringify([
      {
        clientId: CLIENT_ID,
        id: `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-catalog/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-catalog`,
        location: 'westeurope',
        name: 'id-catalog',
        principalId: PRINCIPAL_ID,
        resourceGroup: 'rg-catalog',
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        type: 'Microsoft.ManagedIdentity/userAssignedIdentities',
      },
    ]),
  );
  writeFileSync(
    join(dir, 'assignments.json'),
    JSON.stringify([
      {
        id: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-catalog/providers/Microsoft.Authorization/roleAssignments/5b2f6c1e-0a0b-4c5d-8e9f-101112131415`,
        name: '5b2f6c1e-0a0b-4c5d-8e9f-101112131415',
        principalId: PRINCIPAL_ID,
        principalType: 'ServicePrincipal',
        roleDefinitionName: 'Storage Blob Data Reader',
        scope: `/subscriptions/${SUBSCRIPTION}/resourceGroups/rg-catalog`,
        type: 'Microsoft.Authorization/roleAssignments',
      },
    ]),
  );
  writeFileSync(
    join(dir, 'roles.tf'),
    [
      'resource "aws_iam_role" "deployer" {',
      '  name               = "deployer"',
      '  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "pods.eks.amazonaws.com" } }] })',
      '}',
      'resource "aws_iam_role_policy_attachment" "deployer_admin" {',
      '  role       = aws_iam_role.deployer.name',
      '  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"',
      '}',
      'resource "aws_iam_role_policy" "deployer_logs" {',
      '  name   = "logs"',
      '  role   = aws_iam_role.deployer.id',
      '  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }] })',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'sa.yaml'),
    ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: catalog', '  namespace: shop', '  annotations:', `    azure.workload.identity/client-id: ${CLIENT_ID}`, ''].join('\n'),
  );
  return dir;
}

describe('what an identity can do', () => {
  it('lists admin-equivalent grants first, then broad statements, for an AWS role', async () => {
    const dir = estate();
    const result = await scan({ paths: [dir], root: dir });
    const role = result.identities?.find((l) => l.identity === 'deployer');
    expect(role?.permissions).toEqual(['admin (AdministratorAccess)', 'logs:* on * (logs)']);
  });

  it('lists the Azure roles a managed identity holds and where, and the subscription it lives in', async () => {
    const dir = estate();
    const result = await scan({ paths: [dir], root: dir });
    const link = result.identities?.find((l) => l.serviceAccount?.name === 'shop/catalog');
    expect(link?.permissions).toEqual(['Storage Blob Data Reader at resourceGroup rg-catalog']);
    expect(link?.scope).toBe(`Azure subscription ${SUBSCRIPTION}`);
  });
});
