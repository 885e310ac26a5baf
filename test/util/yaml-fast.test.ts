import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { parseYamlReference, type YamlOptions } from '../../src/util/structured.js';
import { parseYaml } from '../../src/util/yaml.js';
import { parseYamlFast } from '../../src/util/yaml-fast.js';

const ROOT = join(import.meta.dirname, '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yamlFiles(path, out);
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** When the fast path answers, its answer must be the `yaml`-library path's answer. */
function expectSameWhenAccepted(text: string, options: YamlOptions): boolean {
  const fast = parseYamlFast(text, options);
  if (fast === undefined) return false;
  expect(fast).toStrictEqual(parseYamlReference(text, options));
  return true;
}

const HELM_DEPLOYMENT = `---
# Source: shop/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 3
  template:
    spec:
      serviceAccountName: web
      containers:
        - name: app
          image: "registry.example.com/web:1.2.3"
          env:
            - name: AWS_REGION
              value: eu-west-1
            - name: DEBUG
              value: 'false'
          resources:
            limits: { cpu: 500m, memory: 512Mi }
          args: [--port, "8080"]
---
# Source: shop/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
data:
  config.json: |
    {
      "level": "info"
    }
  motd: >-
    folded
    text
`;

const CFN_TEMPLATE = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "\${AWS::StackName}-role"
      AssumeRolePolicyDocument: !Sub |
        {"Statement": [{"Principal": {"Federated": "\${Issuer}"}}]}
      Policies:
        - PolicyDocument:
            Statement:
              - Resource: !GetAtt Queue.Arn
                Condition: !If [IsProd, !Ref Prod, !Ref AWS::NoValue]
              - Resource: !Join
                  - ":"
                  - [arn, !Ref AWS::Partition, sqs]
Outputs:
  Arn:
    Value: !GetAtt Role.Arn # the role
`;

describe('parseYamlFast', () => {
  it('accepts a Helm-rendered multi-document stream and matches the yaml library', () => {
    expect(expectSameWhenAccepted(HELM_DEPLOYMENT, { intrinsicTags: true })).toBe(true);
    expect(expectSameWhenAccepted(HELM_DEPLOYMENT, {})).toBe(true);
    const out = parseYaml(HELM_DEPLOYMENT, { intrinsicTags: true });
    expect(out.documents.map((d) => d.index)).toEqual([0, 1]);
    expect(out.documents[0]!.positions['/spec/template/spec/containers/0/image']).toEqual({ line: 16, column: 11, endLine: 16, endColumn: 50 });
  });

  it('accepts a CloudFormation template with short-form tags and rewrites them', () => {
    expect(expectSameWhenAccepted(CFN_TEMPLATE, { intrinsicTags: true })).toBe(true);
    const role = (parseYamlFast(CFN_TEMPLATE, { intrinsicTags: true })!.documents[0]!.value as any).Resources.Role;
    expect(role.Properties.RoleName).toEqual({ 'Fn::Sub': '${AWS::StackName}-role' });
    expect(role.Properties.Policies[0].PolicyDocument.Statement[0].Resource).toEqual({ 'Fn::GetAtt': ['Queue', 'Arn'] });
  });

  it('falls back for tags when CloudFormation tags are off, and for constructs outside its subset', () => {
    expect(parseYamlFast(CFN_TEMPLATE, {})).toBeUndefined();
    for (const text of [
      'a: &x 1\nb: *x\n',
      'base: {a: 1}\nderived:\n  <<: {b: 2}\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: !!str 1\n',
      'a: !Custom x\n',
      '? complex\n: value\n',
      'a: |+\n  keep\n\n',
      'a: [1,\n  2]\n',
      'a:\tb\n',
      'a:\n  b: 1\n  # trailing comment inside the mapping\nc: 2\n',
      'indexes:\n\n# comments after an empty last value\n',
      'list:\n- a\n-\n# after an empty last item\n',
    ]) {
      expect(parseYamlFast(text, { intrinsicTags: true }), text).toBeUndefined();
    }
  });

  it('screens characters and line starts before parsing, and only those', () => {
    const refused = [
      'a: b\r\nc: d\n',
      '\uFEFFa: 1\n',
      'a: x\u0085y\n',
      'a: x\u2028y\n',
      'a: x\u2029y\n',
      'a: 1\n%TAG ! tag:x,2000:\n',
      'a: 1\n...\nb: 2\n',
      'a: 1\n--- b\n',
      'a: 1\n---# c\n',
      'a: 1\n----\n',
      '--- x\n',
      'a: what?\n',
      'a: what?',
      'a: "\\x4"\n',
      'a: "\\u12"\n',
      'a: "\\U00110000"\n',
    ];
    for (const text of refused) expect(parseYamlFast(text, { intrinsicTags: true }), JSON.stringify(text)).toBeUndefined();
    const accepted = ['a: 50%\nb: x...\nc: ---x\n', '---\na: 1\n---\nb: 2\n---', 'a: what?x\nb: "?,"\n', 'a: "\\x41\\u0042"\nb: c\\d\n'];
    for (const text of accepted) expect(expectSameWhenAccepted(text, { intrinsicTags: true }), JSON.stringify(text)).toBe(true);
  });

  it('types long plain scalars as the reference does', () => {
    for (const text of ['a: ' + '0'.repeat(400) + '1\n', 'a: ' + '1'.repeat(401) + '\n', '1'.repeat(401) + ': x\n', 'a: 0.' + '0'.repeat(400) + '1\n']) {
      const fast = parseYamlFast(text, { intrinsicTags: true });
      expect(fast, text.slice(0, 20)).toBeDefined();
      expect(JSON.stringify(fast)).toBe(JSON.stringify(parseYamlReference(text, { intrinsicTags: true })));
    }
  });

  it('falls back when a limit would be exceeded, so the yaml path reports it', () => {
    expect(parseYamlFast('a:\n  b:\n    c: 1\n', { limits: { maxNodes: 100, maxDepth: 1 } })).toBeUndefined();
    expect(parseYamlFast('- 1\n- 2\n- 3\n', { limits: { maxNodes: 3, maxDepth: 10 } })).toBeUndefined();
    expect(parseYaml('- 1\n- 2\n- 3\n', { limits: { maxNodes: 3, maxDepth: 10 } }).errors).toHaveLength(1);
  });

  it('matches the yaml library on every YAML file of the fixtures and tests', () => {
    const files = [...yamlFiles(join(ROOT, 'fixtures')), ...yamlFiles(join(ROOT, 'test'))];
    expect(files.length).toBeGreaterThan(50);
    let accepted = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      for (const options of [{ intrinsicTags: true }, {}]) {
        try {
          if (expectSameWhenAccepted(text, options)) accepted++;
        } catch (e) {
          throw new Error(`${file}: ${(e as Error).message}`);
        }
      }
    }
    expect(accepted).toBeGreaterThan(files.length / 2);
  });

  describe('generated documents', () => {
    const key = fc.oneof(
      fc.constantFrom('a', 'name', 'true', 'null', '1', '0x1F', '-0', '1e3', '.inf', 'on', 'key with space', '~', '<', 'k#x', 'x: y', '- z', '"q"', "it's"),
      fc.string({ maxLength: 8 }),
    );
    const scalar = fc.oneof(
      fc.constantFrom('', ' lead', 'trail ', 'true', 'False', 'NULL', '~', '12', '+7', '-0', '0o17', '0x1F', '1.50', '.5', '1e3', '-.INF', '.NaN', 'a # b', 'a#b', 'x: y', '[1]', '{a}', 'multi\nline', 'two\n\nbreaks\n', 'tail\n', '${AWS::Region}', '!Ref x', '*alias', '&anchor', '@at', '`tick', "quo'te", 'dq"x', 'back\\slash'),
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec<{ node: unknown }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        scalar,
        fc.array(tie('node'), { maxLength: 4 }),
        fc.dictionary(key, tie('node'), { maxKeys: 4 }),
      ),
    })).node;
    type RenderStyle = { flow: 'block' | 'flow' | 'top'; indent: number; indentSeq: boolean; lineWidth: number; defaultStringType: 'PLAIN'; defaultKeyType: null; comment: string | undefined };
    const style: fc.Arbitrary<RenderStyle> = fc.record({
      flow: fc.constantFrom<'block' | 'flow' | 'top'>('block', 'flow', 'top'),
      indent: fc.integer({ min: 1, max: 4 }),
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 20, 80),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED') as fc.Arbitrary<'PLAIN'>,
      defaultKeyType: fc.constantFrom(null, 'PLAIN', 'QUOTE_DOUBLE') as fc.Arbitrary<null>,
      comment: fc.option(fc.constantFrom('# note', '#', '# !Ref x', '# a: b'), { nil: undefined }),
    });

    function render(v: unknown, s: RenderStyle): string {
      const text = stringify(v, {
        indent: s.indent,
        indentSeq: s.indentSeq,
        lineWidth: s.lineWidth,
        defaultStringType: s.defaultStringType,
        defaultKeyType: s.defaultKeyType,
        collectionStyle: s.flow === 'flow' ? 'flow' : s.flow === 'block' ? 'block' : 'any',
      });
      if (!s.comment) return text;
      // Comments on their own line and at line ends (after values that are not plain scalars would
      // change meaning, so only at line ends that already end a node are they safe to add both ways).
      return `${s.comment}\n${text.split('\n').map((l, i) => (i % 3 === 1 && l.trim() !== '' ? `${l}\n${' '.repeat(l.length - l.trimStart().length)}${s.comment}` : l)).join('\n')}`;
    }

    it('single documents in block and flow styles', () => {
      let accepted = 0;
      fc.assert(
        fc.property(value, style, (v, s) => {
          const text = render(v, s);
          if (expectSameWhenAccepted(text, { intrinsicTags: true })) accepted++;
          expectSameWhenAccepted(text, {});
        }),
        { seed: 20_240_610, numRuns: 600 },
      );
      expect(accepted).toBeGreaterThan(60);
    });

    it('multi-document streams with empty and comment-only documents', () => {
      let accepted = 0;
      const doc = fc.oneof(
        fc.tuple(value, style).map(([v, s]) => render(v, s)),
        fc.constantFrom('', '# only a comment\n', '\n\n'),
      );
      fc.assert(
        fc.property(fc.array(doc, { minLength: 1, maxLength: 4 }), fc.boolean(), (docs, leading) => {
          const text = (leading ? '---\n' : '') + docs.join('---\n');
          if (expectSameWhenAccepted(text, { intrinsicTags: true })) accepted++;
        }),
        { seed: 7_331, numRuns: 300 },
      );
      expect(accepted).toBeGreaterThan(50);
    });

    it('CloudFormation-tagged values', () => {
      let accepted = 0;
      const fn = fc.constantFrom('Ref', 'Sub', 'GetAtt', 'Join', 'If', 'Select', 'Base64', 'Condition', 'Equals', 'Custom');
      const tagged = fc.letrec<{ node: string }>((tie) => ({
        node: fc.oneof(
          { depthSize: 'small' },
          fc.tuple(fn, fc.constantFrom('x', 'Res.Arn', '"q"', "'s'", '1', 'null', '', '${A}-b')).map(([f, v]) => `!${f} ${v}`),
          fc.tuple(fn, fc.array(tie('node'), { maxLength: 3 })).map(([f, xs]) => `!${f} [${xs.join(', ')}]`),
          fc.tuple(fn, fc.array(tie('node'), { maxLength: 3 })).map(([f, xs]) => `!${f} {${xs.map((x, i) => `k${i}: ${x}`).join(', ')}}`),
          fc.constantFrom('plain', '"dq"', '12'),
        ),
      })).node;
      const entry = fc.oneof(
        fc.tuple(fc.constantFrom('Value', 'Resource', 'true'), tagged).map(([k, v]) => `${k}: ${v}`),
        fc.tuple(fn, fc.array(tagged, { minLength: 1, maxLength: 3 })).map(([f, xs]) => `List: !${f}\n${xs.map((x) => `  - ${x}`).join('\n')}`),
        fc.tuple(fn, fc.constantFrom('|', '>-', '|-', '>')).map(([f, h]) => `Text: !${f} ${h}\n  line one\n\n  line two`),
        fc.tuple(fn).map(([f]) => `Map: !${f}\n  A: 1\n  B: !Ref b`),
      );
      fc.assert(
        fc.property(fc.array(entry, { minLength: 1, maxLength: 5 }), (entries) => {
          const text = `Resources:\n${entries.map((e) => e.replace(/^/gm, '  ')).join('\n')}\n`;
          if (expectSameWhenAccepted(text, { intrinsicTags: true })) accepted++;
          expectSameWhenAccepted(text, {});
        }),
        { seed: 99, numRuns: 400 },
      );
      expect(accepted).toBeGreaterThan(100);
    });
  });
});
