/**
 * The depth checks that run before anything recurses must never see less nesting than the parser
 * after them will enter: each is checked against what the parser really builds, on texts made to
 * confuse it (brackets in strings and comments, strings cut by line breaks, mismatched closers).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { visit } from 'jsonc-parser';
import { loadAll, Kind, type YAMLNode } from '@stoplight/yaml-ast-parser';
import { Parser, type CST } from 'yaml';
import { jsonNestingOverflow, parseJsonWithin, NestingTooDeep, valueNestingOverflow } from '../../src/util/nesting.js';
import { cstNestingOverflow, yamlNestingBound, yamlNestingCeiling } from '../../src/util/yaml-nesting.js';
import { parseJson, lineStarts, DEFAULT_LIMITS } from '../../src/util/structured.js';
import { parseYaml } from '../../src/util/yaml.js';
import { parseYamlFast } from '../../src/util/yaml-fast.js';
import type { JsonValue } from '../../src/model/types.js';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261207) });

/** The deepest level jsonc-parser's parser enters on `text` (it goes on after errors). */
function jsoncDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  const enter = (): void => {
    deepest = Math.max(deepest, ++depth);
  };
  const leave = (): void => {
    depth--;
  };
  visit(text, { onObjectBegin: enter, onArrayBegin: enter, onObjectEnd: leave, onArrayEnd: leave }, { allowTrailingComma: true, disallowComments: false });
  return deepest;
}

const jsonish = fc.array(fc.constantFrom('[', ']', '{', '}', '"', '\\', '\n', '\r', '/', '*', '//', '/*', '*/', ',', ':', 'a', '1', ' ', '"x":'), { maxLength: 60 }).map((parts) => parts.join(''));

describe('the JSON bracket scan', () => {
  it('skips strings, escapes and both kinds of comment', () => {
    expect(jsonNestingOverflow('["[[[[", "\\"[[[["]', 0)).toBe(-1);
    expect(jsonNestingOverflow('[// [[[[\n 1]', 0)).toBe(-1);
    expect(jsonNestingOverflow('[/* [[[[ */ 1]', 0)).toBe(-1);
    expect(jsonNestingOverflow('[[1]]', 0)).toBe(1);
  });

  it('ends a string and a line comment at a line break, as the parser does', () => {
    // Read as strings or comments to the end, these would hide the brackets the parser enters.
    expect(jsonNestingOverflow('["abc\n[[[1]]]]', 2)).toBe(8);
    expect(jsonNestingOverflow('[// c\r[[[1]]]]', 2)).toBe(8);
  });

  it('closes a level only with its own bracket: the parser skips a stray one', () => {
    const stray = '[},'.repeat(100_000);
    expect(jsonNestingOverflow(stray, 256)).toBeGreaterThan(0);
    const parsed = parseJson(stray);
    expect(parsed.errors).toEqual([{ line: 1, column: 3 * 257 + 1, message: 'nesting deeper than 256 levels; raise the limit with --max-depth', limit: true }]);
  });

  it('never counts fewer levels than the parser enters', () => {
    fc.assert(
      fc.property(jsonish, fc.integer({ min: 0, max: 6 }), (text, limit) => {
        if (jsonNestingOverflow(text, limit) < 0) expect(jsoncDepth(text)).toBeLessThanOrEqual(limit + 1);
      }),
      { numRuns: 20_000 },
    );
  });

  it('JSON.parse behind it: a depth error with the offset, or JSON.parse’s own', () => {
    expect(parseJsonWithin('{"a": [1]}', 5)).toEqual({ a: [1] });
    const error = (() => {
      try {
        parseJsonWithin('[[[[1]]]]', 2);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(NestingTooDeep);
    expect((error as NestingTooDeep).at).toEqual({ offset: 3 });
    expect(() => parseJsonWithin('[1,', 5)).toThrow(SyntaxError);
  });
});

/** Nested collections on the deepest path of the fast path's parse tree (keys included). */
function stoplightDepth(node: YAMLNode | null | undefined): number {
  if (!node) return 0;
  switch (node.kind) {
    case Kind.MAP:
      return 1 + Math.max(0, ...((node as unknown as { mappings?: (YAMLNode | null)[] }).mappings ?? []).map((m) => stoplightDepth(m)));
    case Kind.SEQ:
      return 1 + Math.max(0, ...((node as unknown as { items: YAMLNode[] }).items ?? []).map(stoplightDepth));
    case Kind.MAPPING:
      return Math.max(stoplightDepth(node.key as YAMLNode), stoplightDepth(node.value));
    default:
      return 0;
  }
}

const yamlish = fc.array(fc.constantFrom('[', ']', '{', '}', '- ', '-', '? ', ': ', ':', 'a', 'k: ', '"', "'", '# ', '#', ' ', '  ', '\n', ',', '!t ', '&x ', '*x', '| ', '> ', '\\'), { maxLength: 60 }).map((parts) => parts.join(''));

describe('the YAML bound of the fast path', () => {
  it('is never below the nesting the fast path’s parser builds', () => {
    let parsed = 0;
    fc.assert(
      fc.property(yamlish, (text) => {
        const docs: YAMLNode[] = [];
        try {
          loadAll(text, (d) => docs.push(d), { ignoreDuplicateKeys: true });
        } catch {
          return;
        }
        parsed++;
        const depth = Math.max(0, ...docs.map(stoplightDepth));
        expect(depth).toBeLessThanOrEqual(yamlNestingBound(text, 0, text.length));
        expect(yamlNestingBound(text, 0, text.length)).toBeLessThanOrEqual(yamlNestingCeiling(text, lineStarts(text)));
      }),
      { numRuns: 20_000 },
    );
    expect(parsed).toBeGreaterThan(10_000);
  });

  it('sends deep documents to the other path, whatever their style', () => {
    const deepBlock = Array.from({ length: 600 }, (_, i) => ' '.repeat(i) + 'k:\n').join('') + ' '.repeat(600) + 'k: 1\n';
    for (const text of ['a: 1\n---\n' + deepBlock, 'a: ' + '['.repeat(2000) + ']'.repeat(2000) + '\n', '- '.repeat(2000) + 'x\n', 'a: "q" ' + '{b: '.repeat(1500) + '1' + '}'.repeat(1500) + '\n']) {
      expect(parseYamlFast(text)).toBeUndefined();
      expect(parseYaml(text).errors).toEqual([expect.objectContaining({ message: 'nesting deeper than 256 levels; raise the limit with --max-depth', limit: true })]);
    }
  });
});

/** The depth of the deepest node of a syntax tree, keys included (the root is at 0), as the composer builds it. */
function deepestNode(token: CST.Token | null | undefined, depth = 0): number {
  if (!token) return -1;
  if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') return depth;
  const items = token.items as CST.CollectionItem[];
  return Math.max(depth, ...items.map((it) => Math.max(deepestNode(it.key, depth + 1), deepestNode(it.value, depth + 1))));
}

describe('the YAML syntax-tree check', () => {
  it('finds exactly the documents with a node deeper than the limit', () => {
    fc.assert(
      fc.property(yamlish, fc.integer({ min: 0, max: 5 }), (text, limit) => {
        for (const token of new Parser().parse(text)) {
          if (token.type !== 'document') continue;
          expect(cstNestingOverflow(token, limit) >= 0).toBe(deepestNode(token.value) > limit);
        }
      }),
      { numRuns: 5_000 },
    );
  });
});

describe('the measure of a value built by evaluation', () => {
  it('points at the first value past the limit without recursing', () => {
    let deep: JsonValue = 'leaf';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(valueNestingOverflow(deep, DEFAULT_LIMITS.maxDepth)).toBe('/0'.repeat(DEFAULT_LIMITS.maxDepth + 1));
    expect(valueNestingOverflow({ a: [{ b: 1 }], 'c/d': { e: [] } }, 3)).toBeUndefined();
    expect(valueNestingOverflow({ a: [{ b: 1 }], 'c/d': { e: [[1]] } }, 3)).toBe('/c~1d/e/0/0');
    // At the limit: an empty collection is within it, a member of one is past it.
    expect(valueNestingOverflow({ a: { b: { c: {} } }, d: [[[]]] }, 3)).toBeUndefined();
    expect(valueNestingOverflow({ a: { b: { c: { 'x~y': null } } } }, 3)).toBe('/a/b/c/x~0y');
    expect(valueNestingOverflow([1, [2, [3, ['deep']]]], 3)).toBe('/1/1/1/0');
    expect(valueNestingOverflow('scalar', 0)).toBeUndefined();
    expect(valueNestingOverflow([1], 0)).toBe('/0');
  });
});
