/** Inventories read as they stream in: the same data whatever the pieces, one resource per line. */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InventoryParser } from '../../src/model/inventory-parse.js';
import { loadInventory, renderInventory } from '../../src/model/snapshot.js';
import type { Inventory, Resource } from '../../src/model/types.js';

function configMap(i: number): Resource {
  return {
    id: `k8s:cm-${i}`,
    type: 'k8s.ConfigMap',
    name: `team-${i % 3}/settings-${i}`,
    file: `k8s/settings-${i}.yaml`,
    format: 'kubernetes',
    body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `settings-${i}`, namespace: `team-${i % 3}` }, data: { note: `ünïcode ✓ ${'x'.repeat(i * 37)}` } },
    positions: { '': { line: 1, column: 1, endLine: 4, endColumn: 1 } },
  } as unknown as Resource;
}

const inventory: Inventory = {
  version: 2,
  resources: Array.from({ length: 40 }, (_, i) => configMap(i)),
  clusters: [{ name: 'prod' }],
  notes: [{ kind: 'skipped', level: 'warning', message: 'a note' }],
  fleet: { shard: { index: 0, count: 2 }, targets: ['k8s:prod', 'k8s:dev'], covered: ['k8s:prod'] },
};

function parseInPieces(text: string, size: number, maxText?: number): unknown {
  const bytes = Buffer.from(text, 'utf8');
  const parser = new InventoryParser('inventory.json', 256, maxText);
  for (let at = 0; at < bytes.length; at += size) parser.push(bytes.subarray(at, at + size));
  return parser.end();
}

describe('reading an inventory piece by piece', () => {
  it('gives the same data whatever the size of the pieces, a multi-byte character or a line cut in two included', () => {
    const text = renderInventory(inventory);
    const expected = JSON.parse(text) as unknown;
    for (const size of [1, 2, 3, 7, 64, 1000, text.length]) expect(parseInPieces(text, size, 100)).toEqual(expected);
    const empty = renderInventory({ version: 1, resources: [], clusters: [], notes: [] });
    for (const size of [1, 5, empty.length]) expect(parseInPieces(empty, size, 10)).toEqual(JSON.parse(empty));
  });

  it('never holds a laid-out inventory as one text, so its size is not bounded by one string', () => {
    // maxText is the longest text parsed whole: far below the file, the laid-out file still loads.
    const file = join(mkdtempSync(join(tmpdir(), 'podtrust-stream-')), 'inventory.json');
    writeFileSync(file, renderInventory(inventory));
    const loaded = loadInventory(file, { maxText: 200 });
    expect(loaded.resources.map((r) => r.id)).toEqual(inventory.resources.map((r) => r.id));
    expect(loaded.fleet).toEqual(inventory.fleet);
  });

  it('reads other JSON layouts whole when they fit in one text, and says why not when they do not', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'podtrust-stream-')), 'pretty.json');
    writeFileSync(file, JSON.stringify(inventory, null, 2));
    expect(loadInventory(file).resources).toHaveLength(40);
    expect(() => loadInventory(file, { maxText: 1000 })).toThrow(/pretty\.json: too large to read as one text \(over 1000 bytes\); inventories this large can be read only as podtrust collect writes them/);
  });

  it('names the line of a resource that is not whole, and an unclosed resources list', () => {
    const lines = renderInventory(inventory).split('\n');
    const cut = [...lines.slice(0, 6), lines[6]!.slice(0, 30), ...lines.slice(7)].join('\n');
    expect(() => parseInPieces(cut, 13)).toThrow('inventory.json:7: not one resource per line as podtrust collect writes it');
    expect(() => parseInPieces(lines.slice(0, 10).join('\n'), 13)).toThrow('inventory.json:10: the resources list is not closed');
  });
});
