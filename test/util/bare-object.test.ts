import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { bareObject } from '../../src/util/bare-object.js';
import { parseJson } from '../../src/util/structured.js';
import { parseYaml } from '../../src/util/yaml.js';
import { newObject } from '../../src/collectors/terraform/values.js';

// V8's own answer to whether an object is in fast (shape-sharing) mode, not a memory measurement.
setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
setFlagsFromString('--no-allow-natives-syntax');

describe('bareObject', () => {
  it('has no prototype: inherited names and __proto__ are ordinary keys', () => {
    const o = bareObject<unknown>();
    expect(Object.getPrototypeOf(o)).toBeNull();
    expect(o.constructor).toBeUndefined();
    expect('toString' in o).toBe(false);
    o.__proto__ = { polluted: true };
    expect(Object.getPrototypeOf(o)).toBeNull();
    expect(Object.keys(o)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('stays in fast mode as keys are added, where Object.create(null) does not', () => {
    const o = bareObject<string>();
    for (const k of ['Effect', 'Action', 'Resource', 'Sid']) o[k] = 'x';
    expect(hasFastProperties(o)).toBe(true);
    const dictionary = Object.create(null) as Record<string, string>;
    for (const k of ['Effect', 'Action', 'Resource', 'Sid']) dictionary[k] = 'x';
    expect(hasFastProperties(dictionary)).toBe(false);
  });
});

describe('parsed documents hold bare objects in fast mode', () => {
  it('JSON', () => {
    const value = parseJson('{"Statement": [{"Effect": "Allow", "__proto__": {"a": 1}, "constructor": 2}]}').documents[0]!.value as Record<string, Array<Record<string, unknown>>>;
    const statement = value.Statement![0]!;
    expect(Object.getPrototypeOf(statement)).toBeNull();
    expect(Object.keys(statement)).toEqual(['Effect', '__proto__', 'constructor']);
    expect(hasFastProperties(value)).toBe(true);
    expect(hasFastProperties(statement)).toBe(true);
  });

  it('YAML', () => {
    const value = parseYaml('kind: ServiceAccount\nmetadata:\n  name: a\n  __proto__: b\n').documents[0]!.value as Record<string, Record<string, unknown>>;
    expect(Object.getPrototypeOf(value.metadata)).toBeNull();
    expect(Object.entries(value.metadata!)).toEqual([['name', 'a'], ['__proto__', 'b']]);
    expect(hasFastProperties(value)).toBe(true);
    expect(hasFastProperties(value.metadata!)).toBe(true);
  });

  it('Terraform values', () => {
    const o = newObject();
    for (const k of ['name', 'role', 'policy_arn']) o[k] = k;
    expect(Object.getPrototypeOf(o)).toBeNull();
    expect(hasFastProperties(o)).toBe(true);
  });
});
