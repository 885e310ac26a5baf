// Single large files of the kinds users export and scan whole: a `kubectl get -o yaml` List, a
// multi-document stream, an account's authorization details, a Terraform plan, a CloudFormation
// template. Each is one folder holding one file, so a scan of the folder reads just that file.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C8F0A1B2D3E4F5A6B7C8D9E0F1A2B3C';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`;

export function serviceAccountYaml(i, indent) {
  const pad = ' '.repeat(indent);
  return [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    `  name: ${i % 7 === 0 ? 'default' : `app-${i}`}`,
    `  namespace: team-${i % 40}`,
    '  annotations:',
    `    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app-${i}`,
    '  labels:',
    `    app.kubernetes.io/name: app-${i}`,
  ].map((line, n) => (n === 0 && indent > 0 ? `${' '.repeat(indent - 2)}- ${line}` : pad + line)).join('\n');
}

function trust(i) {
  const sub = i % 10 === 0 ? 'system:serviceaccount:*' : `system:serviceaccount:team-${i % 40}:app-${i}`;
  return {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { [i % 10 === 0 ? 'StringLike' : 'StringEquals']: { [`${ISSUER}:sub`]: sub, [`${ISSUER}:aud`]: 'sts.amazonaws.com' } } }],
  };
}

const KINDS = {
  'kubectl-list': (n) => ({ file: 'list.yaml', text: `apiVersion: v1\nkind: List\nitems:\n${Array.from({ length: n }, (_, i) => serviceAccountYaml(i, 4)).join('\n')}\n` }),
  'yaml-stream': (n) => ({ file: 'stream.yaml', text: `${Array.from({ length: n }, (_, i) => serviceAccountYaml(i, 0)).join('\n---\n')}\n` }),
  'authorization-details': (n) => ({
    file: 'account.json',
    text: JSON.stringify(
      {
        RoleDetailList: Array.from({ length: n }, (_, i) => ({
          RoleName: `app-${i}`,
          Arn: `arn:aws:iam::111122223333:role/app-${i}`,
          AssumeRolePolicyDocument: trust(i),
          RolePolicyList: [{ PolicyName: 'access', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject'], Resource: `arn:aws:s3:::data-${i}/*` }] } }],
          AttachedManagedPolicies: [{ PolicyName: 'AWSXrayWriteOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess' }],
        })),
        Policies: [],
        UserDetailList: [],
        GroupDetailList: [],
      },
      null,
      2,
    ),
  }),
  'terraform-plan': (n) => ({
    file: 'plan.json',
    text: JSON.stringify(
      {
        format_version: '1.2',
        terraform_version: '1.9.0',
        planned_values: {
          root_module: {
            resources: Array.from({ length: n }, (_, i) => ({ address: `aws_iam_role.app_${i}`, mode: 'managed', type: 'aws_iam_role', name: `app_${i}`, values: { name: `app-${i}`, assume_role_policy: JSON.stringify(trust(i)) } })),
          },
        },
      },
      null,
      2,
    ),
  }),
  cloudformation: (n) => ({
    file: 'template.json',
    text: JSON.stringify({ AWSTemplateFormatVersion: '2010-09-09', Resources: Object.fromEntries(Array.from({ length: n }, (_, i) => [`AppRole${i}`, { Type: 'AWS::IAM::Role', Properties: { RoleName: `app-${i}`, AssumeRolePolicyDocument: trust(i) } }])) }, null, 2),
  }),
};

/** Objects per kind at 1×: the 4× file stays under the default per-file limit of 10 MB. */
const COUNTS = { 'kubectl-list': 5000, 'yaml-stream': 5000, 'authorization-details': 1000, 'terraform-plan': 2000, cloudformation: 2000 };

/** Writes every kind with `scale` × its count of objects under `dir/<kind>/`; returns the folders and sizes. */
export function generateFiles(dir, scale) {
  rmSync(dir, { recursive: true, force: true });
  return Object.entries(KINDS).map(([kind, make]) => {
    const n = COUNTS[kind] * scale;
    const { file, text } = make(n);
    const folder = join(dir, kind);
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, file), text);
    return { kind, folder, objects: n, bytes: Buffer.byteLength(text) };
  });
}
