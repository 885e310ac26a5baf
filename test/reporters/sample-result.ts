import type { Finding, Severity } from '../../src/model/types.js';
import type { RuleMeta } from '../../src/engine/rule-api.js';
import type { ScanResult } from '../../src/engine/result.js';

export const ROOT = '/repo/infra';
export const ESC = '\u001b';

export const RULES: RuleMeta[] = [
  {
    id: 'aws-trust-sub-missing',
    title: 'IRSA trust without a sub condition',
    severity: 'critical',
    provider: 'aws',
    description: 'Any ServiceAccount of the cluster can assume the role.',
    remediation: 'Add a `StringEquals` condition on `<issuer>:sub`.',
    references: ['https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html'],
    tags: ['irsa', 'trust'],
  },
  {
    id: 'aws-trust-sub-wildcard',
    title: 'IRSA trust with a wildcard sub',
    severity: 'critical',
    provider: 'aws',
    description: 'A wildcard `sub` admits more ServiceAccounts than intended.',
    remediation: 'Pin the subject with `StringEquals`.',
    references: [],
  },
  {
    id: 'k8s-identity-on-default-sa',
    title: 'Cloud identity on the default ServiceAccount',
    severity: 'medium',
    provider: 'kubernetes',
    description: 'Every pod in the namespace gets the identity.',
    remediation: 'Create a dedicated ServiceAccount.',
    references: ['https://kubernetes.io/docs/concepts/security/service-accounts/'],
  },
  {
    id: 'aws-kube2iam-legacy',
    title: 'kube2iam annotation',
    severity: 'low',
    provider: 'aws',
    description: 'Node-level credential proxy.',
    remediation: 'Move to IRSA or EKS Pod Identity.',
    references: [],
  },
];

function finding(partial: Partial<Finding> & Pick<Finding, 'ruleId' | 'severity' | 'message'>): Finding {
  return {
    resource: { id: 'aws.iam.Role/app', type: 'aws.iam.Role', name: 'app' },
    pointer: '/AssumeRolePolicyDocument/Statement/0',
    location: { file: `${ROOT}/iam/app.tf`, position: { line: 12, column: 3, endLine: 20, endColumn: 4 } },
    related: [],
    fingerprint: `fp-${partial.ruleId}`,
    origin: 'iac',
    ...partial,
  };
}

/** A scan with every shape the reporters must handle. */
export function sampleResult(): ScanResult {
  const findings: Finding[] = [
    finding({
      ruleId: 'aws-trust-sub-missing',
      severity: 'critical',
      message: 'Role app trusts every ServiceAccount of cluster prod | with <no> `sub`.',
      fingerprint: 'fp-1',
      location: {
        file: `${ROOT}/iam/app role.tf`,
        position: { line: 12, column: 3, endLine: 20, endColumn: 4 },
        logical: 'arn:aws:iam::123456789012:role/app',
      },
      related: Array.from({ length: 12 }, (_, i) => ({
        file: `${ROOT}/k8s/sa-${i}.yaml`,
        position: { line: 4, column: 5, endLine: 4, endColumn: 5 },
        message: `ServiceAccount sa-${i}`,
      })),
    }),
    finding({
      ruleId: 'aws-trust-sub-wildcard',
      severity: 'high',
      message: 'sub matches system:serviceaccount:team:*.',
      fingerprint: 'fp-2',
      location: { file: '/elsewhere/shared/trust.json', position: { line: 0, column: 0, endLine: 0, endColumn: 0 } },
      baselineState: 'new',
    }),
    finding({
      ruleId: 'k8s-identity-on-default-sa',
      severity: 'medium',
      message: `ServiceAccount ${ESC}[31mdefault${ESC}[0m${ESC}]0;pwned\u0007 carries an identity.`,
      resource: { id: 'k8s/ServiceAccount/team/default', type: 'k8s.ServiceAccount', name: `team/${ESC}[2Jdefault\r\nFAKE`, namespace: 'team' },
      fingerprint: 'fp-3',
      location: { file: `${ROOT}/k8s/sa.yaml`, position: { line: 7, column: 5, endLine: 7, endColumn: 40 } },
      related: [{ file: `${ROOT}/iam/app role.tf`, position: { line: 1, column: 1, endLine: 1, endColumn: 10 } }],
      evidence: { annotation: 'eks.amazonaws.com/role-arn' },
      baselineState: 'unchanged',
    }),
    finding({
      ruleId: 'aws-kube2iam-legacy',
      severity: 'low',
      message: 'Pod uses kube2iam.',
      fingerprint: 'fp-4',
      location: { file: 'k8s/prod/team/Pod/web.yaml', logical: 'api/v1/namespaces/team/pods/web' },
      origin: 'live',
    }),
    finding({
      ruleId: 'aws-kube2iam-legacy',
      severity: 'low',
      message: 'Pod uses kube2iam (accepted).',
      fingerprint: 'fp-5',
      location: { file: `${ROOT}/k8s/legacy.yaml`, position: { line: 3, column: 1, endLine: 3, endColumn: 1 } },
      suppression: { kind: 'inSource', justification: 'migrating in Q3' },
    }),
  ];
  const bySeverity: Record<Severity, number> = { critical: 1, high: 1, medium: 1, low: 1 };
  return {
    tool: { name: 'podtrust', version: '0.1.0', informationUri: 'https://github.com/podtrust/podtrust' },
    root: ROOT,
    findings,
    rules: RULES,
    notes: [
      { kind: 'parse-error', level: 'error', message: 'unexpected end of flow mapping', file: `${ROOT}/k8s/broken.yaml`, line: 9, column: 2 },
      { kind: 'permission', level: 'warning', message: 'cannot list Secrets in namespace team (403)' },
      { kind: 'unresolved', level: 'note', message: 'var.issuer is not known', file: `${ROOT}/iam/app role.tf`, line: 3 },
      { kind: 'parse-error', level: 'warning', message: 'unknown key `clustres`', file: `${ROOT}/.podtrust.yaml`, line: 2, column: 1 },
    ],
    summary: { files: 14, resources: 40, findings: 5, bySeverity, suppressed: 1, partial: true },
  };
}

/** A finding of the sample's first rule with the given severity, for bulk tests. */
export function bulkFinding(index: number, severity: Severity): Finding {
  return finding({
    ruleId: 'aws-trust-sub-missing',
    severity,
    message: `Finding ${index}.`,
    fingerprint: `bulk-${index}`,
    location: { file: `${ROOT}/bulk/${index}.yaml`, position: { line: 1, column: 1, endLine: 1, endColumn: 2 } },
  });
}
