/** JSON read leniently: the first comment or trailing comma is reported where it is, a broken document is not mistaken for one. */
import { describe, expect, it } from 'vitest';
import { parseJson } from '../../src/util/structured.js';

describe('parseJson on comments and trailing commas', () => {
  it('strict JSON has no lenient place', () => {
    const out = parseJson('{\n  "a": [1, 2],\n  "b": "http://x//y/*z*/"\n}\n');
    expect(out.errors).toEqual([]);
    expect(out.lenient).toBeUndefined();
  });

  it('names the trailing comma itself, not the bracket on a later line', () => {
    const out = parseJson('{\n  "a": [\n    1,\n    2,\n  ],\n  "b": 3\n}\n');
    expect(out.errors).toEqual([]);
    expect(out.documents[0]!.value).toEqual({ a: [1, 2], b: 3 });
    expect(out.lenient).toEqual({ line: 4, column: 6, message: 'a trailing comma' });
  });

  it('names the first of several: a comment before a trailing comma', () => {
    const out = parseJson('{\n  /* about a */\n  "a": 1,\n}\n');
    expect(out.documents[0]!.value).toEqual({ a: 1 });
    expect(out.lenient).toEqual({ line: 2, column: 3, message: 'a comment' });
  });

  it('a document broken otherwise is an error, whatever else it holds', () => {
    const out = parseJson('{\n  // note\n  "a": 1\n  "b": 2\n}\n');
    expect(out.documents).toEqual([]);
    expect(out.lenient).toBeUndefined();
    expect(out.errors).toEqual([expect.objectContaining({ line: 4, message: 'invalid JSON: expected "," between values' })]);
  });
});
