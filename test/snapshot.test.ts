/** Saved inventories: the same bytes as before for IaC, live positions left out and rebuilt, plain data on load. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectInventory } from '../src/scan.js';
import { loadInventory, renderInventory, writeInventory } from '../src/model/snapshot.js';
import { lazyPositions } from '../src/model/lazy-positions.js';
import { renderYamlWithPositions } from '../src/util/yaml-render.js';
import type { Inventory, JsonValue, Resource } from '../src/model/types.js';
import { REPO } from './helpers/fixtures.js';

function saveAndLoad(inventory: Inventory): { text: string; loaded: Inventory } {
  const file = join(mkdtempSync(join(tmpdir(), 'podtrust-snapshot-')), 'inventory.json');
  const text = renderInventory(inventory);
  writeFileSync(file, text);
  return { text, loaded: loadInventory(file) };
}

function liveServiceAccount(name: string, onRender: () => void): Resource {
  const body = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace: 'team-a', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/app' } } } as unknown as JsonValue;
  return {
    id: `k8s:live:prod:ServiceAccount/team-a/${name}`,
    type: 'k8s.ServiceAccount',
    name: `team-a/${name}`,
    file: `live/prod/team-a/ServiceAccount/${name}.yaml`,
    format: 'live',
    body,
    positions: lazyPositions(() => {
      onRender();
      return renderYamlWithPositions(body).positions;
    }),
  } as Resource;
}

describe('saved inventories', () => {
  it('writes one resource per line, piece by piece, and reads it back whole or line by line', async () => {
    const inventory = await collectInventory({ paths: [join(REPO, 'fixtures', 'demo')], root: REPO });
    expect(inventory.resources.length).toBeGreaterThan(5);
    const pieces: string[] = [];
    writeInventory(inventory, (t) => pieces.push(t));
    const text = pieces.join('');
    expect(pieces.length).toBeGreaterThan(inventory.resources.length);
    // The input ledger describes this scan's files, not the inventory: a snapshot leaves it out.
    expect(inventory.inputs?.entries.length).toBeGreaterThan(5);
    const { inputs: _ledger, ...saved } = inventory;
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(saved)));
    const lines = text.split('\n');
    expect(lines.filter((l) => l.startsWith('    {"id":'))).toHaveLength(inventory.resources.length);
    const file = join(mkdtempSync(join(tmpdir(), 'podtrust-snapshot-')), 'inventory.json');
    writeFileSync(file, text);
    // A file longer than the longest string Node can hold is read line by line: force that path.
    expect(JSON.stringify(loadInventory(file, { maxText: 100 }))).toBe(JSON.stringify(loadInventory(file)));
    expect(JSON.parse(renderInventory({ version: 1, resources: [], clusters: [], notes: [] }))).toEqual({ version: 1, resources: [], clusters: [], notes: [] });
  });

  it('reads a hand-edited inventory with comments and trailing commas, and says which line of a large one is broken', () => {
    const dir = mkdtempSync(join(tmpdir(), 'podtrust-snapshot-'));
    writeFileSync(join(dir, 'edited.json'), '\ufeff{\n  // kept by hand\n  "version": 1,\n  "resources": [],\n  "clusters": [],\n  "notes": [],\n}\n');
    expect(loadInventory(join(dir, 'edited.json')).resources).toEqual([]);
    writeFileSync(join(dir, 'empty.json'), '');
    expect(() => loadInventory(join(dir, 'empty.json'))).toThrow(/empty\.json:1: empty inventory/);
    const good = renderInventory({ version: 1, resources: [liveServiceAccount('a', () => {}), liveServiceAccount('b', () => {})], clusters: [], notes: [] });
    const lines = good.split('\n');
    const broken = lines.map((l, i) => (i === 4 ? l.slice(0, 20) : l)).join('\n');
    writeFileSync(join(dir, 'large.json'), broken);
    expect(() => loadInventory(join(dir, 'large.json'), { maxText: 10 })).toThrow(/large\.json:5: /);
  });

  it('leaves out positions of live objects nothing read, and rebuilds the same ones on load', () => {
    let renders = 0;
    const unread = liveServiceAccount('unread', () => renders++);
    const read = liveServiceAccount('read', () => renders++);
    const readPositions = { ...read.positions };
    expect(renders).toBe(1);
    const { text, loaded } = saveAndLoad({ version: 1, resources: [unread, read], clusters: [], notes: [] });
    expect(renders).toBe(1);
    const saved = JSON.parse(text) as Inventory;
    expect(saved.resources[0]!.positions).toEqual({});
    expect(saved.resources[1]!.positions).toEqual(readPositions);
    const rebuilt = loaded.resources[0]!.positions;
    expect(rebuilt['/metadata/annotations/eks.amazonaws.com~1role-arn']).toEqual(renderYamlWithPositions(unread.body).positions['/metadata/annotations/eks.amazonaws.com~1role-arn']);
    expect(rebuilt['/metadata/annotations/eks.amazonaws.com~1role-arn']?.line).toBeGreaterThan(1);
  });

  it('loads objects without a prototype, so keys such as constructor are only data', () => {
    const r = { id: 'tf:a:x', type: 'k8s.ConfigMap', name: 'x', file: 'a.yaml', format: 'kubernetes', body: { data: { constructor: 'c', toString: 't' } }, positions: { '': { line: 1, column: 1, endLine: 1, endColumn: 2 } } } as unknown as Resource;
    const { loaded } = saveAndLoad({ version: 1, resources: [r], clusters: [], notes: [] });
    const data = (loaded.resources[0]!.body as Record<string, Record<string, unknown>>)['data']!;
    expect(Object.getPrototypeOf(data)).toBeNull();
    expect(data['constructor']).toBe('c');
    expect(data['hasOwnProperty']).toBeUndefined();
  });

  it('names the line of broken JSON', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'podtrust-snapshot-')), 'broken.json');
    writeFileSync(file, '{\n  "version": 1,\n  "resources": [\n    {,\n  ]\n}\n');
    expect(() => loadInventory(file)).toThrow(/broken\.json:4: /);
  });
});
