/**
 * Native Kustomize rendering through the real scan: findings at the line that sets the value
 * (a patch, a component, a replacement source), bases and patches never reported on their own,
 * and a note for everything recognised but not rendered or refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { collectInventory, scan } from '../../../src/scan.js';
import { renderKustomizations } from '../../../src/collectors/kustomize/index.js';
import { emptyResult } from '../../../src/collectors/types.js';
import { DEFAULT_LIMITS } from '../../../src/util/structured.js';
import { MAX_DOCUMENTS_PER_ROOT, MAX_KUSTOMIZATION_DEPTH } from '../../../src/collectors/kustomize/build.js';
import { accessKeyId, secretAccessKey } from '../../helpers/credentials.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/kustomize');
const temps: string[] = [];

afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A repository written at test time: path → content. */
function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-kustomize-'));
  temps.push(dir);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function findings(dir: string, root = dir, limits?: { maxNodes: number; maxDepth: number }) {
  const result = await scan({ paths: [dir], root, workers: 0, ...(limits ? { limits } : {}) });
  return {
    result,
    list: result.findings.map((f) => ({ rule: f.ruleId, resource: f.resource.name, file: relative(root, f.location.file), line: f.location.position?.line })),
    notes: result.notes.map((n) => ({ kind: n.kind, level: n.level, file: n.file ? relative(root, n.file) : undefined, line: n.line, message: n.message })),
  };
}

const SA_DEFAULT = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n';

describe('Kustomize overlays are rendered before the rules run', () => {
  it('an overlay patch annotating the default ServiceAccount is found at the patch line', async () => {
    const { list } = await findings(join(FIXTURES, 'base-overlays'));
    expect(list).toEqual([{ rule: 'k8s-identity-on-default-sa', resource: 'shop-prod/default', file: 'overlays/prod/default-sa-irsa.yaml', line: 6 }]);
  });

  it('a component\'s inline JSON patch, a JSON 6902 patch file, a replacement and an inline patch each point at their own line', async () => {
    const at = async (name: string) => (await findings(join(FIXTURES, name))).list;
    expect(await at('components')).toEqual([{ rule: 'k8s-identity-on-default-sa', resource: 'analytics/default', file: 'components/workload-identity/kustomization.yaml', line: 13 }]);
    expect((await at('json6902')).sort((a, b) => a.rule.localeCompare(b.rule))).toEqual([
      { rule: 'azure-wi-pod-label-missing', resource: 'payments/ledger', file: 'deployment.yaml', line: 11 },
      { rule: 'k8s-identity-on-default-sa', resource: 'payments/default', file: 'azure-identity.yaml', line: 4 },
    ]);
    // The value comes from the ConfigMap the replacement reads: that is the line to change.
    expect(await at('replacements')).toEqual([{ rule: 'k8s-identity-on-default-sa', resource: 'billing/default', file: 'identity.yaml', line: 6 }]);
    expect(await at('unsupported')).toEqual([{ rule: 'k8s-identity-on-default-sa', resource: 'tools/default', file: 'kustomization.yaml', line: 17 }]);
  });

  it('a pod template label added by an overlay patch is seen (no missing-label finding), and references follow renamed objects', async () => {
    const dir = join(FIXTURES, 'layered');
    const inventory = await collectInventory({ paths: [dir], root: dir, workers: 0 });
    const names = inventory.resources.map((r) => `${r.file === join(dir, 'prod/kustomization.yaml') ? 'prod' : r.file}:${r.type}:${r.name}`).sort();
    expect(names).toEqual(['prod:k8s.ClusterRoleBinding:ci-runner-view-prod', 'prod:k8s.CronJob:ci/ci-nightly-prod', 'prod:k8s.ServiceAccount:ci/ci-runner-prod']);
    const { list } = await findings(dir);
    expect(list.filter((f) => f.rule === 'azure-wi-pod-label-missing')).toEqual([]);
  });
});

describe('what a root reads through it is not reported on its own', () => {
  it('bases, patches and kustomization files give no resources of their own, and are accounted as Kustomize', async () => {
    const dir = join(FIXTURES, 'base-overlays');
    const inventory = await collectInventory({ paths: [dir], root: dir, workers: 0 });
    const files = new Set(inventory.resources.map((r) => relative(dir, r.file)));
    expect([...files].sort()).toEqual(['overlays/prod/kustomization.yaml', 'overlays/staging/kustomization.yaml']);
    expect(inventory.resources.every((r) => r.type !== 'k8s.ServiceAccount' || r.namespace !== undefined)).toBe(true);
    expect(inventory.resources.filter((r) => r.type === 'k8s.Kustomization')).toEqual([]);
  });

  it('the pass accounts for every file it read and drops their standalone results', () => {
    const dir = repo({
      'base/kustomization.yaml': 'resources:\n  - sa.yaml\n',
      'base/sa.yaml': SA_DEFAULT,
      'app/kustomization.yaml': 'namespace: app\nresources:\n  - ../base\npatches:\n  - path: patch.yaml\n',
      'app/patch.yaml': SA_DEFAULT + '  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n',
    });
    const standalone = { id: 'k8s:base/sa.yaml:ServiceAccount/default', type: 'k8s.ServiceAccount', name: 'default', file: join(dir, 'base/sa.yaml'), format: 'kubernetes' as const, body: {}, positions: {} };
    const collected = emptyResult();
    collected.resources.push(standalone);
    const read = (p: string) => ({ path: join(dir, p), text: readFileSync(join(dir, p), 'utf8') });
    renderKustomizations(collected, ['base/kustomization.yaml', 'base/sa.yaml', 'app/kustomization.yaml', 'app/patch.yaml'].map(read), { root: dir, limits: DEFAULT_LIMITS });
    expect(collected.resources.map((r) => r.id)).toEqual(['k8s:app/kustomization.yaml:ServiceAccount/app/default']);
    expect(collected.accounts?.map((a) => `${relative(dir, a.file)} ${a.format} ${a.state}`).sort()).toEqual([
      'app/kustomization.yaml Kustomize analysed',
      'app/patch.yaml Kustomize analysed',
      'base/kustomization.yaml Kustomize analysed',
      'base/sa.yaml Kustomize analysed',
    ]);
    const annotation = collected.resources[0]!.positions['/metadata/annotations/eks.amazonaws.com~1role-arn'];
    expect([relative(dir, annotation!.file!), annotation!.line]).toEqual(['app/patch.yaml', 6]);
    expect(collected.resources[0]!.positions['/metadata/name']).toMatchObject({ file: join(dir, 'base/sa.yaml'), line: 4 });
    expect(collected.resources[0]!.positions['/metadata/namespace']).toMatchObject({ file: join(dir, 'app/kustomization.yaml'), line: 1 });
  });

  it('a finding keeps the base definition as a related location, and a `podtrust:ignore` comment in the patch or the base suppresses it', async () => {
    const { result } = await findings(join(FIXTURES, 'base-overlays'));
    expect(result.findings[0]!.related.map((r) => [relative(join(FIXTURES, 'base-overlays'), r.file), r.position?.line])).toEqual([['overlays/prod/kustomization.yaml', 1], ['base/serviceaccounts.yaml', 1]]);
    const patch = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  # podtrust:ignore k8s-identity-on-default-sa the namespace runs one workload\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n';
    const viaPatch = repo({ 'base/kustomization.yaml': 'resources:\n  - sa.yaml\n', 'base/sa.yaml': SA_DEFAULT, 'app/kustomization.yaml': 'namespace: app\nresources:\n  - ../base\npatches:\n  - path: patch.yaml\n', 'app/patch.yaml': patch });
    const viaBase = repo({ 'app/kustomization.yaml': 'namespace: app\nresources:\n  - sa.yaml\ncommonAnnotations:\n  iam.gke.io/gcp-service-account: app@proj.iam.gserviceaccount.com\n', 'app/sa.yaml': '# podtrust:ignore k8s-identity-on-default-sa the namespace runs one workload\n' + SA_DEFAULT });
    for (const dir of [viaPatch, viaBase]) {
      const { result: r } = await findings(dir);
      expect(r.findings.map((f) => [f.ruleId, f.suppression?.justification])).toEqual([['k8s-identity-on-default-sa', 'the namespace runs one workload']]);
    }
  });

  it('a `Kustomization` file without an extension is a root too', async () => {
    const dir = repo({ 'app/Kustomization': 'namespace: web\nresources:\n  - sa.yaml\ncommonAnnotations:\n  iam.gke.io/gcp-service-account: web@proj.iam.gserviceaccount.com\n', 'app/sa.yaml': SA_DEFAULT });
    const { list } = await findings(dir);
    expect(list).toEqual([{ rule: 'k8s-identity-on-default-sa', resource: 'web/default', file: 'app/Kustomization', line: 5 }]);
  });
});

describe('secret values', () => {
  it('a credential an overlay patches into a Secret is found, at the patch line, and never kept', async () => {
    const id = accessKeyId();
    const secret = secretAccessKey();
    const dir = repo({
      'base/kustomization.yaml': 'resources:\n  - secret.yaml\n',
      'base/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: uploader\nstringData:\n  region: eu-west-1\n',
      'app/kustomization.yaml': 'namespace: media\nresources:\n  - ../base\npatches:\n  - path: keys.yaml\n',
      'app/keys.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: uploader\nstringData:\n  AWS_ACCESS_KEY_ID: ${id}\n  AWS_SECRET_ACCESS_KEY: ${secret}\n`,
    });
    const { result, list } = await findings(dir);
    expect(list.filter((f) => f.rule === 'k8s-static-cloud-credentials').map((f) => [f.file, f.line])).toEqual([['app/keys.yaml', 6]]);
    const inventory = await collectInventory({ paths: [dir], root: dir, workers: 0 });
    for (const text of [JSON.stringify(inventory), JSON.stringify(result)]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(id.slice(4));
    }
  });
});

describe('worker threads', () => {
  it('the built scan renders the same with files collected in worker threads', async () => {
    const api = (await import(join(import.meta.dirname, '../../../build/bench.js'))) as typeof import('../../../src/bench-entry.js');
    const sequential = await api.scan({ paths: [FIXTURES], root: FIXTURES, workers: 0 });
    const parallel = await api.scan({ paths: [FIXTURES], root: FIXTURES, workers: 2 });
    expect(sequential.findings.length).toBeGreaterThan(5);
    expect(JSON.stringify(parallel.findings)).toBe(JSON.stringify(sequential.findings));
    expect(JSON.stringify(parallel.notes)).toBe(JSON.stringify(sequential.notes));
  });
});

describe('what is not rendered is named', () => {
  it('each unsupported field is a warning naming it and the file; a ConfigMap generator does not stop the rest', async () => {
    const dir = repo({
      'kustomization.yaml': [
        'namespace: tools',
        'resources:',
        '  - sa.yaml',
        '  - https://github.com/example/deploy//base?ref=v1.0.0',
        'secretGenerator:',
        '  - name: creds',
        'helmCharts:',
        '  - name: app',
        'openapi:',
        '  path: schema.json',
        'transformers:',
        '  - plugin.yaml',
        'generators:',
        '  - gen.yaml',
        'configMapGenerator:',
        '  - name: settings',
        'commonAnnotations:',
        '  eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/tools',
        '',
      ].join('\n'),
      'sa.yaml': SA_DEFAULT,
    });
    const { list, notes } = await findings(dir);
    expect(list).toEqual([{ rule: 'k8s-identity-on-default-sa', resource: 'tools/default', file: 'kustomization.yaml', line: 18 }]);
    const unsupported = notes.filter((n) => n.kind === 'unsupported').map((n) => [n.level, n.file, n.line, n.message.split(' is not')[0]!.split(' (URLs')[0]]);
    expect(unsupported).toEqual([
      ['warning', 'kustomization.yaml', 4, 'Kustomize: remote resources'],
      ['warning', 'kustomization.yaml', 5, 'Kustomize: secretGenerator'],
      ['warning', 'kustomization.yaml', 7, 'Kustomize: helmCharts'],
      ['warning', 'kustomization.yaml', 9, 'Kustomize: openapi'],
      ['warning', 'kustomization.yaml', 11, 'Kustomize: transformers'],
      ['warning', 'kustomization.yaml', 13, 'Kustomize: generators'],
      ['warning', 'kustomization.yaml', 15, 'Kustomize: configMapGenerator'],
    ]);
  });

  it('a file outside the kustomization\'s folder and a base outside the scanned root are refused with a note', async () => {
    const dir = repo({
      'outside/kustomization.yaml': 'resources:\n  - sa.yaml\n',
      'outside/sa.yaml': SA_DEFAULT,
      'repo/shared/sa.yaml': SA_DEFAULT,
      'repo/app/kustomization.yaml': 'resources:\n  - ../shared/sa.yaml\n  - ../../outside\n  - missing.yaml\n',
    });
    const root = join(dir, 'repo');
    const { notes, result } = await findings(root, root);
    const refused = notes.filter((n) => n.file === 'app/kustomization.yaml');
    expect(refused.map((n) => [n.level, n.line])).toEqual([['error', 2], ['warning', 3], ['error', 4]]);
    expect(refused[2]!.message).toBe('Kustomize: missing.yaml: no such file or folder');
    expect(refused[0]!.message).toMatch(/\.\.\/shared\/sa\.yaml lies outside the kustomization's folder/);
    expect(refused[1]!.message).toMatch(/outside the scanned folders/);
    expect(result.summary.partial).toBe(true);
  });

  it('cycles and nesting are bounded, each with a note', async () => {
    const cycle = repo({
      'root/kustomization.yaml': 'resources:\n  - ../a\n',
      'a/kustomization.yaml': 'resources:\n  - ../b\n',
      'b/kustomization.yaml': 'resources:\n  - ../a\n  - sa.yaml\n',
      'b/sa.yaml': SA_DEFAULT,
    });
    const c = await findings(cycle);
    expect(c.notes.filter((n) => n.level === 'error').map((n) => [n.file, n.message])).toEqual([['b/kustomization.yaml', 'Kustomize: ../a/kustomization.yaml is part of a cycle of kustomizations; not followed']]);
    const files: Record<string, string> = { 'k0/sa.yaml': SA_DEFAULT, 'k0/kustomization.yaml': 'resources:\n  - sa.yaml\n' };
    for (let i = 1; i <= MAX_KUSTOMIZATION_DEPTH + 5; i++) files[`k${i}/kustomization.yaml`] = `resources:\n  - ../k${i - 1}\n`;
    const deep = await findings(repo(files));
    expect(deep.notes.filter((n) => n.kind === 'limit').map((n) => n.message)).toEqual([expect.stringMatching(new RegExp(`over ${MAX_KUSTOMIZATION_DEPTH} nested kustomizations`))]);
  });

  it('a cycle no root reaches is rendered from its first kustomization and named, not left unread', async () => {
    const dir = repo({
      'a/kustomization.yaml': 'resources:\n  - ../b\n',
      'b/kustomization.yaml': 'resources:\n  - ../a\n  - sa.yaml\n',
      'b/sa.yaml': 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n',
    });
    const c = await findings(dir);
    expect(c.notes.filter((n) => n.level === 'error').map((n) => [n.file, n.message])).toEqual([['b/kustomization.yaml', 'Kustomize: ../a/kustomization.yaml is part of a cycle of kustomizations; not followed']]);
    expect(c.list.map((f) => [f.rule, f.file])).toEqual([['k8s-identity-on-default-sa', 'b/sa.yaml']]);
    const states = Object.fromEntries((c.result.inputs?.entries ?? []).map((e) => [relative(dir, e.file), e.state]));
    expect(states).toMatchObject({ 'a/kustomization.yaml': 'analysed', 'b/sa.yaml': 'analysed' });
    expect(Object.values(states)).not.toContain('not-infrastructure');
  });

  it('a file listed many times is parsed for each listing only up to the build budget, with a note', async () => {
    const perFile = 100;
    const docs = Array.from({ length: perFile }, (_, i) => `---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa${i}\n`).join('');
    const listings = Math.ceil(MAX_DOCUMENTS_PER_ROOT / perFile) + 50;
    const dir = repo({ 'kustomization.yaml': `resources:\n${'  - sa.yaml\n'.repeat(listings)}`, 'sa.yaml': docs });
    const c = await findings(dir);
    expect(c.notes.filter((n) => n.kind === 'limit').map((n) => [n.file, n.message])).toEqual([['kustomization.yaml', `Kustomize: over ${MAX_DOCUMENTS_PER_ROOT} documents parsed in one build (a file used many times counts each time); not rendered further`]]);
  });

  it('a base used twice at every level, and a patch that copies an object into itself, stop at their limits with a note', async () => {
    const files: Record<string, string> = { 'a30/kustomization.yaml': 'resources:\n  - sa.yaml\n', 'a30/sa.yaml': SA_DEFAULT, 'b30/kustomization.yaml': 'resources:\n  - sa.yaml\n', 'b30/sa.yaml': SA_DEFAULT.replace('default', 'other') };
    for (let i = 29; i >= 1; i--) for (const x of ['a', 'b']) files[`${x}${i}/kustomization.yaml`] = `namePrefix: ${x}${i}-\nresources:\n  - ../a${i + 1}\n  - ../b${i + 1}\n`;
    files['root/kustomization.yaml'] = 'resources:\n  - ../a1\n  - ../b1\n';
    const diamond = await findings(repo(files));
    expect(diamond.notes.filter((n) => n.kind === 'limit').map((n) => [n.file, n.message])).toEqual([['root/kustomization.yaml', expect.stringMatching(/over 2000 kustomizations in one build/)]]);
    const ops = Array.from({ length: 40 }, (_, i) => `      - op: copy\n        from: /metadata\n        path: /metadata/copy${i}`).join('\n');
    const copied = repo({ 'kustomization.yaml': `resources:\n  - sa.yaml\npatches:\n  - target:\n      kind: ServiceAccount\n    patch: |-\n${ops}\n`, 'sa.yaml': SA_DEFAULT });
    const copies = await findings(copied, copied, { maxNodes: 100_000, maxDepth: 256 });
    expect(copies.notes.filter((n) => n.kind === 'limit').map((n) => n.message)).toEqual([expect.stringMatching(/more than 100000 values \(--max-document-values\)/)]);
  });

  it('a patch that matches nothing and a selector pattern that could backtrack for ever are warnings', async () => {
    const dir = repo({
      'kustomization.yaml': 'resources:\n  - sa.yaml\npatches:\n  - patch: |-\n      apiVersion: v1\n      kind: ServiceAccount\n      metadata:\n        name: absent\n  - target:\n      name: "(a+)+"\n    patch: "[]"\n',
      'sa.yaml': SA_DEFAULT,
    });
    const { notes } = await findings(dir);
    expect(notes.map((n) => [n.kind, n.level, n.line])).toEqual([['unresolved', 'warning', 4], ['unsupported', 'warning', 9]]);
  });
});
