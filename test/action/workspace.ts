/** Workspaces for Action tests, made in a temporary folder: the demo estate and IAM roles. */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../helpers/fixtures.js';

const DEMO = join(REPO, 'fixtures', 'demo');
export const EKS = 'oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF';

export function role(name: string, condition: Record<string, Record<string, string>>): string {
  const doc = {
    Role: {
      RoleName: name,
      Arn: `arn:aws:iam::111122223333:role/${name}`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${EKS}` },
            Action: 'sts:AssumeRoleWithWebIdentity',
            Condition: condition,
          },
        ],
      },
    },
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export const SCOPED = { StringEquals: { [`${EKS}:sub`]: 'system:serviceaccount:shop:app', [`${EKS}:aud`]: 'sts.amazonaws.com' } };
export const NO_SUB = { StringEquals: { [`${EKS}:aud`]: 'sts.amazonaws.com' } };

export function workspace(files: Record<string, string> = {}, copyDemo = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-ws-'));
  if (copyDemo) cpSync(DEMO, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
