import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FUNCTIONS } from '../../../src/collectors/terraform/functions.js';
import { EvaluationError } from '../../../src/collectors/terraform/evaluation-error.js';
import { type Value, containsUnknownValue, encodedValue, mkUnknown, newObject, parseJsonValue, toJson } from '../../../src/collectors/terraform/values.js';

const call = (name: string, ...args: Parameters<(typeof FUNCTIONS)[string]>[0]) => FUNCTIONS[name]!(args, `${name}(...)`);

describe('Terraform functions where Terraform refuses the call', () => {
  it('refuses a negative element index and min/max of nothing (Terraform errors; the value is then unknown)', () => {
    expect(() => call('element', ['a', 'b'], -1)).toThrow(EvaluationError);
    expect(call('element', ['a', 'b'], 3)).toBe('b');
    expect(() => call('min')).toThrow(EvaluationError);
    expect(() => call('max')).toThrow(EvaluationError);
  });

  it('orders sets as Terraform lists them', () => {
    expect(call('toset', ['b', 'a', 'b'])).toEqual(['a', 'b']);
    expect(call('toset', [10, 9])).toEqual([9, 10]);
    expect(call('toset', ['b', 1])).toEqual(['1', 'b']);
  });
});

describe('Terraform functions over unresolved values', () => {
  it('coalesce keeps an unresolved argument, and the resource it names, when only nulls follow it', () => {
    const arn = mkUnknown('aws_iam_role.target.arn', { ref: { id: 'tf:.:aws_iam_role.target', attribute: 'arn' } });
    expect(call('coalesce', null, arn, null)).toBe(arn);
    const either = call('coalesce', arn, 'arn:aws:iam::111122223333:role/fallback');
    expect(either).toMatchObject({ $unknown: 'coalesce(...)' });
    expect(either).not.toHaveProperty('ref');
  });

  it('flatten keeps an encoded document as one element, and opens nothing it cannot see into', () => {
    const doc = mkUnknown('data.aws_iam_policy_document.x.json');
    encodedValue.set(doc, { Statement: [] });
    expect(call('flatten', [[doc], []])).toEqual([doc]);
    expect(call('flatten', [mkUnknown('var.list')])).toMatchObject({ $unknown: 'flatten(...)' });
  });
});

describe('JSON values read from strings (jsondecode, policy documents)', () => {
  it('keeps __proto__ and constructor as data in prototype-free objects, in the text’s order', () => {
    const v = parseJsonValue('{"b":[{"__proto__":{"x":1}}],"constructor":"c","a":null}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).toBeNull();
    expect(Object.keys(v)).toEqual(['b', 'constructor', 'a']);
    const inner = (v.b as Record<string, unknown>[])[0]!;
    expect(Object.getPrototypeOf(inner)).toBeNull();
    expect(Object.keys(inner)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(inner['__proto__'])).toBeNull();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(parseJsonValue('{"a":')).toBeUndefined();
  });

  it('finds an unknown value at any depth, inside lists and objects alike', () => {
    expect(containsUnknownValue({ a: [1, { b: 'x' }], c: null })).toBe(false);
    expect(containsUnknownValue({ a: [1, { b: mkUnknown('var.x') }] })).toBe(true);
    expect(containsUnknownValue([[mkUnknown('var.y')]])).toBe(true);
    expect(containsUnknownValue(mkUnknown('var.z'))).toBe(true);
    expect(containsUnknownValue('${var.x}')).toBe(false);
  });
});

describe('jsonencode', () => {
  /** The encoding as a sorted copy given to JSON.stringify: what the encoder wrote before it wrote directly. */
  function viaSortedCopy(v: Value): string {
    const sorted = (x: Value): unknown => {
      if (Array.isArray(x)) return x.map(sorted);
      if (x !== null && typeof x === 'object' && !('$unknown' in x)) {
        const out = Object.create(null) as Record<string, unknown>;
        for (const k of Object.keys(x).sort()) out[k] = sorted(x[k]!);
        return out;
      }
      return x;
    };
    return JSON.stringify(sorted(v));
  }

  it('sorts keys, array-index keys first in numeric order, keeps __proto__ as a key, and escapes as JSON.stringify does', () => {
    const v = Object.assign(newObject(), { b: [1, 'x"y', null, true], a: { '10': 1, '9': 2, z: 3, '01': 4, '\u2028': 5 }, ['__proto__']: 'p' });
    expect(toJson(v)).toBe('{"__proto__":"p","a":{"9":2,"10":1,"01":4,"z":3,"\u2028":5},"b":[1,"x\\"y",null,true]}');
    expect(toJson(v)).toBe(viaSortedCopy(v));
  });

  it('writes any value as the sorted copy did', () => {
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('0', '1', '2', '10', '4294967294', '4294967295', '-1', '007'));
    const value = fc.letrec<{ v: Value }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.oneof(fc.string({ maxLength: 6 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)),
        fc.array(tie('v'), { maxLength: 4 }),
        fc.dictionary(key, tie('v'), { maxKeys: 5 }).map((d) => Object.assign(newObject(), d) as Value),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        expect(toJson(v)).toBe(viaSortedCopy(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts objects of many keys, on either side of where it stops sorting in place, as the sorted copy did', () => {
    const key = fc.oneof(fc.string({ maxLength: 3, unit: 'binary' }), fc.nat(40).map(String));
    fc.assert(
      fc.property(fc.dictionary(key, fc.integer(), { minKeys: 10, maxKeys: 30 }), (d) => {
        const v = Object.assign(newObject(), d) as Value;
        expect(toJson(v)).toBe(viaSortedCopy(v));
      }),
      { numRuns: 500 },
    );
  });
});
