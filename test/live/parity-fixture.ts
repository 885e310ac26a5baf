/** One small cluster written twice: as manifests in a repository, and as objects a live API server serves. */
export const ISSUER = 'https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
export const CONTEXT = 'prod-eu';

export const OBJECTS: Record<string, unknown>[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: 'payments', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/payments-shared' } },
  },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'ledger', namespace: 'payments', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/ledger-writer' } },
  },
  {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace: 'web', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/web' } },
  },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ledger', namespace: 'payments', labels: { app: 'ledger' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'ledger' } },
      template: {
        metadata: { labels: { app: 'ledger' } },
        spec: { serviceAccountName: 'ledger', containers: [{ name: 'ledger', image: 'registry.example.com/ledger:1.4.2', ports: [{ containerPort: 8080 }] }] },
      },
    },
  },
];

/** `aws iam get-role --role-name ledger-writer` output: its trust admits another ServiceAccount. */
export const LEDGER_ROLE = {
  Role: {
    Path: '/',
    RoleName: 'ledger-writer',
    RoleId: 'AROAEXAMPLEID1234567',
    Arn: 'arn:aws:iam::111122223333:role/ledger-writer',
    CreateDate: '2024-03-11T10:22:31+00:00',
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: 'arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE' },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: {
            StringEquals: {
              'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:sub': 'system:serviceaccount:payments:ledger-v1',
              'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE:aud': 'sts.amazonaws.com',
            },
          },
        },
      ],
    },
    MaxSessionDuration: 3600,
  },
};
