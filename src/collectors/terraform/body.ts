/** Evaluates a block body into values (nested blocks as lists, dynamic blocks expanded) with positions. */
import type { PositionMap } from '../../model/types.js';
import { child } from '../../util/pointer.js';
import type { Attribute, Block, Body, Expr } from './ast.js';
import { NestingTooDeep } from '../../util/nesting.js';
import { type IteratorOrigin, type Scope, childScope, entries, evaluateIn, keyString } from './evaluator.js';
import { orElse } from './evaluation-error.js';
import { originOf, walkPositions } from './origins.js';
import { type ObjectValue, type Value, isUnknown, mkUnknown, newObject } from './values.js';

/**
 * Evaluates an attribute; a value that cannot be computed (wrong type, missing key, budget spent)
 * is unknown, and so is one whose evaluation nests past `--max-depth`, with a note at the attribute.
 */
export function safeEvaluate(attr: Attribute, scope: Scope): Value {
  return evaluateOrUnknown(attr.expr, scope, attr.file);
}

/** {@link safeEvaluate} for an expression of a given file (a module input is evaluated in its caller's scope). */
export function evaluateOrUnknown(expr: Expr, scope: Scope, file: string): Value {
  try {
    return orElse(() => evaluateIn(expr, scope, file), () => mkUnknown(expr.text));
  } catch (e) {
    if (!(e instanceof NestingTooDeep)) throw e;
    noteTooDeep(e, expr, file, scope);
    return mkUnknown(expr.text);
  }
}

export function noteTooDeep(e: NestingTooDeep, expr: Expr, file: string, scope: Scope): void {
  scope.resolver.note?.({ kind: 'limit', level: 'error', file, line: expr.pos.line, column: expr.pos.column, message: e.message });
}

export interface ExpandedBlock {
  type: string;
  block: Block;
  scope: Scope;
  /** For a `dynamic` block's content: the element of its for_each collection this block is made from. */
  element?: IteratorOrigin;
}

/** Bodies whose nested blocks are unknown (a `dynamic` block over an unresolved collection): absent blocks there prove nothing. */
export const blocksUnresolved = new WeakSet<ObjectValue>();

const META_ATTRIBUTES = new Set(['count', 'for_each', 'depends_on', 'provider', 'lifecycle', 'provisioner', 'connection']);

/** Nested blocks in order, with `dynamic` blocks replaced by one content block per element. */
export function expandBlocks(body: Body, scope: Scope): ExpandedBlock[] | 'unknown-dynamic' {
  const out: ExpandedBlock[] = [];
  for (const block of body.blocks) {
    if (block.type !== 'dynamic') {
      out.push({ type: block.type, block, scope });
      continue;
    }
    const type = block.labels[0] ?? '';
    const forEach = block.body.attributes.find((a) => a.name === 'for_each');
    const iteratorAttr = block.body.attributes.find((a) => a.name === 'iterator');
    const iterator = iteratorAttr?.expr.kind === 'variable' ? iteratorAttr.expr.name : type;
    const content = block.body.blocks.find((b) => b.type === 'content');
    if (!forEach || !content) continue;
    const coll = safeEvaluate(forEach, scope);
    if (isUnknown(coll)) return 'unknown-dynamic';
    const pairs = orElse<[Value, Value][]>(() => entries(coll), () => []);
    for (const [key, value] of pairs) {
      const item = newObject();
      item.key = key;
      item.value = value;
      const keyText = orElse<string | undefined>(() => keyString(key), () => undefined);
      const element = keyText === undefined ? undefined : { expr: forEach.expr, scope, file: forEach.file, key: keyText };
      const expandedBlock: ExpandedBlock = { type, block: { ...content, type, pos: content.pos, file: content.file }, scope: childScope(scope, { [iterator]: item }, element && { [iterator]: element }) };
      if (element) expandedBlock.element = element;
      out.push(expandedBlock);
    }
  }
  return out;
}

/** Evaluates attributes and nested blocks under `pointer`; positions go to `positions` (with their file), when given. */
export function evalBody(body: Body, scope: Scope, pointer: string, positions: PositionMap | undefined): ObjectValue {
  const out = newObject();
  for (const attr of body.attributes) {
    if (META_ATTRIBUTES.has(attr.name)) continue;
    out[attr.name] = safeEvaluate(attr, scope);
    if (!positions) continue;
    const p = child(pointer, attr.name);
    positions[p] = originOf(attr.expr, scope, attr.file);
    // Positions inside the value are best effort: where they cannot be traced, the attribute's position stands.
    orElse(() => walkPositions(attr.expr, scope, attr.file, p, positions), () => undefined);
  }
  const expanded = expandBlocks(body, scope);
  if (expanded === 'unknown-dynamic') {
    blocksUnresolved.add(out);
    return out;
  }
  for (const { type, block, scope: s } of expanded) {
    if (META_ATTRIBUTES.has(type)) continue;
    const list = (out[type] ??= []) as Value[];
    const ofType = child(pointer, type);
    const p = child(ofType, list.length);
    if (positions) {
      // Positions are never written through, so the list and its first block share one.
      const pos = { ...block.pos, file: block.file };
      if (positions[ofType] === undefined) positions[ofType] = pos;
      positions[p] = pos;
    }
    list.push(evalBody(block.body, s, p, positions));
  }
  return out;
}
