/**
 * Terraform's JSON syntax (`.tf.json`, `.tofu.json`, `.tfvars.json`) into the syntax tree of
 * ast.ts, with positions in the JSON file, so the evaluator reads it as it reads `.tf` files.
 *
 * JSON objects are blocks or arguments by Terraform's schema: the top-level block types and
 * their labels (one nested object per label), the meta-arguments of resources, and the nested
 * blocks of the provider types podtrust maps (json-block-schema.ts). Strings are templates where
 * Terraform evaluates expressions, and literal text where it does not (variable defaults, variable
 * files, `source`). Properties named `//` in a block body are comments.
 */
import type { Position } from '../../model/types.js';
import { type JsonNode, DEFAULT_LIMITS, offsetToLineCol, parseJsonTree, span } from '../../util/structured.js';
import type { Block, Body, Expr, ParsedFile } from './ast.js';
import { META_BLOCKS, NESTED_BLOCKS, type NestedBlocks } from './json-block-schema.js';
import { type FileText, hasTemplateSequence, parseStringExpr } from './json-string-expr.js';
import { own } from '../../util/own.js';

/** How a string of an argument is read: a template, literal text, or a bare reference (`iterator`). */
type ValueMode = 'expression' | 'literal' | 'reference';

interface BodySchema {
  blocks: Readonly<Record<string, BlockSchema>>;
  argument(name: string): ValueMode;
}

interface BlockSchema {
  labels: number;
  body(labels: string[]): BodySchema;
}

const COMMENT = '//';

const expressions = (): ValueMode => 'expression';
const literals = (): ValueMode => 'literal';
const literalIn =
  (names: string[]): ((name: string) => ValueMode) =>
  (name) =>
    names.includes(name) ? 'literal' : 'expression';

const EXPRESSION_BODY: BodySchema = { blocks: {}, argument: expressions };
const LITERAL_BODY: BodySchema = { blocks: {}, argument: literals };

function fixed(labels: number, body: BodySchema): BlockSchema {
  return { labels, body: () => body };
}

/** A provider block body (or a nested block of one): its nested block types, `dynamic` blocks, and expressions. */
function providerBody(nested: NestedBlocks, meta: Record<string, BlockSchema> = {}): BodySchema {
  const blocks: Record<string, BlockSchema> = Object.assign(Object.create(null) as Record<string, BlockSchema>, meta);
  for (const [name, inner] of Object.entries(nested)) blocks[name] = { labels: 0, body: () => providerBody(inner) };
  blocks.dynamic = {
    labels: 1,
    body: ([type]) => ({
      blocks: { content: { labels: 0, body: () => providerBody(own(nested, type) ?? {}) } },
      argument: (name) => (name === 'iterator' ? 'reference' : 'expression'),
    }),
  };
  return { blocks, argument: literalIn(['provider', 'depends_on']) };
}

const RESOURCE_META: Record<string, BlockSchema> = {
  ...Object.fromEntries(Object.entries(META_BLOCKS).map(([name, inner]) => [name, fixed(0, providerBody(inner))])),
  provisioner: fixed(1, { blocks: { connection: fixed(0, EXPRESSION_BODY) }, argument: expressions }),
};

const RESOURCE: BlockSchema = { labels: 2, body: ([type]) => providerBody(own(NESTED_BLOCKS, type) ?? {}, RESOURCE_META) };

/** Terraform's top-level blocks; other top-level properties (moved, import, check, ...) are not read. */
const ROOT: BodySchema = {
  blocks: {
    resource: RESOURCE,
    data: RESOURCE,
    module: fixed(1, { blocks: {}, argument: literalIn(['source', 'version', 'providers', 'depends_on']) }),
    variable: fixed(1, { blocks: { validation: fixed(0, EXPRESSION_BODY) }, argument: literals }),
    output: fixed(1, { blocks: { precondition: fixed(0, EXPRESSION_BODY) }, argument: literalIn(['description', 'sensitive', 'depends_on']) }),
    locals: fixed(0, EXPRESSION_BODY),
    provider: fixed(1, { blocks: {}, argument: literalIn(['alias', 'version']) }),
    terraform: fixed(0, LITERAL_BODY),
  },
  argument: literals,
};

export interface JsonParseOptions {
  /** `--max-depth`: a file nested deeper is an error, and nothing of it is kept. */
  maxDepth?: number;
}

/** A `.tf.json` / `.tofu.json` file. */
export function parseTerraformJson(path: string, text: string, options: JsonParseOptions = {}): Promise<ParsedFile> {
  return parseWith(path, text, options, (c, root) => c.body(root, ROOT));
}

/** A `.tfvars.json` file: one argument per variable, values taken literally as Terraform does. */
export function parseTfvarsJson(path: string, text: string, options: JsonParseOptions = {}): Promise<ParsedFile> {
  return parseWith(path, text, options, (c, root) => c.body(root, LITERAL_BODY));
}

async function parseWith(path: string, text: string, options: JsonParseOptions, convert: (c: Converter, root: JsonNode) => Promise<Body>): Promise<ParsedFile> {
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const tree = parseJsonTree(text, { ...DEFAULT_LIMITS, maxDepth });
  const empty: Body = { attributes: [], blocks: [] };
  const first = tree.errors[0];
  if (!tree.root || first) {
    const error = first ?? { line: 1, column: 1, message: 'empty JSON document' };
    return { path, text, body: empty, error: { line: error.line, column: error.column, message: error.message, ...(error.limit ? { limit: true as const } : {}) } };
  }
  const converter = new Converter({ path, text, lines: tree.lines }, maxDepth);
  if (tree.root.type !== 'object') {
    converter.fail(tree.root.offset, 'a Terraform JSON file must hold one JSON object');
    return { path, text, body: empty, error: converter.error! };
  }
  const body = await convert(converter, tree.root);
  // Terraform reads strict JSON only: a comment or trailing comma makes the file invalid to it.
  if (tree.lenient && !converter.error) converter.error = { line: tree.lenient.line, column: tree.lenient.column, message: `not valid JSON: ${tree.lenient.message}; Terraform rejects the file (podtrust read it leniently)` };
  return converter.error ? { path, text, body, error: converter.error } : { path, text, body };
}

class Converter {
  error: ParsedFile['error'];

  constructor(
    private readonly file: FileText,
    private readonly maxDepth: number,
  ) {}

  /** Keeps the first problem, as the HCL parser does. */
  fail(offset: number, message: string, limit?: true): void {
    if (this.error) return;
    const { line, column } = offsetToLineCol(this.file.lines, offset);
    this.error = { line, column, message, ...(limit ? { limit } : {}) };
  }

  private pos(node: JsonNode): Position {
    return span(this.file.lines, node.offset, node.offset + node.length);
  }

  async body(node: JsonNode, schema: BodySchema): Promise<Body> {
    const body: Body = { attributes: [], blocks: [] };
    for (const prop of node.children ?? []) {
      const [keyNode, value] = prop.children ?? [];
      if (!keyNode || !value) continue;
      const name = String(keyNode.value);
      if (name === COMMENT) continue;
      const block = own(schema.blocks, name);
      if (block) await this.blocks(name, block, value, prop, [], block.labels, body.blocks);
      else if (schema !== ROOT) body.attributes.push({ name, expr: await this.expr(value, schema.argument(name)), pos: this.pos(prop), file: this.file.path });
    }
    return body;
  }

  /**
   * Blocks of one type: an object (one block, or one property per label), or an array of them
   * (several blocks, in order); each label level may again be either.
   */
  private async blocks(type: string, schema: BlockSchema, value: JsonNode, anchor: JsonNode, labels: string[], left: number, out: Block[]): Promise<void> {
    if (value.type === 'array') {
      for (const item of value.children ?? []) await this.blocks(type, schema, item, item, labels, left, out);
      return;
    }
    if (value.type !== 'object') {
      this.fail(value.offset, `a "${type}" block must be a JSON object or an array of objects`);
      return;
    }
    if (left === 0) {
      out.push({ type, labels, body: await this.body(value, schema.body(labels)), pos: this.pos(anchor), file: this.file.path });
      return;
    }
    for (const prop of value.children ?? []) {
      const [keyNode, inner] = prop.children ?? [];
      if (!keyNode || !inner || keyNode.value === COMMENT) continue;
      await this.blocks(type, schema, inner, prop, [...labels, String(keyNode.value)], left - 1, out);
    }
  }

  private base(node: JsonNode): { pos: Position; start: number; end: number; text: string } {
    return { pos: this.pos(node), start: node.offset, end: node.offset + node.length, text: this.file.text.slice(node.offset, node.offset + node.length) };
  }

  async expr(node: JsonNode, mode: ValueMode): Promise<Expr> {
    switch (node.type) {
      case 'string':
        return this.string(node, mode);
      case 'number':
      case 'boolean':
        return { kind: 'literal', value: node.value as number | boolean, ...this.base(node) };
      case 'null':
        return { kind: 'literal', value: null, ...this.base(node) };
      case 'array': {
        const items: Expr[] = [];
        for (const item of node.children ?? []) items.push(await this.expr(item, mode));
        return { kind: 'tuple', items, ...this.base(node) };
      }
      case 'object': {
        const items: Extract<Expr, { kind: 'object' }>['items'] = [];
        for (const prop of node.children ?? []) {
          const [keyNode, value] = prop.children ?? [];
          if (!keyNode || !value) continue;
          const name = String(keyNode.value);
          // Keys are templates too where values are expressions.
          const key = mode === 'expression' && hasTemplateSequence(name) ? await this.string(keyNode, mode) : undefined;
          const item = { key: key ?? { kind: 'literal' as const, value: name, ...this.base(keyNode) }, value: await this.expr(value, mode), pos: this.pos(prop) };
          items.push(key ? item : { ...item, keyName: name });
        }
        return { kind: 'object', items, ...this.base(node) };
      }
      default:
        return { kind: 'invalid', ...this.base(node) };
    }
  }

  private async string(node: JsonNode, mode: ValueMode): Promise<Expr> {
    const value = String(node.value);
    if (mode === 'literal' || (mode === 'expression' && !hasTemplateSequence(value))) return { kind: 'literal', value, ...this.base(node) };
    const parsed = await parseStringExpr(this.file, { offset: node.offset, length: node.length, value }, mode === 'reference' ? 'expression' : 'template', this.maxDepth);
    if (parsed.error) this.fail(parsed.error.offset, parsed.error.message, parsed.error.limit);
    return parsed.expr ?? { kind: 'invalid', ...this.base(node) };
  }
}

