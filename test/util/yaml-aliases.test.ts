/**
 * Aliases name the last anchor of that name before them, in document order, as the YAML
 * library resolves them; podtrust finds every alias's anchor in one pass over the document.
 */
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseYamlReference } from '../../src/util/structured.js';

function viaLibrary(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => d.toJS({ maxAliasCount: -1 }));
}

function viaPodtrust(text: string): unknown[] {
  const out = parseYamlReference(text);
  expect(out.errors).toEqual([]);
  return out.documents.map((d) => JSON.parse(JSON.stringify(d.value)));
}

describe('YAML aliases', () => {
  it('take the last anchor before them, anchors redefined later, in keys, nested and across documents', () => {
    const text = [
      'a: &x one',
      'b: *x',
      'c: &x two',
      'd: *x',
      'e: &m {k: &x three, l: *x}',
      'f: *x',
      'g: *m',
      '&x h: four',
      'i: *x',
      'j: [&y five, *y, {z: *y}]',
      '---',
      'a: &x other',
      'b: *x',
      '',
    ].join('\n');
    const ours = viaPodtrust(text);
    expect(ours).toEqual(viaLibrary(text));
    expect(ours[0]).toMatchObject({ b: 'one', d: 'two', f: 'three', g: { k: 'three', l: 'three' }, i: 'h', j: ['five', 'five', { z: 'five' }] });
    expect(ours[1]).toEqual({ a: 'other', b: 'other' });
  });

  it('resolves a long list of aliases, each to its own anchor', () => {
    const lines = ['items:'];
    for (let i = 0; i < 20_000; i++) lines.push(i % 100 === 0 ? `  - &a v${i}` : '  - *a');
    const [doc] = viaPodtrust(lines.join('\n') + '\n') as { items: string[] }[];
    expect(doc!.items).toHaveLength(20_000);
    expect(doc!.items[20_000 - 1]).toBe('v19900');
    expect(doc!.items[150]).toBe('v100');
  });

  it('an alias of an anchor not yet defined, or of its own enclosing node, is an error', () => {
    expect(parseYamlReference('a: *nope\nb: &nope 1\n').errors[0]?.message).toMatch(/alias|nope/i);
    expect(parseYamlReference('a: &r [1, *r]\n').errors[0]?.message).toMatch(/recursive alias \*r/);
  });

  it('only a plain << merges: a quoted "<<" is a key like any other, as the library reads it', () => {
    for (const text of ['"<<": {}\n', "'<<': {k: 1}\nb: 2\n"]) {
      expect(parseYamlReference(text).documents.map((d) => d.value)).toEqual(viaLibrary(text));
    }
    // Beside a plain << that merges, the quoted one stays a key.
    expect(parseYamlReference('a: &a {k: 1}\nb:\n  <<: *a\n  "<<": x\n').documents[0]!.value).toEqual({ a: { k: 1 }, b: { '<<': 'x', k: 1 } });
  });
});
