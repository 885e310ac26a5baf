// Inputs that give a scan many findings, for timing the reports: per unit, an IAM role whose
// trust matches several namespaces with wildcards and checks no audience (aws-trust-sub-wildcard,
// aws-trust-aud-missing), the namespace's default ServiceAccount carrying the role
// (k8s-identity-on-default-sa) and a pod using kube2iam (aws-kube2iam-legacy): about four
// findings a unit, with messages of the usual lengths. Units are written 500 to a file.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ISSUER = 'oidc.eks.eu-west-1.amazonaws.com/id/5C8F0A1B2D3E4F5A6B7C8D9E0F1A2B3C';
const PROVIDER = `arn:aws:iam::111122223333:oidc-provider/${ISSUER}`;
const UNITS_PER_FILE = 500;
export const FINDINGS_PER_UNIT = 4;

function role(i) {
  return {
    RoleName: `reporting-${i}`,
    Arn: `arn:aws:iam::111122223333:role/reporting-${i}`,
    AssumeRolePolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Federated: PROVIDER },
          Action: 'sts:AssumeRoleWithWebIdentity',
          Condition: { StringLike: { [`${ISSUER}:sub`]: [`system:serviceaccount:team-${i}:*`, `system:serviceaccount:team-${i}-*:worker`] } },
        },
      ],
    },
    RolePolicyList: [],
    AttachedManagedPolicies: [],
  };
}

function manifests(i) {
  return [
    ['apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: default', `  namespace: team-${i}`, '  annotations:', `    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/reporting-${i}`].join('\n'),
    [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      `  name: legacy-${i}`,
      `  namespace: team-${i}`,
      '  annotations:',
      `    iam.amazonaws.com/role: arn:aws:iam::111122223333:role/legacy-${i}`,
      'spec:',
      '  containers:',
      '    - name: app',
      `      image: registry.example.com/team-${i}/app:1.${i % 10}`,
    ].join('\n'),
  ];
}

/** Writes a folder whose scan gives about `findings` findings; returns its number of units. */
export function generateFindings(dir, findings) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const units = Math.ceil(findings / FINDINGS_PER_UNIT);
  for (let start = 0, file = 0; start < units; start += UNITS_PER_FILE, file++) {
    const ids = Array.from({ length: Math.min(UNITS_PER_FILE, units - start) }, (_, k) => start + k);
    const account = { RoleDetailList: ids.map(role), Policies: [], UserDetailList: [], GroupDetailList: [] };
    writeFileSync(join(dir, `account-${file}.json`), JSON.stringify(account, null, 2));
    writeFileSync(join(dir, `workloads-${file}.yaml`), `${ids.flatMap(manifests).join('\n---\n')}\n`);
  }
  return units;
}
