import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectInventory, scan } from '../../../src/scan.js';
import { collectTerraform } from '../../../src/collectors/terraform/index.js';
import { parseTerraformJson } from '../../../src/collectors/terraform/json-syntax.js';
import { parseHcl } from '../../../src/collectors/terraform/hcl-parser.js';
import { readInputs } from '../../../src/collect/inputs.js';
import type { Finding } from '../../../src/model/types.js';
import type { Body, Expr } from '../../../src/collectors/terraform/ast.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'json-syntax');
const LIMITS = { maxNodes: 1_000_000, maxDepth: 256 };

function temp(files: Record<string, string>): { dir: string; done: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'podtrust-tfjson-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The 1-based line of the `nth` line of `text` holding `needle`. */
function lineIn(text: string, needle: string, nth = 1): number {
  let seen = 0;
  const i = text.split('\n').findIndex((l) => l.includes(needle) && ++seen === nth);
  if (i < 0) throw new Error(`${needle} is not in the text`);
  return i + 1;
}

function lineOf(file: string, needle: string, nth = 1): number {
  return lineIn(readFileSync(file, 'utf8'), needle, nth);
}

const key = (f: Finding) => `${f.ruleId} ${f.resource.name} ${f.severity}`;

async function findingsOf(dir: string): Promise<Finding[]> {
  const result = await scan({ paths: [dir], root: FIXTURES });
  expect(result.notes.filter((n) => n.level !== 'note')).toEqual([]);
  return result.findings;
}

describe('Terraform JSON syntax', () => {
  it('gives the same findings as the same configuration in native syntax, each at the line of its element in its own file', async () => {
    const hcl = await findingsOf(join(FIXTURES, 'hcl'));
    const json = await findingsOf(join(FIXTURES, 'json'));
    expect(json.map(key).sort()).toEqual(hcl.map(key).sort());
    expect(hcl.length).toBeGreaterThanOrEqual(10);

    const tf = join(FIXTURES, 'hcl', 'main.tf');
    const tfJson = join(FIXTURES, 'json', 'main.tf.json');
    const oneLineTrust = '"assume_role_policy": "${jsonencode({\\n    Version';
    // [rule, resource, file and line in native syntax, file and line in JSON syntax]
    const expected: [string, string, string, number, string, number][] = [
      ['aws-trust-sub-wildcard', 'reporting', tf, lineOf(tf, 'values   = ["system:serviceaccount:*"]'), tfJson, lineOf(tfJson, '"values": ["system:serviceaccount:*"]')],
      // A block written as an array element is at its `{`.
      ['aws-trust-aud-missing', 'reporting', tf, lineOf(tf, 'condition {'), tfJson, lineOf(tfJson, '"condition": [') + 1],
      ['aws-trust-aud-missing', 'workers', tf, lineOf(tf, 'condition {', 2), tfJson, lineOf(tfJson, '"condition": {')],
      // A JSON string is one line: the whole trust policy is there.
      ['aws-trust-sub-wildcard', 'team-billing', tf, lineOf(tf, '"${var.oidc_host}:sub" = "system:serviceaccount:${each.key}-*:app"'), tfJson, lineOf(tfJson, oneLineTrust)],
      ['aws-trust-stringlike-literal', 'team-search', tf, lineOf(tf, '"${var.oidc_host}:aud" = "sts.amazonaws.com"'), tfJson, lineOf(tfJson, oneLineTrust)],
      ['gcp-node-metadata-exposed', 'batch', tf, lineOf(tf, 'mode = "GCE_METADATA"'), tfJson, lineOf(tfJson, '"mode": "GCE_METADATA"')],
      ['k8s-identity-on-default-sa', 'payments/default', tf, lineOf(tf, '"eks.amazonaws.com/role-arn" ='), tfJson, lineOf(tfJson, '"eks.amazonaws.com/role-arn":')],
      [
        'aws-trust-sub-missing',
        'exporter',
        join(FIXTURES, 'hcl', 'modules', 'irsa', 'main.tf'),
        lineOf(join(FIXTURES, 'hcl', 'modules', 'irsa', 'main.tf'), 'Principal = { Federated = var.provider_arn }'),
        join(FIXTURES, 'json', 'modules', 'irsa', 'main.tf.json'),
        lineOf(join(FIXTURES, 'json', 'modules', 'irsa', 'main.tf.json'), '"assume_role_policy"'),
      ],
    ];
    for (const [rule, resource, hclFile, hclLine, jsonFile, jsonLine] of expected) {
      const at = (list: Finding[]) => list.filter((f) => f.ruleId === rule && f.resource.name === resource).map((f) => `${f.location.file}:${f.location.position?.line}`);
      expect(at(hcl), `${rule} ${resource} (native)`).toContain(`${hclFile}:${hclLine}`);
      expect(at(json), `${rule} ${resource} (JSON)`).toContain(`${jsonFile}:${jsonLine}`);
    }
  });

  it('applies terraform.tfvars.json, then *.auto.tfvars(.json) by name, over variable defaults, taking their strings literally', async () => {
    const r = await collectTerraform(
      [
        { path: '/p/infra/main.tf.json', text: JSON.stringify({ variable: { a: { default: 'def' }, b: { default: 'def' }, c: { default: 'def' } }, resource: { aws_iam_role: { r: { name: '${var.a}/${var.b}/${var.c}' } } } }) },
        { path: '/p/infra/terraform.tfvars', text: 'a = "hcl"\nb = "hcl"\nc = "hcl"\n' },
        { path: '/p/infra/terraform.tfvars.json', text: '{ "b": "json-${not.a.reference}", "c": "json" }' },
        { path: '/p/infra/x.auto.tfvars.json', text: '{ "//": "a comment", "c": "auto" }' },
      ],
      { root: '/p', limits: LIMITS },
    );
    expect(r.notes).toEqual([]);
    expect(r.resources.map((x) => x.name)).toEqual(['hcl/json-${not.a.reference}/auto']);
    expect(r.accounts).toEqual([
      { file: '/p/infra/main.tf.json', format: 'Terraform JSON', state: 'analysed' },
      { file: '/p/infra/terraform.tfvars', format: 'Terraform', state: 'analysed' },
      { file: '/p/infra/terraform.tfvars.json', format: 'Terraform JSON', state: 'analysed' },
      { file: '/p/infra/x.auto.tfvars.json', format: 'Terraform JSON', state: 'analysed' },
    ]);
  });

  it('reads the values of the JSON fixture with its tfvars.json applied', async () => {
    const { resources } = await collectTerraform(
      ['main.tf.json', 'terraform.tfvars.json'].map((n) => ({ path: join(FIXTURES, 'json', n), text: readFileSync(join(FIXTURES, 'json', n), 'utf8') })),
      { root: FIXTURES, limits: LIMITS },
    );
    const reporting = resources.find((r) => r.name === 'reporting')!;
    expect(JSON.stringify(reporting.body)).toContain('oidc.eks.eu-west-1.amazonaws.com/id/FROMTFVARS:sub');
    expect(JSON.stringify(reporting.body)).not.toContain('DEFAULT');
  });

  it('reads blocks in both forms, labels as nested keys, and "//" properties of bodies as comments', async () => {
    const text = JSON.stringify(
      {
        '//': 'generated',
        resource: {
          aws_iam_role: [{ a: { '//': 'x', name: 'a', inline_policy: [{ name: 'p1' }, { name: 'p2' }] } }, { b: [{ name: 'b' }] }],
        },
        module: { m: { source: './m', tags: { '//': 'kept: an expression object', k: 'v' } } },
      },
      null,
      2,
    );
    const f = await parseTerraformJson('/x/main.tf.json', text);
    expect(f.error).toBeUndefined();
    const shape = (b: Body): unknown => ({ attributes: b.attributes.map((a) => a.name), blocks: b.blocks.map((x) => [x.type, ...x.labels, shape(x.body)]) });
    expect(shape(f.body)).toEqual({
      attributes: [],
      blocks: [
        ['resource', 'aws_iam_role', 'a', { attributes: ['name'], blocks: [['inline_policy', { attributes: ['name'], blocks: [] }], ['inline_policy', { attributes: ['name'], blocks: [] }]] }],
        ['resource', 'aws_iam_role', 'b', { attributes: ['name'], blocks: [] }],
        ['module', 'm', { attributes: ['source', 'tags'], blocks: [] }],
      ],
    });
    const tags = f.body.blocks[2]!.body.attributes[1]!.expr as Extract<Expr, { kind: 'object' }>;
    expect(tags.items.map((i) => i.keyName)).toEqual(['//', 'k']);
    const a = f.body.blocks[0]!;
    expect(a.pos.line).toBe(lineIn(text, '"a": {'));
    expect(a.body.blocks[1]!.pos.line).toBe(lineIn(text, '"name": "p2"') - 1);
  });

  it('reads names like constructor and __proto__ as plain names', async () => {
    const text = '{ "constructor": {}, "__proto__": { "x": 1 }, "resource": { "toString": { "__proto__": { "constructor": { "a": 1 }, "dynamic": { "hasOwnProperty": { "content": { "b": 2 } } } } } } }';
    const f = await parseTerraformJson('/x/main.tf.json', text);
    expect(f.error).toBeUndefined();
    const [r] = f.body.blocks;
    expect([r!.type, ...r!.labels]).toEqual(['resource', 'toString', '__proto__']);
    expect(r!.body.attributes.map((a) => a.name)).toEqual(['constructor']);
    expect(r!.body.blocks.map((b) => [b.type, ...b.labels, b.body.blocks.map((c) => c.type)])).toEqual([['dynamic', 'hasOwnProperty', ['content']]]);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('parses interpolations with the HCL parser and places them in the JSON file', async () => {
    const text = '{\n  "locals": {\n    "a": "x-${upper(\\"q\\")}-${var.b}",\n    "c": "${var.d}",\n    "e": "$${not} %%{not}"\n  }\n}\n';
    const f = await parseTerraformJson('/x/main.tf.json', text);
    const [a, c, e] = f.body.blocks[0]!.body.attributes;
    // The same expressions as in native syntax, each where it is written.
    const native = await parseHcl('/x/main.tf', 'locals {\n  a = "x-${upper("q")}-${var.b}"\n}\n');
    const nativeA = native.body.blocks[0]!.body.attributes[0]!.expr as Extract<Expr, { kind: 'template' }>;
    const jsonA = a!.expr as Extract<Expr, { kind: 'template' }>;
    expect(jsonA.kind).toBe('template');
    expect(jsonA.parts.map((p) => (p.kind === 'interpolation' ? p.expr.text : p.kind === 'literal' ? p.text : p.kind))).toEqual(nativeA.parts.map((p) => (p.kind === 'interpolation' ? p.expr.text : p.kind === 'literal' ? p.text : p.kind)));
    const varB = jsonA.parts[3]!;
    expect(varB.kind === 'interpolation' && text.slice(varB.expr.start, varB.expr.end)).toBe('var.b');
    const upper = jsonA.parts[1]!;
    // After an escaped quote, offsets still land on the text as written.
    expect(upper.kind === 'interpolation' && text.slice(upper.expr.start, upper.expr.end)).toBe('upper(\\"q\\")');
    expect(upper.kind === 'interpolation' && upper.expr.pos).toMatchObject({ line: 3, column: text.split('\n')[2]!.indexOf('upper') + 1 });
    // One interpolation alone is its expression (its value keeps its type).
    expect(c!.expr).toMatchObject({ kind: 'traversal', text: 'var.d', pos: { line: 4 } });
    expect(e!.expr.kind).toBe('template');
    const lines = await parseTerraformJson('/x/main.tf.json', JSON.stringify({ locals: { m: '${var.v}\nEOT\nEOTZ\n' } }));
    const m = lines.body.blocks[0]!.body.attributes[0]!.expr as Extract<Expr, { kind: 'template' }>;
    expect(m.parts.map((p) => (p.kind === 'literal' ? p.text : p.kind))).toEqual(['interpolation', '\nEOT\nEOTZ\n']);
  });

  it('reports a malformed file, a malformed template and a misplaced block with the file and line, and goes on', async () => {
    const { dir, done } = temp({
      'broken/main.tf.json': '{\n  "resource": {\n    "aws_iam_role": {\n      "r": { "name": "x" "path": "/" }\n    }\n  }\n}\n',
      // Templates are parsed together: the broken one is still found in its own string.
      'template/main.tf.json': '{\n  "locals": {\n    "ok": "${var.a}-a",\n    "bad": "${var.x",\n    "after": "${var.c}"\n  }\n}\n',
      'shape/main.tf.json': '{\n  "resource": {\n    "aws_iam_role": {\n      "r": "not a block"\n    }\n  }\n}\n',
      'good/main.tf.json': '{ "resource": { "aws_iam_role": { "g": { "name": "good" } } } }',
    });
    try {
      const result = await scan({ paths: [dir], root: dir });
      const errors = result.notes.filter((n) => n.level === 'error').map((n) => [n.kind, n.file, n.line]);
      expect(errors).toEqual(
        expect.arrayContaining([
          ['parse-error', join(dir, 'broken', 'main.tf.json'), 4],
          ['parse-error', join(dir, 'template', 'main.tf.json'), 4],
          ['parse-error', join(dir, 'shape', 'main.tf.json'), 4],
        ]),
      );
      expect(errors).toHaveLength(3);
      expect(result.summary.partial).toBe(true);
      expect((await collectInventory({ paths: [dir], root: dir })).resources.map((r) => r.name)).toEqual(['good']);
    } finally {
      done();
    }
  });

  it('refuses JSON, and expressions in strings, nested deeper than --max-depth, with the file and line', async () => {
    const depth = 40;
    const deepJson = `{ "locals": { "a": ${'['.repeat(depth)}${']'.repeat(depth)} } }`;
    const deepString = `{\n  "locals": {\n    "a": "\${${'['.repeat(depth)}${']'.repeat(depth)}}"\n  }\n}\n`;
    const limits = { maxNodes: 1_000_000, maxDepth: 20 };
    const r = await collectTerraform(
      [
        { path: '/p/a/main.tf.json', text: deepJson },
        { path: '/p/b/main.tf.json', text: deepString },
      ],
      { root: '/p', limits },
    );
    expect(r.notes.map((n) => [n.kind, n.level, n.file, n.line])).toEqual([
      ['limit', 'error', '/p/a/main.tf.json', 1],
      ['limit', 'error', '/p/b/main.tf.json', 3],
    ]);
  });

  it('sends .tf.json and .tfvars.json files to the Terraform collector only', () => {
    const { dir, done } = temp({
      'main.tf.json': '{}',
      'terraform.tfvars.json': '{}',
      'x.auto.tfvars.json': '{}',
      'main.tofu': '',
      'main.tofu.json': '{}',
      'policy.json': '{}',
      'other.tfvars.json': '{}',
    });
    try {
      const set = readInputs({ paths: [dir], root: dir, exclude: [], maxFileBytes: 1e6, maxTotalBytes: 1e7 });
      const names = (files: { path: string }[]) => files.map((f) => f.path.slice(dir.length + 1)).sort();
      expect(names(set.terraform)).toEqual(['main.tf.json', 'main.tofu', 'main.tofu.json', 'terraform.tfvars.json', 'x.auto.tfvars.json']);
      // Only the variable files Terraform loads by itself are read; others are plain JSON.
      expect(names(set.structured)).toEqual(['other.tfvars.json', 'policy.json']);
    } finally {
      done();
    }
  });
});

describe('OpenTofu files', () => {
  const wildcard = (name: string) =>
    `resource "aws_iam_role" "${name}" {\n  name = "${name}"\n  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRoleWithWebIdentity", Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/A" }, Condition = { StringLike = { "oidc.eks.eu-west-1.amazonaws.com/id/A:sub" = "system:serviceaccount:*" } } }] })\n}\n`;

  it('reads x.tofu in place of x.tf, and x.tofu.json in place of x.tf.json, naming the files left out', async () => {
    const { dir, done } = temp({
      'main.tf': wildcard('from_tf'),
      'main.tofu': wildcard('from_tofu'),
      'roles.tf.json': JSON.stringify({ resource: { aws_iam_role: { from_tf_json: { name: 'from_tf_json' } } } }),
      'roles.tofu.json': JSON.stringify({ resource: { aws_iam_role: { from_tofu_json: { name: 'from_tofu_json' } } } }),
      // Only the same base name is replaced.
      'other.tf': 'resource "aws_iam_role" "other" { name = "other" }\n',
      'main.tofu.json.bak': '',
    });
    try {
      const result = await scan({ paths: [dir], root: dir });
      expect((await collectInventory({ paths: [dir], root: dir })).resources.map((r) => r.name).sort()).toEqual(['from_tofu', 'from_tofu_json', 'other']);
      expect(result.findings.filter((f) => f.ruleId === 'aws-trust-sub-wildcard').map((f) => f.location.file)).toEqual([join(dir, 'main.tofu')]);
      const skipped = result.notes.filter((n) => n.kind === 'skipped').map((n) => [n.level, n.file, n.message]);
      expect(skipped).toEqual([
        ['note', join(dir, 'main.tf'), 'not read: OpenTofu loads main.tofu in its place (a .tofu file replaces the .tf file of the same name)'],
        ['note', join(dir, 'roles.tf.json'), 'not read: OpenTofu loads roles.tofu.json in its place (a .tofu file replaces the .tf file of the same name)'],
      ]);
    } finally {
      done();
    }
  });

  it('applies the precedence in module folders it reads itself, and accounts for the OpenTofu files', async () => {
    const { dir, done } = temp({
      'live/main.tofu': 'module "m" {\n  source = "../mod"\n}\n',
      'mod/main.tf': wildcard('module_tf'),
      'mod/main.tofu': 'resource "aws_iam_role" "module_tofu" { name = "module_tofu" }\n',
    });
    try {
      const r = await collectTerraform([{ path: join(dir, 'live', 'main.tofu'), text: readFileSync(join(dir, 'live', 'main.tofu'), 'utf8') }], { root: dir, limits: LIMITS });
      expect(r.resources.map((x) => x.name)).toEqual(['module_tofu']);
      expect(r.notes.map((n) => [n.kind, n.file])).toEqual([['skipped', join(dir, 'mod', 'main.tf')]]);
      expect(r.accounts).toEqual([{ file: join(dir, 'live', 'main.tofu'), format: 'OpenTofu', state: 'analysed' }]);
    } finally {
      done();
    }
  });
});

/** Terraform itself as the oracle of what JSON-syntax values evaluate to (skipped without it). */
const TERRAFORM = process.env.PODTRUST_TERRAFORM ?? '/usr/local/bin/terraform';

describe('Terraform JSON values against Terraform', () => {
  const locals = {
    variable: {
      v: { default: 'default' },
      n: { type: 'number', default: 3 },
      l: { type: 'list(string)', default: ['p', 'q'] },
      lit: { type: 'string', default: 'not ${evaluated}' },
      w: { type: 'string' },
    },
    locals: {
      plain: 'hello',
      escaped: 'a$${b}c %%{d}',
      template: 'x-${var.v}-y',
      typed: '${var.n}',
      list: ['${var.v}', 1, true, null],
      object: { '//': 'kept', 'k-${var.v}': '${upper(var.v)}' },
      directive: '%{ for s in var.l }${s},%{ endfor }',
      quoted: 'caf\u00e9 "q" ${lookup({ a = "x" }, "a")}',
      newline: '${join("\\n", var.l)}',
      literal_default: '${var.lit}',
      tfvars_literal: '${var.w}',
      conditional: '${var.n > 2 ? "big" : "small"}',
      // The parser reads a string as a heredoc: lines like a closing marker are text.
      marker: '${var.v}\nEOT\nEOTZ\n  EOTZZ',
    },
  };
  const tfvars = { 'terraform.tfvars.json': { v: 'tfvars', w: 'lit-${x}' }, 'b.auto.tfvars.json': { v: 'auto' } };

  it.skipIf(!existsSync(TERRAFORM))('evaluates locals as terraform does', async () => {
    const names = Object.keys(locals.locals);
    const { dir, done } = temp({
      'main.tf.json': JSON.stringify(locals, null, 2),
      'outputs.tf.json': JSON.stringify({ output: Object.fromEntries(names.map((n) => [n, { value: `\${local.${n}}` }])) }),
      ...Object.fromEntries(Object.entries(tfvars).map(([n, v]) => [n, JSON.stringify(v)])),
    });
    try {
      const env = { ...process.env, TF_CLI_CONFIG_FILE: '/dev/null', TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' };
      execFileSync(TERRAFORM, ['init', '-input=false', '-backend=false'], { cwd: dir, env, stdio: 'pipe' });
      execFileSync(TERRAFORM, ['apply', '-auto-approve', '-input=false'], { cwd: dir, env, stdio: 'pipe' });
      const outputs = JSON.parse(execFileSync(TERRAFORM, ['output', '-json'], { cwd: dir, env, encoding: 'utf8' })) as Record<string, { value: unknown }>;

      // podtrust reads the same files, with one role per local carrying its value as its name.
      const roles = { resource: { aws_iam_role: Object.fromEntries(names.map((n) => [n, { name: `\${jsonencode(local.${n})}` }])) } };
      const files = [
        { path: join(dir, 'main.tf.json'), text: readFileSync(join(dir, 'main.tf.json'), 'utf8') },
        { path: join(dir, 'roles.tf.json'), text: JSON.stringify(roles) },
        ...Object.keys(tfvars).map((n) => ({ path: join(dir, n), text: readFileSync(join(dir, n), 'utf8') })),
      ];
      const r = await collectTerraform(files, { root: dir, limits: LIMITS });
      expect(r.notes).toEqual([]);
      const ours = Object.fromEntries(r.resources.map((x) => [x.address!.split('.')[1]!, JSON.parse(x.name) as unknown]));
      const theirs = Object.fromEntries(names.map((n) => [n, outputs[n]!.value]));
      expect(ours).toEqual(theirs);
    } finally {
      done();
    }
  }, 120_000);

  it.runIf(!existsSync(TERRAFORM))('is skipped: terraform is not installed (set PODTRUST_TERRAFORM to its path)', () => {
    console.warn(`Terraform JSON oracle skipped: no terraform at ${TERRAFORM}`);
  });
});
