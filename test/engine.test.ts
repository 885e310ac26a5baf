import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runRules } from '../src/engine/engine.js';
import { Model } from '../src/model/model.js';
import { emptyConfig, parseConfig } from '../src/engine/config.js';
import type { CodeRule } from '../src/engine/rule-api.js';
import type { Inventory, Resource } from '../src/model/types.js';
import { scan } from '../src/scan.js';

function sa(name: string, annotations: Record<string, string>): Resource {
  return {
    id: `k8s:test:ServiceAccount/ns/${name}`,
    type: 'k8s.ServiceAccount',
    name: `ns/${name}`,
    namespace: 'ns',
    file: '/repo/sa.yaml',
    format: 'kubernetes',
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'ns', annotations } },
    positions: { '': { line: 1, column: 1, endLine: 6, endColumn: 1 }, '/metadata': { line: 3, column: 1, endLine: 6, endColumn: 1 } },
  };
}

const inventory: Inventory = { version: 1, resources: [sa('a', {}), sa('b', {})], clusters: [], notes: [] };

const reportEvery: CodeRule = {
  meta: { id: 'test-every-sa', title: 't', severity: 'medium', provider: 'kubernetes', description: 'd', remediation: 'r', references: [] },
  check(ctx) {
    for (const r of ctx.model.ofType('k8s.ServiceAccount')) ctx.report({ resource: r, at: '/metadata/annotations', message: `sa ${r.name}` });
  },
};
const crashing: CodeRule = {
  meta: { ...reportEvery.meta, id: 'test-crash' },
  check() {
    throw new Error('boom');
  },
};

describe('engine', () => {
  it('reports a crashing rule as a coverage note and still runs the others', () => {
    const out = runRules(new Model(inventory), [crashing, reportEvery], emptyConfig(), '/repo');
    expect(out.notes).toEqual([expect.objectContaining({ kind: 'rule-error', level: 'error', message: expect.stringContaining('test-crash') })]);
    expect(out.findings.map((f) => f.message)).toEqual(['sa ns/a', 'sa ns/b']);
  });

  it('fills a declared message template from the report\'s data, and names its id on the finding', () => {
    const templated: CodeRule = {
      meta: { ...reportEvery.meta, id: 'test-templated', messages: { carries: 'ServiceAccount {{ name }} carries {{what}}.', bare: 'No data.' } },
      check(ctx) {
        const [a, b] = ctx.model.ofType('k8s.ServiceAccount');
        ctx.report({ resource: a!, at: '', messageId: 'carries', data: { name: a!.name, what: 'an identity {{name}}' } });
        ctx.report({ resource: b!, at: '', messageId: 'bare' });
      },
    };
    const out = runRules(new Model(inventory), [templated], emptyConfig(), '/repo');
    expect(out.findings.map((f) => [f.messageId, f.message])).toEqual([
      ['carries', 'ServiceAccount ns/a carries an identity {{name}}.'],
      ['bare', 'No data.'],
    ]);
  });

  it('reports a message id the rule does not declare, or a placeholder without data, as the rule\'s error', () => {
    const wrongId: CodeRule = { meta: { ...reportEvery.meta, id: 'test-wrong-id', messages: { a: 'A' } }, check: (ctx) => ctx.report({ resource: ctx.model.ofType('k8s.ServiceAccount')[0]!, at: '', messageId: 'b' }) };
    const noData: CodeRule = { meta: { ...reportEvery.meta, id: 'test-no-data', messages: { a: 'A {{x}}' } }, check: (ctx) => ctx.report({ resource: ctx.model.ofType('k8s.ServiceAccount')[0]!, at: '', messageId: 'a', data: { y: 1 } }) };
    const out = runRules(new Model(inventory), [wrongId, noData], emptyConfig(), '/repo');
    expect(out.findings).toEqual([]);
    expect(out.notes.map((n) => [n.kind, n.message])).toEqual([
      ['rule-error', expect.stringContaining('messageId b is not one of')],
      ['rule-error', expect.stringContaining('no data for {{x}}')],
    ]);
  });

  it('resolves a pointer to its closest known position', () => {
    const out = runRules(new Model(inventory), [reportEvery], emptyConfig(), '/repo');
    expect(out.findings[0]!.location).toEqual({ file: '/repo/sa.yaml', position: { line: 3, column: 1, endLine: 6, endColumn: 1 } });
  });

  it('applies severity overrides, turns rules off, and suppresses with a reason from the config', () => {
    const config = {
      ...emptyConfig(),
      rules: { 'test-every-sa': 'low' as const },
      ignore: [
        { rule: 'test-every-sa', resource: 'ns/b', reason: 'accepted risk' },
        { rule: 'test-every-sa', resource: 'ns/a', reason: 'expired', expires: '2020-01-01' },
      ],
    };
    const out = runRules(new Model(inventory), [reportEvery], config, '/repo', new Date('2026-11-01'));
    expect(out.findings.map((f) => [f.resource.name, f.severity, f.suppression?.justification])).toEqual([
      ['ns/a', 'low', undefined],
      ['ns/b', 'low', 'accepted risk'],
    ]);
    expect(out.notes).toEqual([{ kind: 'unsupported', level: 'warning', message: 'ignore entry for test-every-sa expired on 2020-01-01: its findings are reported again' }]);
  });

  it('keeps fingerprints when lines move, and changes them when the finding changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-fp-'));
    const doc = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shop\n';
    writeFileSync(join(dir, 'sa.yaml'), doc);
    const before = await scan({ paths: [dir], root: dir });
    writeFileSync(join(dir, 'sa.yaml'), '# moved down\n\n\n' + doc.replace('metadata:\n', 'metadata:\n  labels: { team: shop }\n'));
    const after = await scan({ paths: [dir], root: dir });
    expect(after.findings[0]!.location.position!.line).toBe(before.findings[0]!.location.position!.line + 4);
    expect(after.findings[0]!.fingerprint).toBe(before.findings[0]!.fingerprint);
    writeFileSync(join(dir, 'sa.yaml'), doc.replace('namespace: shop', 'namespace: shop-eu'));
    const moved = await scan({ paths: [dir], root: dir });
    expect(moved.findings[0]!.fingerprint).not.toBe(before.findings[0]!.fingerprint);
  });

  it('honours suppression annotations with a reason and warns about one without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-supp-'));
    const ns = (n: string, reason: string) =>
      `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: ${n}\n  annotations:\n    podtrust.io/ignore.k8s-identity-on-default-sa: "${reason}"\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/${n}\n`;
    writeFileSync(join(dir, 'sa.yaml'), ns('legacy', 'migrating to a dedicated account in PLAT-42') + '---\n' + ns('shop', ''));
    const result = await scan({ paths: [dir], root: dir });
    const byNs = Object.fromEntries(result.findings.map((f) => [f.resource.namespace, f.suppression]));
    expect(byNs.legacy).toEqual({ kind: 'inSource', justification: 'migrating to a dedicated account in PLAT-42' });
    expect(byNs.shop).toBeUndefined();
    expect(result.notes.some((n) => n.level === 'warning' && /no reason/.test(n.message))).toBe(true);
    expect(result.summary.suppressed).toBe(1);
  });
});

describe('configuration errors', () => {
  it('names unknown rule ids and impossible dates with file and line', () => {
    expect(() => parseConfig('rules:\n  aws-trust-sub-missng: off\n', '/repo/.podtrust.yaml')).toThrow('/repo/.podtrust.yaml:2: unknown rule "aws-trust-sub-missng"');
    expect(() => parseConfig('ignore:\n  - rule: aws-trust-sub-missing\n    reason: legacy\n    expires: 2027-02-31\n', '/repo/.podtrust.yaml')).toThrow('/repo/.podtrust.yaml:4: "2027-02-31" is not a date (YYYY-MM-DD)');
  });
});

describe('undecided values', () => {
  it('become one coverage note naming the rule, at the value', async () => {
    const { scan } = await import('../src/scan.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-undecided-'));
    writeFileSync(
      join(dir, 'iam.tf'),
      ['variable "role" {', '  type = string', '}', '', 'resource "google_project_iam_member" "wi" {', '  project = "acme-prod"', '  role    = var.role', '  member  = "serviceAccount:acme-prod.svc.id.goog[apps/web]"', '}', ''].join('\n'),
    );
    const result = await scan({ paths: [dir], root: dir });
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([expect.objectContaining({ kind: 'unresolved', level: 'note', line: 7, message: expect.stringContaining('gcp-wi-binding-project-level did not decide it') })]);
  });
});

describe('expired ignore entries', () => {
  it('report the finding again and say so, at the entry', async () => {
    const { scan } = await import('../src/scan.js');
    const { loadConfig } = await import('../src/engine/config.js');
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-expired-'));
    writeFileSync(join(dir, '.podtrust.yaml'), 'ignore:\n  - rule: k8s-identity-on-default-sa\n    reason: migrating\n    expires: 2026-01-31\n');
    writeFileSync(join(dir, 'sa.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: shop\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/shop\n');
    const result = await scan({ paths: [dir], root: dir, config: loadConfig(dir), now: new Date('2026-11-01T00:00:00Z') });
    expect(result.findings.map((f) => [f.ruleId, f.suppression])).toEqual([['k8s-identity-on-default-sa', undefined]]);
    expect(result.notes).toEqual([{ kind: 'unsupported', level: 'warning', file: join(dir, '.podtrust.yaml'), line: 2, message: 'ignore entry for k8s-identity-on-default-sa expired on 2026-01-31: its findings are reported again' }]);
  });
});
