import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { internBodyStrings } from '../src/collect/intern-strings.js';
import type { JsonObject, Resource } from '../src/model/types.js';

setFlagsFromString('--allow-natives-syntax');
const isInternalized = new Function('s', 'return %IsInternalizedString(s)') as (s: string) => boolean;
setFlagsFromString('--no-allow-natives-syntax');

function resource(body: unknown): Resource {
  return { id: 'r', type: 'k8s.Pod', name: 'r', file: 'f.yaml', body } as unknown as Resource;
}

describe('internBodyStrings', () => {
  it('keeps every value as it was, long and short strings, index-like and prototype-named ones', () => {
    const text = 'arn:aws:iam::123456789012:role/app arn:aws:iam::aws:policy/AdministratorAccess 4294967294 __proto__';
    const cut = (a: number, b: number): string => text.slice(a, b);
    const body = {
      arn: cut(0, 34),
      short: 'abc',
      list: [cut(35, 79), 'x', 1, true, null, { nested: cut(35, 79) }],
      index: cut(80, 90),
      protoName: cut(91, 100),
      __proto_like: '__proto__ is data here',
      unicode: 'ümlaut-and-more-than-13-chars ✓',
    };
    const expected = structuredClone(body);
    const r = resource(body);
    internBodyStrings([r]);
    expect(r.body).toEqual(expected);
    expect(JSON.stringify(r.body)).toBe(JSON.stringify(expected));
  });

  it('keeps long values that read as numbers, prototype members or broken UTF-16, interned', () => {
    const values = ['9007199254740991', '4294967295000', '0000000000001', '1e+2100000000', '-0.000000000000', '__defineGetter__', 'hasOwnProperty', 'propertyIsEnumerable', '\ud800lone-surrogate\udc00\ud800', '\udfff'.repeat(13)];
    const text = values.join('|');
    const body = values.map((v) => text.slice(text.indexOf(v), text.indexOf(v) + v.length));
    internBodyStrings([resource(body)]);
    expect(body).toEqual(values);
    for (const v of body) expect(isInternalized(v)).toBe(true);
  });

  it('keeps a value whose key is __proto__ in a prototype-free object', () => {
    const o = Object.create(null) as JsonObject;
    Object.defineProperty(o, '__proto__', { value: 'a value longer than thirteen', enumerable: true, writable: true, configurable: true });
    internBodyStrings([resource({ o })]);
    expect(Object.getOwnPropertyDescriptor(o, '__proto__')?.value).toBe('a value longer than thirteen');
    expect(Object.getPrototypeOf(o)).toBeNull();
  });

  it('walks an object shared by two bodies once and ends on a cycle', () => {
    const shared: Record<string, unknown> = { name: 'shared-value-longer-than-13' };
    shared.self = shared;
    const a = resource({ shared });
    const b = resource({ shared, other: ['another-long-string-value'] });
    internBodyStrings([a, b]);
    expect((a.body as { shared: unknown }).shared).toBe(shared);
    expect(shared.name).toBe('shared-value-longer-than-13');
    expect((b.body as { other: string[] }).other).toEqual(['another-long-string-value']);
  });

  it('walks nesting deeper than the call stack allows', () => {
    let deep: unknown = 'the-innermost-long-string';
    for (let i = 0; i < 100_000; i++) deep = i % 2 ? [deep] : { d: deep };
    const r = resource(deep);
    internBodyStrings([r]);
    let v: unknown = r.body;
    for (let i = 0; i < 100_000; i++) v = Array.isArray(v) ? v[0] : (v as { d: unknown }).d;
    expect(v).toBe('the-innermost-long-string');
  });

  it('points a value cut from a file at an internalized copy', () => {
    const text = 'arn:aws:iam::123456789012:role/app '.repeat(3);
    const body = { arn: text.slice(0, 34) };
    expect(isInternalized(body.arn)).toBe(false);
    internBodyStrings([resource(body)]);
    expect(body.arn).toBe('arn:aws:iam::123456789012:role/app');
    expect(isInternalized(body.arn)).toBe(true);
  });

  it('leaves as they are strings that V8 hashes by their length alone: interning n of them compares each with the others', () => {
    const text = 'b'.repeat(40_000);
    const body = { hashed: text.slice(1, 16_384), byLength: text.slice(1, 16_385) };
    internBodyStrings([resource(body)]);
    expect(body.hashed).toHaveLength(16_383);
    expect(isInternalized(body.hashed)).toBe(true);
    expect(body.byLength).toBe(text.slice(1, 16_385));
    expect(isInternalized(body.byLength)).toBe(false);
  });
});
