/** Positions of evaluated values, traced to where they are written (a module caller's input, a local). */
import type { Position, PositionMap } from '../../model/types.js';
import { child } from '../../util/pointer.js';
import type { Expr, TraversalStep } from './ast.js';
import { type Scope, childScope, entries, evaluate, keyString, renderTemplate } from './evaluator.js';
import { orElse } from './evaluation-error.js';
import { decodeJsonPieces } from './json-template.js';
import { type Piece, type Value, isUnknown, templatePieces, toBool } from './values.js';

export type FilePosition = Position & { file: string };

const MAX_DEPTH = 32;

/** Calls whose result is their first argument's structure, as far as positions go. */
const STRUCTURE_KEEPING = new Set(['jsonencode', 'jsondecode', 'tolist', 'toset', 'tomap', 'sensitive', 'nonsensitive']);
/** Calls through which an element of a collection argument is found. */
const ELEMENT_KEEPING = new Set(['tomap', 'tolist', 'toset', 'merge']);

function at(pos: Position, file: string): FilePosition {
  return { line: pos.line, column: pos.column, endLine: pos.endLine, endColumn: pos.endColumn, file };
}

/** Variables of an expression read from a module caller, in source order. */
function callerOrigins(expr: Expr, scope: Scope, found: FilePosition[], depth: number): void {
  if (depth > MAX_DEPTH || found.length > 0) return;
  if (expr.kind === 'variable' || (expr.kind === 'traversal' && expr.base.kind === 'variable')) {
    const root = expr.kind === 'variable' ? expr.name : (expr.base as { name: string }).name;
    const steps = expr.kind === 'traversal' ? expr.steps : [];
    if (scope.bindings.has(root)) {
      const it = scope.iterators?.get(root);
      const first = steps[0];
      if (it && first?.kind === 'attr' && first.name === 'value') {
        const pos = descend(it.expr, it.scope, it.file, [it.key, ...literalPath(steps.slice(1), scope)], false, depth + 1);
        if (pos) found.push(pos);
      }
      return;
    }
    const o = scope.resolver.origin(root, steps);
    // `var.x.attr`: where the caller writes `attr` inside its input, when it does.
    const rest = o?.caller ? literalPath(steps.slice(o.used), scope) : [];
    const inside = o?.caller && rest.length > 0 ? descend(o.expr, o.scope, o.file, rest, true, depth + 1) : undefined;
    if (inside) found.push(inside);
    else if (o?.caller) found.push(originOf(o.expr, o.scope, o.file, depth + 1));
    else if (o) callerOrigins(o.expr, o.scope, found, depth + 1);
    else {
      // A reference to a policy the module writes (`aws_iam_policy.this[0].arn`) comes from what that policy is made of.
      const content = scope.resolver.contentOrigin?.(root, steps, scope);
      if (content) callerOrigins(content.expr, content.scope, found, depth + 1);
    }
    return;
  }
  // `cond ? a : b` comes from the branch taken, not from the condition.
  if (expr.kind === 'conditional') {
    const c = orElse<Value | undefined>(() => evaluate(expr.cond, scope), () => undefined);
    if (c !== undefined && !isUnknown(c)) return callerOrigins(toBool(c) ? expr.then : expr.else, scope, found, depth + 1);
  }
  for (const child of children(expr)) callerOrigins(child, scope, found, depth + 1);
}

/** Attribute names and literal keys of traversal steps, up to the first step that is neither. */
function literalPath(steps: TraversalStep[], scope: Scope): string[] {
  const out: string[] = [];
  for (const s of steps) {
    if (s.kind === 'attr') out.push(s.name);
    else if (s.kind === 'index') {
      const k = orElse<string | undefined>(() => {
        const v = evaluate(s.key, scope);
        return isUnknown(v) ? undefined : keyString(v);
      }, () => undefined);
      if (k === undefined) break;
      out.push(k);
    } else break;
  }
  return out;
}

/**
 * Where an element of a collection is written, following `var.`/`local.` references into the object
 * and tuple expressions that define it; only positions reached through a module caller count.
 */
function descend(expr: Expr, scope: Scope, file: string, path: string[], crossed: boolean, depth: number): FilePosition | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (expr.kind === 'variable' || (expr.kind === 'traversal' && expr.base.kind === 'variable')) {
    const root = expr.kind === 'variable' ? expr.name : (expr.base as { name: string }).name;
    const steps = expr.kind === 'traversal' ? expr.steps : [];
    if (scope.bindings.has(root)) {
      // `each.value...` (or a dynamic block's iterator): on into the element of the collection it iterates.
      const it = scope.iterators?.get(root);
      const first = steps[0];
      if (!it || first?.kind !== 'attr' || first.name !== 'value') return undefined;
      return descend(it.expr, it.scope, it.file, [it.key, ...literalPath(steps.slice(1), scope), ...path], crossed, depth + 1);
    }
    const o = scope.resolver.origin(root, steps);
    if (!o) return undefined;
    return descend(o.expr, o.scope, o.file, [...literalPath(steps.slice(o.used), scope), ...path], crossed || o.caller, depth + 1);
  }
  if (expr.kind === 'conditional') {
    const c = orElse<Value | undefined>(() => evaluate(expr.cond, scope), () => undefined);
    if (c === undefined || isUnknown(c)) return undefined;
    return descend(toBool(c) ? expr.then : expr.else, scope, file, path, crossed, depth + 1);
  }
  if (path.length === 0) return crossed ? originOf(expr, scope, file, depth + 1) : undefined;
  if (expr.kind === 'object') {
    for (const item of expr.items) {
      const key = item.keyName ?? orElse<string | undefined>(() => keyString(evaluate(item.key, scope)), () => undefined);
      if (key !== undefined && key === path[0]) return descend(item.value, scope, file, path.slice(1), crossed, depth + 1);
    }
    return undefined;
  }
  if (expr.kind === 'tuple') {
    const i = Number(path[0]);
    let item = Number.isInteger(i) ? expr.items[i] : undefined;
    // A set (toset([...]) under for_each) is keyed by its elements' values.
    item ??= expr.items.find((it) =>
      orElse(() => {
        const v = evaluate(it, scope);
        return !isUnknown(v) && keyString(v) === path[0];
      }, () => false),
    );
    return item ? descend(item, scope, file, path.slice(1), crossed, depth + 1) : undefined;
  }
  // `{ for k, v in coll : k => v }`, `{ for np in list : np.name => np }` (`=> v.attr` too): the element whose key
  // expression gives the wanted key is written where `coll`'s element is.
  if (expr.kind === 'for' && expr.object && !expr.group && expr.keyExpr) {
    const v = expr.valueExpr;
    const inner = v.kind === 'variable' && v.name === expr.valueVar ? [] : v.kind === 'traversal' && v.base.kind === 'variable' && v.base.name === expr.valueVar ? literalPath(v.steps, scope) : undefined;
    if (inner === undefined || (v.kind === 'traversal' && inner.length !== v.steps.length)) return undefined;
    const element = forElementKey(expr, scope, path[0]!);
    return element === undefined ? undefined : descend(expr.collection, scope, file, [element, ...inner, ...path.slice(1)], crossed, depth + 1);
  }
  if (expr.kind === 'call' && ELEMENT_KEEPING.has(expr.name)) {
    for (const a of expr.args) {
      const found = descend(a, scope, file, path, crossed, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/** `lookup(map, "key", default)`: where a module caller writes `key` in the map, when it does (else the default applies). */
function lookedUp(expr: Expr, scope: Scope, file: string, depth: number): FilePosition | undefined {
  if (expr.kind !== 'call' || expr.name !== 'lookup' || expr.args.length < 2 || depth > MAX_DEPTH) return undefined;
  const key = orElse<string | undefined>(() => {
    const k = evaluate(expr.args[1]!, scope);
    return typeof k === 'string' ? k : undefined;
  }, () => undefined);
  return key === undefined ? undefined : descend(expr.args[0]!, scope, file, [key], false, depth + 1);
}

/** The key of the element of a for expression's collection whose key expression evaluates to `wanted`. */
function forElementKey(expr: Extract<Expr, { kind: 'for' }>, scope: Scope, wanted: string): string | undefined {
  const pairs = orElse<[Value, Value][] | undefined>(() => {
    const coll = evaluate(expr.collection, scope);
    return isUnknown(coll) ? undefined : entries(coll);
  }, () => undefined);
  for (const [k, v] of pairs ?? []) {
    const names: Record<string, Value> = { [expr.valueVar]: v };
    if (expr.keyVar !== undefined) names[expr.keyVar] = k;
    const key = orElse<Value | undefined>(() => evaluate(expr.keyExpr!, childScope(scope, names)), () => undefined);
    if (key !== undefined && !isUnknown(key) && keyString(key) === wanted) return keyString(k);
  }
  return undefined;
}

function children(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'template':
      return expr.parts.flatMap((p) => (p.kind === 'interpolation' ? [p.expr] : p.kind === 'if' ? [p.cond] : p.kind === 'for' ? [p.collection] : []));
    case 'tuple':
      return expr.items;
    case 'object':
      return expr.items.flatMap((i) => [i.key, i.value]);
    case 'traversal':
      return [expr.base];
    case 'call':
      return expr.args;
    case 'conditional':
      return [expr.cond, expr.then, expr.else];
    case 'unary':
      return [expr.operand];
    case 'binary':
      return [expr.left, expr.right];
    case 'for':
      return [expr.collection, expr.valueExpr];
    default:
      return [];
  }
}

/**
 * An attribute that is exactly `each.value` (or a path into it) comes from one element of the
 * for_each collection: that element is the line to change, more specific than the use site.
 */
function iteratorElement(expr: Expr, scope: Scope, depth: number): FilePosition | undefined {
  if (expr.kind !== 'traversal' || expr.base.kind !== 'variable' || depth > MAX_DEPTH) return undefined;
  const it = scope.iterators?.get(expr.base.name);
  const first = expr.steps[0];
  if (!it || first?.kind !== 'attr' || first.name !== 'value') return undefined;
  return descend(it.expr, it.scope, it.file, [it.key, ...literalPath(expr.steps.slice(1), scope)], true, depth + 1);
}

/**
 * Where the element `key` of a collection expression is written in a module caller's input (the
 * entry of a node group map a module's for_each takes): undefined when no caller writes it.
 */
export function elementOrigin(expr: Expr, scope: Scope, file: string, key: string): FilePosition | undefined {
  return descend(expr, scope, file, [key], false, 0);
}

/** Where the value of an expression comes from: the caller's input when a module variable carries it, else the expression. */
export function originOf(expr: Expr, scope: Scope, file: string, depth = 0): FilePosition {
  return tracedOrigin(expr, scope, file, depth) ?? at(expr.pos, file);
}

/** `originOf` when the value comes from elsewhere than the expression itself; undefined when it does not. */
export function tracedOrigin(expr: Expr, scope: Scope, file: string, depth = 0): FilePosition | undefined {
  const element = iteratorElement(expr, scope, depth) ?? lookedUp(expr, scope, file, depth);
  if (element) return element;
  // Only a module's caller can place a value elsewhere (an iterator's element is handled above).
  if (scope.resolver.hasCaller === false || depth >= MAX_DEPTH) return undefined;
  const found: FilePosition[] = [];
  callerOrigins(expr, scope, found, depth);
  return found[0];
}

function setOnce(out: PositionMap, p: string, pos: FilePosition): void {
  if (out[p] === undefined) out[p] = pos;
}

/** Records positions of the parts of a structured value under `pointer` (objects, tuples, JSON strings, references). */
export function walkPositions(expr: Expr, scope: Scope, file: string, pointer: string, out: PositionMap, depth = 0): void {
  if (depth > MAX_DEPTH) return;
  switch (expr.kind) {
    case 'object':
      for (const item of expr.items) {
        const key = item.keyName ?? orElse<string | undefined>(() => keyString(evaluate(item.key, scope)), () => undefined);
        if (key === undefined) continue;
        const p = child(pointer, key);
        const structured = item.value.kind === 'object' || item.value.kind === 'tuple' || item.value.kind === 'for';
        // An origin on the value's own line is the item's line: the item (key and value) is shown.
        const origin = structured ? undefined : tracedOrigin(item.value, scope, file, depth + 1);
        setOnce(out, p, origin && (origin.file !== file || origin.line !== item.value.pos.line) ? origin : at(item.pos, file));
        walkPositions(item.value, scope, file, p, out, depth + 1);
      }
      return;
    case 'tuple':
      expr.items.forEach((item, i) => {
        const p = child(pointer, i);
        setOnce(out, p, originOf(item, scope, file, depth + 1));
        walkPositions(item, scope, file, p, out, depth + 1);
      });
      return;
    case 'call':
      if (STRUCTURE_KEEPING.has(expr.name) && expr.args[0]) {
        walkPositions(expr.args[0], scope, file, pointer, out, depth + 1);
      }
      return;
    case 'conditional': {
      // An invalid condition has no branch to follow.
      const c = orElse<Value | undefined>(() => evaluate(expr.cond, scope), () => undefined);
      if (c !== undefined && !isUnknown(c)) walkPositions(toBool(c) ? expr.then : expr.else, scope, file, pointer, out, depth + 1);
      return;
    }
    case 'template': {
      const v = orElse<Value | undefined>(() => evaluate(expr, scope), () => undefined);
      if (v === undefined) return;
      const text = scope.resolver.fileText?.(file);
      if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
        const decoded = decodeJsonPieces(literalPieces(expr, v, scope), text);
        if (decoded) for (const [p, pos] of Object.entries(decoded.positions)) if (p !== '') setOnce(out, pointer + p, at(pos, file));
      } else if (isUnknown(v)) {
        const pieces = templatePieces.get(v);
        const decoded = pieces ? decodeJsonPieces(pieces, text) : undefined;
        if (decoded) for (const [p, pos] of Object.entries(decoded.positions)) if (p !== '') setOnce(out, pointer + p, at(pos, file));
      }
      return;
    }
    case 'variable':
    case 'traversal': {
      const root = expr.kind === 'variable' ? expr.name : expr.base.kind === 'variable' ? expr.base.name : undefined;
      if (root === undefined || scope.bindings.has(root)) return;
      const steps = expr.kind === 'traversal' ? expr.steps : [];
      const o = scope.resolver.origin(root, steps);
      if (o && o.used === steps.length) walkPositions(o.expr, o.scope, o.file, pointer, out, depth + 1);
      else if (root === 'data') scope.resolver.dataPositions?.(steps, pointer, out, scope);
      return;
    }
    default:
      return;
  }
}

/** A fully known template: one piece per literal or interpolation so offsets map back to the file. */
function literalPieces(expr: Extract<Expr, { kind: 'template' }>, value: string, scope: Scope): Piece[] {
  const allLiteral = expr.parts.every((p) => p.kind === 'literal');
  if (allLiteral) return expr.parts.map((p) => (p.kind === 'literal' ? { text: p.text, fileStart: p.start } : { text: '' }));
  // Positions are best effort: a template that cannot be rendered again maps to its start.
  const pieces = orElse<Piece[] | undefined>(() => renderTemplate(expr, scope), () => undefined);
  if (pieces && pieces.map((p) => ('text' in p ? p.text : '')).join('') === value) return pieces;
  return [{ text: value }];
}
