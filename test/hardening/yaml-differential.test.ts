/**
 * The YAML fast path against the `yaml`-library path, on realistic files and on the same files
 * broken on purpose: for every input the fast path either gives exactly the reference answer
 * (documents, values, positions, errors) or hands the input over (returns undefined).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseYamlReference, type YamlOptions } from '../../src/util/structured.js';
import { parseYaml } from '../../src/util/yaml.js';
import { parseYamlFast } from '../../src/util/yaml-fast.js';
// @ts-expect-error the benchmark's generator is plain JavaScript
import { yamlCorpus } from '../../bench/generate-yaml.mjs';

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261122) });
const RUNS = Number(process.env.FC_RUNS ?? 3000);

/**
 * Realistic documents: each shape of document of the benchmark corpus once (one document at a
 * time, small enough for fast-check to shrink a failure quickly), a multi-document stream, and
 * small hand-written ones.
 */
const DOCUMENTS = (yamlCorpus(250, 7) as { text: string }[]).flatMap((f) => f.text.split(/^---\n/m)).filter((d) => d.trim() !== '' && d.length < 2500);
/** A document's shape: its lines' indentation and keys, nothing of the values. */
const shapeOf = (doc: string): string => doc.replace(/^( *(?:- )?)(?:([\w./-]+):.*|.*)$/gm, (_, indent: string, key?: string) => indent + (key ?? '*'));
const SHAPES = [...new Map(DOCUMENTS.map((d) => [shapeOf(d), d])).values()];
const SEEDS: string[] = [
  ...SHAPES,
  `---\n${SHAPES.slice(0, 3).join('---\n')}`,
  'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n',
  'Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      RoleName: !Sub "${AWS::StackName}-r"\n      Path: !Ref Path\n      Tags: [!GetAtt A.B, {Key: k, Value: !Join ["-", [a, b]]}]\n',
  '- a\n- b: 1\n  c: [1, 2]\n-\n- "q"\n',
  'a: |\n  one\n  two\nb: >-\n  folded\n  text\nc: end\n',
];

/** One way of breaking (or legally complicating) a text; `at` picks the place. */
type Mutation = (text: string, at: number, pick: number) => string;

function lineAt(text: string, at: number): { start: number; end: number } {
  const lines = text.split('\n');
  let start = 0;
  const n = at % Math.max(1, lines.length);
  for (let i = 0; i < n; i++) start += lines[i]!.length + 1;
  return { start, end: start + lines[n]!.length };
}

const insertAt = (text: string, at: number, what: string): string => {
  const i = at % (text.length + 1);
  return text.slice(0, i) + what + text.slice(i);
};
const atLineStart = (text: string, at: number, what: string): string => {
  const { start } = lineAt(text, at);
  return text.slice(0, start) + what + text.slice(start);
};
const afterColon = (text: string, at: number, what: string): string => {
  const { start, end } = lineAt(text, at);
  const colon = text.indexOf(': ', start);
  return colon < 0 || colon > end ? insertAt(text, at, what) : text.slice(0, colon + 2) + what + text.slice(colon + 2);
};

const TAGS = ['!Ref ', '!Sub ', '!GetAtt ', '!!str ', '!!int ', '!Custom ', '!<tag:example.com,2024:x> ', '! ', '!!binary '];
const MUTATIONS: Record<string, Mutation> = {
  'cut a line': (t, at) => {
    const { start, end } = lineAt(t, at);
    return t.slice(0, start) + t.slice(Math.min(t.length, end + 1));
  },
  'cut the text short': (t, at) => t.slice(0, at % (t.length + 1)),
  'indent a line more': (t, at, p) => atLineStart(t, at, ' '.repeat(1 + (p % 3))),
  'indent a line less': (t, at) => {
    const { start } = lineAt(t, at);
    return t.charCodeAt(start) === 0x20 ? t.slice(0, start) + t.slice(start + 1) : t;
  },
  'duplicate a line': (t, at) => {
    const { start, end } = lineAt(t, at);
    return t.slice(0, end) + '\n' + t.slice(start, end) + t.slice(end);
  },
  'a tab': (t, at, p) => (p % 2 === 0 ? atLineStart(t, at, '\t') : afterColon(t, at, '\t')),
  'an unclosed quote': (t, at, p) => afterColon(t, at, p % 2 === 0 ? '"' : "'"),
  'a quote inside a value': (t, at, p) => insertAt(t, at, p % 2 === 0 ? '"' : "'"),
  'an unclosed flow collection': (t, at, p) => afterColon(t, at, p % 2 === 0 ? '[' : '{'),
  'a stray flow indicator': (t, at, p) => insertAt(t, at, ['[', ']', '{', '}', ',', ': ', '? ', '- '][p % 8]!),
  'an anchor': (t, at, p) => afterColon(t, at, `&a${p % 2} `),
  'an alias': (t, at, p) => afterColon(t, at, `*a${p % 2}`),
  'a merge key': (t, at, p) => atLineStart(t, at, `<<: ${p % 2 === 0 ? '*a0' : '{m: 1}'}\n`),
  'a tag': (t, at, p) => afterColon(t, at, TAGS[p % TAGS.length]!),
  'a document marker': (t, at, p) => atLineStart(t, at, ['---\n', '...\n', '--- \n', '--- x: 1\n', '---# c\n'][p % 5]!),
  'a directive': (t, at, p) => atLineStart(t, at, p % 2 === 0 ? '%YAML 1.2\n---\n' : '%TAG !e! tag:example.com,2024:\n---\n'),
  'a byte order mark': (t, at, p) => (p % 2 === 0 ? '\uFEFF' + t : insertAt(t, at, '\uFEFF')),
  'CRLF line ends': (t, at, p) => (p % 2 === 0 ? t.replace(/\n/g, '\r\n') : insertAt(t, at, '\r')),
  'a comment': (t, at, p) => (p % 2 === 0 ? atLineStart(t, at, '# note\n') : insertAt(t, at, ' # note')),
  'a block scalar header': (t, at, p) => afterColon(t, at, ['|', '>', '|-', '>+', '|2', '| #c'][p % 6]! + '\n'),
  'an explicit key': (t, at) => atLineStart(t, at, '? k\n: v\n'),
  'a character outside ASCII': (t, at, p) => insertAt(t, at, ['\u0085', '\u2028', '\u00a0', 'é', '\u0000', '\u001b'][p % 6]!),
  'an escape': (t, at, p) => afterColon(t, at, ['"\\x41"', '"\\u00e9 \\t"', '"\\U0001F600"', '"\\UFFFFFFFF"', '"\\u12"', '"\\x', '"\\q"', '"a\\\n  b"', '\\u12'][p % 9]!),
};
const mutation = fc.tuple(fc.constantFrom(...Object.keys(MUTATIONS)), fc.nat(), fc.nat());

/** Generated values in the styles `yaml.stringify` writes: block, flow and mixed. */
const value = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small' },
    fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('true', '0x1F', '1e3', 'a: b', '- x', '#c', '${X}', 'multi\nline')),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.constantFrom('a', 'name', 'kind', '1', 'on', 'x y'), fc.string({ maxLength: 6 })), tie('node'), { maxKeys: 4 }),
  ),
})).node;
const rendered = fc.tuple(value, fc.constantFrom<'block' | 'flow' | 'any'>('block', 'flow', 'any'), fc.integer({ min: 1, max: 4 })).map(([v, collectionStyle, indent]) => stringify(v, { collectionStyle, indent }));

const base = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SEEDS) }, { weight: 1, arbitrary: rendered });
const broken = fc.tuple(base, fc.array(mutation, { minLength: 1, maxLength: 3 })).map(([text, ms]) => ms.reduce((t, [name, at, pick]) => MUTATIONS[name]!(t, at, pick), text));

const OPTIONS: YamlOptions[] = [{ intrinsicTags: true }, {}];

/** The fast path's answer must be the reference answer, or none. Returns whether it answered. */
function agrees(text: string, options: YamlOptions): boolean {
  const fast = parseYamlFast(text, options);
  if (fast === undefined) return false;
  expect(fast, JSON.stringify(text)).toStrictEqual(parseYamlReference(text, options));
  return true;
}

/** Inputs on which the two paths once differed (values, positions, or the other parser never returning). */
const FOUND = [
  '- - # note\n- []\n- {}\n',
  '---# c\n- {}\n',
  'a:\n  b:\n    c: # x\n\n  d: 1\n',
  'a:\n  - c: # x\n  - d\n',
  'a:\n  b:\n    c: # x\n\n\n',
  'a:\n  b: &a',
  'a: "\\uZZZZ"\n',
  '"\\x>',
  'a: "\\u12"\n',
  'a:\n  b:\n?',
  'x: [: "-", a]\n',
  'a: "\\UFFFFFFFF"\n',
  'a: "\\U00110000"\n',
  'a: [get]? \n',
];

describe('YAML fast path against the reference path', () => {
  it('inputs that once differed agree', () => {
    for (const text of FOUND) {
      for (const options of OPTIONS) agrees(text, options);
      expect(parseYaml(text)).toStrictEqual(parseYamlReference(text));
    }
  });

  it('hands over a hex escape without its digits, which the other parser never returns from', () => {
    for (const text of ['a: "\\uZZZZ"\n', '"\\x>', 'a: "\\u12"\n', 'k: "\\U0001F6"\n']) expect(parseYamlFast(text), text).toBeUndefined();
    expect(parseYaml('a: "\\uZZZZ"\n').errors).toHaveLength(1);
  });

  it('the realistic seeds take the fast path (anchored files excepted) and agree', () => {
    const taken = SEEDS.filter((t) => agrees(t, { intrinsicTags: true }));
    expect(taken.length).toBeGreaterThanOrEqual(SEEDS.length - 1);
  });

  it('on valid documents', () => {
    let taken = 0;
    fc.assert(
      fc.property(base, (text) => {
        for (const options of OPTIONS) if (agrees(text, options)) taken++;
      }),
      { numRuns: RUNS },
    );
    expect(taken).toBeGreaterThan(RUNS / 2);
  });

  it('on documents broken or complicated on purpose', () => {
    let taken = 0;
    let rejected = 0;
    fc.assert(
      fc.property(broken, (text) => {
        for (const options of OPTIONS) if (agrees(text, options)) taken++;
        if (parseYaml(text).errors.length > 0) rejected++;
      }),
      { numRuns: RUNS },
    );
    // Both branches are exercised: many mutants still take the fast path, many are errors.
    expect(taken).toBeGreaterThan(RUNS / 5);
    expect(rejected).toBeGreaterThan(RUNS / 10);
  });
});
