/** The identity map ties findings to identities even when the finding sits on another resource. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { auditInventory, collectInventory, scan } from '../../src/scan.js';
import { byCluster, identityRows } from '../../src/reporters/html/identity-map.js';
import { resourceClusters } from '../../src/model/identity-links.js';
import { Model } from '../../src/model/model.js';
import { render, REPORT_FORMATS } from '../../src/reporters/index.js';

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

describe('identity map of the demo estate', () => {
  const demo = scan({ paths: ['fixtures/demo'], root: process.cwd() });
  const row = async (sa: string | undefined, identity: string) => {
    const rows = identityRows(await demo).filter((r) => r.serviceAccount?.name === sa && r.identity === identity);
    expect(rows).toHaveLength(1);
    return rows[0]!;
  };

  it('files a finding on a ServiceAccount beside that ServiceAccount only, not beside others that share its role', async () => {
    expect((await row('payments/ledger', 'shop-prod-payments')).findings.map((f) => f.ruleId)).toEqual(['aws-irsa-trust-mismatch']);
    expect((await row('payments/payments-api', 'shop-prod-payments')).findings).toEqual([]);
    // The KSA collision sits on the staging ServiceAccount and names the production one as related.
    const checkout = identityRows(await demo).filter((r) => r.identity === 'checkout@acme-shop.iam.gserviceaccount.com');
    expect(checkout.map((r) => [r.serviceAccount?.cluster, r.findings.map((f) => f.ruleId)])).toEqual([
      ['shop-gke-prod', []],
      ['shop-gke-staging', ['gcp-ksa-identity-collision']],
    ]);
  });

  it('files a finding on a role beside every ServiceAccount that uses the role', async () => {
    expect((await row('platform/default', 'shop-prod-backup')).findings.map((f) => f.ruleId).sort()).toEqual(['aws-trust-sub-missing', 'k8s-identity-on-default-sa']);
  });

  it('says what each identity can do, from its effective permissions', async () => {
    expect((await row('platform/default', 'shop-prod-backup')).permissions).toEqual(['AmazonS3FullAccess (broad)']);
    expect((await row(undefined, 'shop-prod-reporting')).permissions).toEqual(['inline policy reporting-read']);
    expect((await row('payments/ledger', 'shop-prod-payments')).permissions).toEqual(['AmazonDynamoDBReadOnlyAccess']);
    const checkout = identityRows(await demo).filter((r) => r.identity === 'checkout@acme-shop.iam.gserviceaccount.com');
    expect(checkout.map((r) => r.permissions)).toEqual([['roles/cloudsql.client on project acme-shop'], ['roles/cloudsql.client on project acme-shop']]);
  });
});

describe('clusters of the resources a report names', () => {
  it('every report is the one a map of every resource gives', async () => {
    const options = { paths: ['fixtures/demo'], root: process.cwd() };
    const inventory = await collectInventory(options);
    const result = auditInventory(inventory, options);
    const every = resourceClusters(new Model(inventory));
    // The demo has clusters, and resources in them that no report names.
    expect(Object.keys(result.resourceClusters ?? {}).length).toBeGreaterThan(0);
    expect(Object.keys(every).length).toBeGreaterThan(Object.keys(result.resourceClusters ?? {}).length);
    expect(byCluster(result).some((b) => Object.values(every).flat().includes(b.label))).toBe(true);
    for (const [id, names] of Object.entries(result.resourceClusters ?? {})) expect(every[id]).toEqual(names);
    const at = { startedAt: new Date('2026-10-01T12:00:00Z'), finishedAt: new Date('2026-10-01T12:00:01Z') };
    // Every report, the Markdown one's per-cluster breakdown among them.
    const opts = { ...at, asffAccount: '111122223333', asffRegion: 'eu-west-1' };
    for (const format of REPORT_FORMATS) expect(render(format, result, opts), format).toBe(render(format, { ...result, resourceClusters: every }, opts));
  });
});
