/**
 * Every Kustomize fixture rendered natively and by `kubectl kustomize` (Kustomize v5) must give
 * the same objects, for the fields identity reads (and every ServiceAccount whole). Skipped,
 * with a message, where kubectl is not installed.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { collectInventory } from '../../../src/scan.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/kustomize');
const KUBECTL = '/usr/bin/kubectl';
const hasKubectl = existsSync(KUBECTL);
if (!hasKubectl) console.warn(`kustomize differential test skipped: ${KUBECTL} (with Kustomize v5) is not installed`);

type Obj = Record<string, unknown>;

const WORKLOAD_SPEC: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function at(o: unknown, path: string[]): unknown {
  let cur = o;
  for (const k of path) cur = cur && typeof cur === 'object' ? (cur as Obj)[k] : undefined;
  return cur;
}

/** What identity reads of an object: the whole of a ServiceAccount, the identity fields of the rest. */
function identityView(o: Obj): Obj {
  const kind = o.kind as string;
  if (kind === 'ServiceAccount') return JSON.parse(JSON.stringify(o)) as Obj;
  const view: Obj = {
    kind,
    name: at(o, ['metadata', 'name']),
    namespace: at(o, ['metadata', 'namespace']),
    annotations: at(o, ['metadata', 'annotations']),
    labels: at(o, ['metadata', 'labels']),
  };
  const spec = WORKLOAD_SPEC[kind];
  if (spec) {
    view.serviceAccountName = at(o, [...spec, 'serviceAccountName']);
    view.automountServiceAccountToken = at(o, [...spec, 'automountServiceAccountToken']);
    view.templateLabels = at(o, [...spec.slice(0, -1), 'metadata', 'labels']);
    view.templateAnnotations = at(o, [...spec.slice(0, -1), 'metadata', 'annotations']);
    // Containers and their environment, in order: where static credentials would be.
    view.containers = (at(o, [...spec, 'containers']) as Obj[] | undefined)?.map((c) => ({ name: c.name, env: c.env }));
  }
  if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
    view.subjects = o.subjects;
    view.roleRef = o.roleRef;
  }
  return JSON.parse(JSON.stringify(view)) as Obj;
}

const keyOf = (o: Obj): string => `${o.kind as string}/${(at(o, ['metadata', 'namespace']) as string) ?? ''}/${at(o, ['metadata', 'name']) as string}`;


describe.skipIf(!hasKubectl)('Kustomize rendering agrees with kubectl kustomize', () => {
  const cases = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory());
  it.each(cases)('%s', async (name) => {
    const dir = join(FIXTURES, name);
    const inventory = await collectInventory({ paths: [dir], root: dir, workers: 0 });
    const byRoot = new Map<string, Obj[]>();
    for (const r of inventory.resources) {
      if (r.format !== 'kubernetes') continue;
      (byRoot.get(r.file) ?? byRoot.set(r.file, []).get(r.file)!).push(r.body as Obj);
    }
    expect(byRoot.size, `${name}: no root rendered`).toBeGreaterThan(0);
    for (const [rootFile, objects] of byRoot) {
      const folder = dirname(rootFile);
      const text = execFileSync(KUBECTL, ['kustomize', folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      // Generated ConfigMaps and Secrets are not rendered natively (a warning says so).
      const generated = (o: Obj): boolean => (o.kind === 'ConfigMap' || o.kind === 'Secret') && /-[bcdfghkmt2456789]{10}$/.test(String(at(o, ['metadata', 'name'])));
      const expected = parseAllDocuments(text).map((d) => d.toJS() as Obj).filter((o) => o && !generated(o));
      const native = new Map(objects.map((o) => [keyOf(o), identityView(o)]));
      const reference = new Map(expected.map((o) => [keyOf(o), identityView(o)]));
      expect([...native.keys()].sort(), relative(FIXTURES, folder)).toEqual([...reference.keys()].sort());
      for (const [key, view] of reference) expect(native.get(key), `${relative(FIXTURES, folder)} ${key}`).toEqual(view);
    }
  });
});
