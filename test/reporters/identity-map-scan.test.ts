/** The identity map ties findings to identities even when the finding sits on another resource. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/scan.js';
import { identityRows } from '../../src/reporters/html/identity-map.js';

describe('identity map of a real scan', () => {
  it('counts a project-level Editor grant against the ServiceAccount whose Google service account holds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-idmap-'));
    writeFileSync(
      join(dir, 'main.tf'),
      [
        'module "workload_identity_payments" {',
        '  source     = "terraform-google-modules/kubernetes-engine/google//modules/workload-identity"',
        '  version    = "~> 35.0"',
        '  project_id = "acme-plat-1111"',
        '  name       = "payments-api"',
        '  namespace  = "payments"',
        '  roles      = ["roles/cloudsql.client", "roles/editor"]',
        '}',
        '',
      ].join('\n'),
    );
    const result = await scan({ paths: [dir], root: dir });
    expect(result.findings.map((f) => f.ruleId)).toContain('gcp-gsa-primitive-role');
    const row = identityRows(result).find((r) => r.serviceAccount?.name === 'payments/payments-api');
    expect(row?.findings.map((f) => f.ruleId)).toEqual(['gcp-gsa-primitive-role']);
  });
});
