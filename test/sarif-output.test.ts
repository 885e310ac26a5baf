/** SARIF from real scans — the demo, every rule fixture, broken inputs — passes both validators. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../src/scan.js';
import { renderSarif } from '../src/reporters/sarif.js';
import { validateSarif } from './helpers/sarif-validate.js';
import { REPO, RULE_FIXTURES } from './helpers/fixtures.js';

async function sarifOf(paths: string[], root: string): Promise<string> {
  return renderSarif(await scan({ paths, root }));
}

describe('SARIF of real scans', () => {
  it('the demo estate validates against the OASIS schema and GitHub ingestion rules', async () => {
    const text = await sarifOf([join(REPO, 'fixtures', 'demo')], REPO);
    const { schemaErrors, multitoolErrors } = await validateSarif(text);
    expect(schemaErrors).toEqual([]);
    expect(multitoolErrors).toEqual([]);
    expect((JSON.parse(text) as { runs: { results: unknown[] }[] }).runs[0]!.results.length).toBeGreaterThan(5);
  });

  it('every rule fixture scanned together validates, with results for every rule that has fail cases', async () => {
    const text = await sarifOf([RULE_FIXTURES], REPO);
    const { schemaErrors, multitoolErrors } = await validateSarif(text);
    expect(schemaErrors).toEqual([]);
    expect(multitoolErrors).toEqual([]);
    const log = JSON.parse(text) as { runs: { results: { ruleId: string; partialFingerprints: Record<string, string> }[] }[] };
    const results = log.runs[0]!.results;
    expect(new Set(results.map((r) => r.ruleId)).size).toBeGreaterThan(10);
    expect(results.every((r) => typeof r.partialFingerprints['podtrust/v1'] === 'string')).toBe(true);
  });

  it('a scan with unreadable inputs validates and names them as notifications', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-sarif-'));
    writeFileSync(join(dir, 'broken.yaml'), 'kind: [\n');
    writeFileSync(join(dir, 'trust.json'), '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/AB12"},"Action":"sts:AssumeRoleWithWebIdentity"}}');
    const text = await sarifOf([dir], dir);
    const { schemaErrors, multitoolErrors } = await validateSarif(text);
    expect(schemaErrors).toEqual([]);
    expect(multitoolErrors).toEqual([]);
    const run = (JSON.parse(text) as { runs: { invocations: { executionSuccessful: boolean; toolExecutionNotifications: { message: { text: string } }[] }[] }[] }).runs[0]!;
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications.some((n) => /broken\.yaml|YAML|flow/i.test(JSON.stringify(n)))).toBe(true);
  });
});
