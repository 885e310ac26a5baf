import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { auditInventory, collectInventory, scan } from '../src/scan.js';
import { renderInventory, validateInventory } from '../src/model/snapshot.js';
import type { Inventory } from '../src/model/types.js';
import { REPO } from './helpers/fixtures.js';

const DEMO = join(REPO, 'fixtures', 'demo');

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'podtrust-scan-'));
}

describe('scan()', () => {
  it('audits a saved inventory exactly as the live scan of the same inputs', async () => {
    const inventory = await collectInventory({ paths: [DEMO], root: REPO });
    const saved = renderInventory(inventory);
    const reloaded = JSON.parse(saved) as Inventory;
    expect(validateInventory(reloaded)).toEqual([]);
    const direct = await scan({ paths: [DEMO], root: REPO });
    const fromSnapshot = auditInventory(reloaded, { paths: [], root: REPO });
    expect(fromSnapshot.findings).toEqual(direct.findings);
    expect(direct.findings.length).toBeGreaterThan(3);
  });

  it('is deterministic: the same input gives the same findings in the same order', async () => {
    const a = await scan({ paths: [DEMO], root: REPO });
    const b = await scan({ paths: [DEMO], root: REPO });
    expect(JSON.stringify(b.findings)).toBe(JSON.stringify(a.findings));
  });

  it('turns broken inputs into notes with file and line and keeps scanning', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'ok.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: a\n  annotations:\n    iam.gke.io/gcp-service-account: a@p.iam.gserviceaccount.com\n');
    writeFileSync(join(dir, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n   bad: indentation\n');
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 0; i < 9; i++) bomb.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`);
    writeFileSync(join(dir, 'bomb.yaml'), bomb.join('\n') + '\n');
    writeFileSync(join(dir, 'deep.json'), '['.repeat(5000) + ']'.repeat(5000));
    writeFileSync(join(dir, 'latin1.yaml'), Buffer.from('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\xe9\n', 'latin1'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(dir, join(dir, 'sub', 'loop'));
    // Limits far below the 10^10 values of the bomb and the 5000 levels of deep.json: the scan stops
    // each at the same kind of error as with the defaults, after a small fixed amount of work.
    const result = await scan({ paths: [dir], root: dir, limits: { maxNodes: 10_000, maxDepth: 64 } });
    const byFile = (name: string) => result.notes.filter((n) => n.file === join(dir, name));
    expect(byFile('bad.yaml')[0]).toMatchObject({ level: 'error', line: 4 });
    expect(byFile('bomb.yaml')[0]?.message).toMatch(/alias|values/);
    expect(byFile('deep.json')[0]?.message).toMatch(/nesting/);
    expect(byFile('latin1.yaml')[0]).toMatchObject({ level: 'error', line: 4, message: expect.stringMatching(/UTF-8/) });
    expect(result.summary.partial).toBe(true);
    expect(result.findings.map((f) => f.ruleId)).toEqual(['k8s-identity-on-default-sa']);
  });

  it('never reads Helm templates as manifests (a chart it cannot render is a warning), and files over the size cap are an error', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'chart', 'templates'), { recursive: true });
    writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: demo\nversion: 0.1.0\n');
    writeFileSync(join(dir, 'chart', 'templates', 'sa.yaml'), 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {{ .Values.name }}\n');
    writeFileSync(join(dir, 'big.yaml'), 'a: ' + 'x'.repeat(5000) + '\n');
    const result = await scan({ paths: [dir], root: dir, maxFileBytes: 1000, tools: { enabled: false } });
    expect(result.notes.find((n) => n.file === join(dir, 'chart', 'Chart.yaml'))).toMatchObject({ kind: 'unsupported', level: 'warning', message: expect.stringContaining('Helm chart chart:') });
    expect(result.notes.find((n) => n.file === join(dir, 'big.yaml'))).toMatchObject({ kind: 'limit', level: 'error' });
    expect(result.notes.filter((n) => n.kind === 'parse-error')).toEqual([]);
  });

  it('honours --exclude globs', async () => {
    const result = await scan({ paths: [DEMO], root: REPO, exclude: ['fixtures/demo/terraform/**', 'k3s'] });
    const files = new Set(result.findings.map((f) => f.location.file));
    expect([...files].some((f) => f.includes('/terraform/') || f.includes('/k3s/'))).toBe(false);
    expect(files.size).toBeGreaterThan(0);
  });

  it('names what the rules could not decide in coverage notes, and says why a JSON file is invalid', async () => {
    // Conditions returned by a custom resource podtrust does not know (CDK's CfnJson it reads).
    const cdk = tempDir();
    const template = readFileSync(join(REPO, 'fixtures', 'rules', 'aws-trust-sub-missing', 'pass-qa-cdk-cfnjson-conditions', 'AppStack.template.json'), 'utf8');
    writeFileSync(join(cdk, 'AppStack.template.json'), template.replace('"Custom::AWSCDKCfnJson"', '"Custom::ConditionJson"'));
    const result = await scan({ paths: [cdk], root: cdk });
    expect(result.findings).toEqual([]);
    expect(result.notes).toEqual([expect.objectContaining({ kind: 'unresolved', level: 'note', line: 57, message: expect.stringMatching(/not known statically/) })]);

    const dir = tempDir();
    writeFileSync(join(dir, 'trust.json'), '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Effect": "Allow" }\n  \n}\n');
    const broken = await scan({ paths: [dir, join(dir, 'missing')], root: dir });
    expect(broken.notes.map((n) => [n.file?.replace(dir, ''), n.line, n.message])).toEqual([
      ['/missing', undefined, 'no such file or directory'],
      ['/trust.json', 6, 'invalid JSON: expected "," between values'],
    ]);
  });

  it('does not read a local Terraform module outside the scan root', async () => {
    const outside = tempDir();
    writeFileSync(join(outside, 'main.tf'), 'resource "aws_iam_role" "outside" {\n  name = "outside"\n  assume_role_policy = jsonencode({ Statement = [] })\n}\n');
    const root = tempDir();
    mkdirSync(join(root, 'app'));
    writeFileSync(join(root, 'app', 'main.tf'), `module "x" {\n  source = "${relative(join(root, 'app'), outside)}"\n}\n`);
    const result = await scan({ paths: [root], root });
    expect(result.summary.resources).toBe(0);
    expect(result.notes).toEqual([
      expect.objectContaining({ kind: 'module', level: 'warning', file: join(root, 'app', 'main.tf'), line: 1, message: expect.stringContaining('its folder is outside the scan root') }),
      // The Terraform file was read, but nothing in it is a resource: the scan says so.
      expect.objectContaining({ kind: 'nothing-analysed', level: 'warning', message: 'nothing was analysed: none of the 1 input file(s) holds infrastructure podtrust reads' }),
    ]);
  });

  it('reads typed lists as the API returns them, whose items carry no kind', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'sas.json'), JSON.stringify({ apiVersion: 'v1', kind: 'ServiceAccountList', metadata: { resourceVersion: '1' }, items: [{ metadata: { name: 'default', namespace: 'shop', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/shop' } } }] }, null, 2));
    writeFileSync(join(dir, 'list.yaml'), 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n');
    const result = await scan({ paths: [dir], root: dir });
    expect(result.findings.map((f) => [f.ruleId, f.resource.name])).toEqual([['k8s-identity-on-default-sa', 'shop/default']]);
    expect(result.notes).toEqual([expect.objectContaining({ level: 'warning', line: 4, message: 'list item without a kind: skipped' })]);
    expect(result.summary.partial).toBe(false);
  });
});
