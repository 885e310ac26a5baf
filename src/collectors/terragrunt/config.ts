/** One Terragrunt configuration file as podtrust reads it: the blocks and attributes that shape a unit's module call. */
import { dirname } from 'node:path';
import type { Attribute, Block, Expr, ParsedFile } from '../terraform/ast.js';

/** How a configuration came into a unit's evaluation. */
export type ConfigRole = 'unit' | 'included' | 'read';

export interface TerragruntConfig {
  file: string;
  dir: string;
  role: ConfigRole;
  parsed: ParsedFile;
  locals: Map<string, Attribute>;
  inputs?: Attribute;
  includes: Block[];
  dependencies: Map<string, Block>;
  terraform?: Block;
  /** `terraform { source = ... }`. */
  source?: Attribute;
  /** Top-level attributes other than `inputs` (read by `read_terragrunt_config`). */
  attributes: Attribute[];
}

export function readConfig(parsed: ParsedFile, role: ConfigRole): TerragruntConfig {
  const config: TerragruntConfig = { file: parsed.path, dir: dirname(parsed.path), role, parsed, locals: new Map(), includes: [], dependencies: new Map(), attributes: [] };
  for (const a of parsed.body.attributes) {
    if (a.name === 'inputs') config.inputs = a;
    else config.attributes.push(a);
  }
  for (const b of parsed.body.blocks) {
    if (b.type === 'locals') for (const a of b.body.attributes) config.locals.set(a.name, a);
    else if (b.type === 'include') config.includes.push(b);
    else if (b.type === 'dependency' && b.labels[0]) config.dependencies.set(b.labels[0], b);
    else if (b.type === 'terraform') {
      config.terraform = b;
      const source = b.body.attributes.find((a) => a.name === 'source');
      if (source) config.source = source;
    }
  }
  return config;
}

export function attributeOf(block: Block, name: string): Attribute | undefined {
  return block.body.attributes.find((a) => a.name === name);
}

const fileOfExpression = new WeakMap<Expr, string>();
const indexed = new WeakSet<ParsedFile>();

/** Indexes every expression node of a file once, however many units read it. */
function indexExpressions(parsed: ParsedFile): void {
  if (indexed.has(parsed)) return;
  indexed.add(parsed);
  const stack: unknown[] = [parsed.body];
  while (stack.length > 0) {
    const node = stack.pop();
    if (Array.isArray(node)) {
      for (const n of node) stack.push(n);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const o = node as Record<string, unknown>;
    if (typeof o.kind === 'string' && 'text' in o) fileOfExpression.set(o as unknown as Expr, parsed.path);
    for (const k in o) if (k !== 'pos' && typeof o[k] === 'object') stack.push(o[k]);
  }
}

/** The file an expression node is written in, for the configurations indexed with {@link indexExpressions}. */
export function fileOf(expr: Expr): string | undefined {
  return fileOfExpression.get(expr);
}

export { indexExpressions };
