/** Evaluates HCL expressions to values; what cannot be known statically becomes an Unknown. */
import type { CoverageNote, PositionMap } from '../../model/types.js';
import { NestingTooDeep } from '../../util/nesting.js';
import type { Expr, TemplatePart, TraversalStep } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { EvaluationError, EvaluationLimit, isRecoverable } from './evaluation-error.js';
import type { EvaluationBudget } from './evaluation-budget.js';
import {
  type Value, type Piece, isUnknown, isObject, newObject, mkUnknown, toStr, toNum, toBool, equalValues, templatePieces, unknownText,
} from './values.js';

/** Answers the roots of references a scope does not bind itself (`var.x`, `local.y`, `aws_iam_role.r.arn`). */
export interface Resolver {
  /** Returns the value and how many traversal steps it consumed, or undefined for an unknown root. */
  resolve(root: string, steps: TraversalStep[], scope: Scope, expr: Expr): { value: Value; used: number } | undefined;
  /** Where a reference's value is written: a local's expression, or a module caller's input (`caller` true). */
  origin(root: string, steps: TraversalStep[]): Origin | undefined;
  /** False when no module caller passes this module inputs (a root module): then no value comes from a caller. */
  readonly hasCaller?: boolean;
  /** The text of a file of the module, to map JSON inside strings back to lines. */
  fileText?(file: string): string | undefined;
  /**
   * What decides the content of a block of this module a reference names, for positions only: a policy's
   * `policy` argument, the `for_each` of a policy document's `dynamic "statement"` (the caller's statements).
   */
  contentOrigin?(root: string, steps: TraversalStep[], scope: Scope): Origin | undefined;
  /** Positions inside a data source's rendered value (`data.aws_iam_policy_document.x.json`); `scope` evaluates an index (`x[each.key]`). */
  dataPositions?(steps: TraversalStep[], pointer: string, out: PositionMap, scope?: Scope): void;
  /** The evaluation budget of the root module this scope belongs to. */
  readonly budget?: EvaluationBudget;
  /** How deep evaluation is nested now: one object for every resolver of a collection. */
  readonly nesting?: EvaluationNesting;
  /** Records a coverage note (an evaluation cut short at `--max-depth`). */
  note?(note: CoverageNote): void;
  /** A function Terraform does not have but the language around it does (Terragrunt's); undefined: unknown. */
  call?(name: string, args: Value[], expr: Expr): Value | undefined;
}

/**
 * Evaluation recurses once per level of an expression and once per reference it follows (a local
 * whose value refers to another local...), so what it builds can nest far deeper than any one
 * expression: past `max` it stops with a {@link NestingTooDeep}.
 */
export interface EvaluationNesting {
  depth: number;
  readonly max: number;
}

export interface Origin {
  expr: Expr;
  scope: Scope;
  file: string;
  caller: boolean;
  /** Steps the origin consumed (`var.x` → 1). */
  used: number;
}

export interface Scope {
  resolver: Resolver;
  /** Names bound by `for`, `each`, `count`, dynamic iterators. */
  bindings: Map<string, Value>;
  /** For iterator bindings (`each`, a dynamic block's iterator): the collection expression and the element's key, to trace positions. */
  iterators?: Map<string, IteratorOrigin>;
}

export interface IteratorOrigin {
  expr: Expr;
  scope: Scope;
  file: string;
  key: string;
}

export function childScope(scope: Scope, names: Record<string, Value>, iterators?: Record<string, IteratorOrigin>): Scope {
  const bindings = new Map(scope.bindings);
  for (const [k, v] of Object.entries(names)) bindings.set(k, v);
  const out: Scope = { resolver: scope.resolver, bindings };
  if (scope.iterators || iterators) {
    const its = new Map(scope.iterators ?? []);
    for (const k of Object.keys(names)) its.delete(k);
    for (const [k, v] of Object.entries(iterators ?? {})) its.set(k, v);
    out.iterators = its;
  }
  return out;
}

const MAX_ITEMS = 10_000;

/** Evaluates an expression written in `file` (the budget names that file if it runs out there). */
export function evaluateIn(expr: Expr, scope: Scope, file: string): Value {
  const budget = scope.resolver.budget;
  if (!budget) return evaluate(expr, scope);
  const outer = budget.enter(file, expr.pos.line);
  try {
    return evaluate(expr, scope);
  } catch (e) {
    budget.passing(e, expr.pos.line);
    throw e;
  } finally {
    budget.leave(outer);
  }
}

export function evaluate(expr: Expr, scope: Scope): Value {
  scope.resolver.budget?.step(expr.pos.line);
  const nesting = scope.resolver.nesting;
  if (nesting === undefined) return evaluateExpr(expr, scope);
  if (nesting.depth >= nesting.max) throw new NestingTooDeep(nesting.max);
  nesting.depth++;
  try {
    return evaluateExpr(expr, scope);
  } finally {
    nesting.depth--;
  }
}

function evaluateExpr(expr: Expr, scope: Scope): Value {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'template':
      return evalTemplate(expr.parts, scope, expr, true);
    case 'tuple':
      return expr.items.map((i) => evaluate(i, scope));
    case 'object': {
      const out = newObject();
      for (const item of expr.items) {
        const key = item.keyName ?? evaluate(item.key, scope);
        const value = evaluate(item.value, scope);
        out[keyString(key)] = value;
      }
      return out;
    }
    case 'variable':
      return traverse(expr.name, [], scope, expr);
    case 'traversal': {
      if (expr.base.kind === 'variable') return traverse(expr.base.name, expr.steps, scope, expr);
      return applySteps(evaluate(expr.base, scope), expr.steps, scope, expr.text);
    }
    case 'call':
      return evalCall(expr, scope);
    case 'conditional': {
      const c = evaluate(expr.cond, scope);
      if (isUnknown(c)) return mkUnknown(expr.text);
      const b = toBool(c);
      if (b === undefined) throw new EvaluationError('condition is not a bool');
      return evaluate(b ? expr.then : expr.else, scope);
    }
    case 'unary': {
      const v = evaluate(expr.operand, scope);
      if (isUnknown(v)) return mkUnknown(expr.text);
      if (expr.op === '!') return !toBool(v);
      return -(toNum(v) ?? NaN);
    }
    case 'binary':
      return evalBinary(expr, scope);
    case 'for':
      return evalFor(expr, scope);
    case 'invalid':
      return mkUnknown(expr.text);
  }
}

/** An object key: a string, or the readable text of an unresolved key. */
export function keyString(key: Value): string {
  if (isUnknown(key)) return unknownText(key);
  const s = toStr(key);
  if (s === undefined) throw new EvaluationError('object key is not a string');
  return s;
}

function traverse(root: string, steps: TraversalStep[], scope: Scope, expr: Expr): Value {
  if (scope.bindings.has(root)) return applySteps(scope.bindings.get(root)!, steps, scope, expr.text);
  const resolved = scope.resolver.resolve(root, steps, scope, expr);
  if (!resolved) return mkUnknown(expr.text);
  return applySteps(resolved.value, steps.slice(resolved.used), scope, expr.text);
}

export function applySteps(value: Value, steps: TraversalStep[], scope: Scope, text: string): Value {
  let cur = value;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (isUnknown(cur)) return extendUnknown(cur, steps.slice(i), text);
    if (step.kind === 'splat') {
      const items = cur === null ? [] : Array.isArray(cur) ? cur : [cur];
      const rest = steps.slice(i + 1);
      return items.map((item) => applySteps(applySteps(item, step.steps, scope, text), rest, scope, text));
    }
    if (step.kind === 'attr') {
      if (!isObject(cur)) throw new EvaluationError(`cannot read .${step.name}`);
      if (!(step.name in cur)) throw new EvaluationError(`no attribute ${step.name}`);
      cur = cur[step.name]!;
      continue;
    }
    const key = evaluate(step.key, scope);
    if (isUnknown(key)) return mkUnknown(text);
    if (Array.isArray(cur)) {
      const n = toNum(key);
      if (n === undefined || n < 0 || n >= cur.length) throw new EvaluationError('index out of range');
      cur = cur[n]!;
    } else if (isObject(cur)) {
      const k = keyString(key);
      if (!(k in cur)) throw new EvaluationError(`no key ${k}`);
      cur = cur[k]!;
    } else {
      throw new EvaluationError('cannot index');
    }
  }
  return cur;
}

/** Reading into an unknown value: still unknown, and still about the same resource, one attribute deeper. */
function extendUnknown(u: Value & object, steps: TraversalStep[], text: string): Value {
  const base = u as { ref?: { id: string; attribute: string } };
  if (!base.ref) return mkUnknown(text);
  const names: string[] = [];
  for (const s of steps) if (s.kind === 'attr') names.push(s.name);
  const attribute = [base.ref.attribute, ...names].filter((x) => x !== '').join('.');
  return mkUnknown(text, { ref: { id: base.ref.id, attribute } });
}

function evalTemplate(parts: TemplatePart[], scope: Scope, expr: Expr, top: boolean): Value {
  if (top && parts.length === 1 && parts[0]!.kind === 'interpolation') return evaluate(parts[0]!.expr, scope);
  const pieces = renderParts(parts, scope);
  if (!pieces.some((p) => 'unknown' in p)) return pieces.map((p) => ('text' in p ? p.text : '')).join('');
  const firstUnknown = pieces.findIndex((p) => 'unknown' in p);
  let lastUnknown = -1;
  pieces.forEach((p, i) => {
    if ('unknown' in p) lastUnknown = i;
  });
  const textOf = (p: Piece) => ('text' in p ? p.text : unknownText(p.unknown));
  const before = pieces.slice(0, firstUnknown).map(textOf).join('');
  const after = pieces.slice(lastUnknown + 1).map(textOf).join('');
  const first = pieces[firstUnknown] as { unknown: { prefix?: string } };
  const last = pieces[lastUnknown] as { unknown: { suffix?: string } };
  const prefix = before + (first.unknown.prefix ?? '');
  const suffix = (last.unknown.suffix ?? '') + after;
  const u = mkUnknown(pieces.map(textOf).join(''), { prefix, suffix });
  templatePieces.set(u, pieces);
  return u;
}

/** The pieces of a template as evaluated, each with where it is written, to map text offsets back to the file. */
export function renderTemplate(expr: Extract<Expr, { kind: 'template' }>, scope: Scope): Piece[] {
  return renderParts(expr.parts, scope);
}

function renderParts(parts: TemplatePart[], scope: Scope): Piece[] {
  const out: Piece[] = [];
  for (const part of parts) {
    switch (part.kind) {
      case 'literal':
        out.push({ text: part.text, fileStart: part.start });
        break;
      case 'interpolation': {
        const v = evaluate(part.expr, scope);
        if (isUnknown(v)) {
          const inner = templatePieces.get(v);
          if (inner) out.push(...inner);
          else out.push({ unknown: v, fileStart: part.expr.start, sourceLength: part.expr.end - part.expr.start });
        } else {
          const s = toStr(v);
          if (s === undefined && v !== null) throw new EvaluationError('cannot interpolate a collection');
          out.push({ text: s ?? '', fileStart: part.expr.start, sourceLength: part.expr.end - part.expr.start });
        }
        break;
      }
      case 'if': {
        const c = evaluate(part.cond, scope);
        if (isUnknown(c)) {
          out.push({ unknown: mkUnknown('%{if}') });
          break;
        }
        out.push(...renderParts(toBool(c) ? part.then : part.else, scope));
        break;
      }
      case 'for': {
        const coll = evaluate(part.collection, scope);
        if (isUnknown(coll)) {
          out.push({ unknown: mkUnknown('%{for}') });
          break;
        }
        for (const [k, v] of entries(coll)) {
          scope.resolver.budget?.step(part.collection.pos.line);
          const names: Record<string, Value> = { [part.valueVar]: v };
          if (part.keyVar) names[part.keyVar] = k;
          out.push(...renderParts(part.body, childScope(scope, names)));
        }
        break;
      }
    }
  }
  return out;
}

/** Key/value pairs of a collection in Terraform's iteration order (maps by sorted key). */
export function entries(coll: Value): [Value, Value][] {
  if (Array.isArray(coll)) return coll.map((v, i) => [i, v]);
  if (isObject(coll)) return Object.keys(coll).sort().map((k) => [k, coll[k]!]);
  throw new EvaluationError('not a collection');
}

function evalCall(expr: Extract<Expr, { kind: 'call' }>, scope: Scope): Value {
  const name = expr.name.includes('::') ? expr.name.slice(expr.name.lastIndexOf('::') + 2) : expr.name;
  if (name === 'try') {
    for (const a of expr.args) {
      try {
        return evaluate(a, scope);
      } catch (e) {
        if (!isRecoverable(e)) throw e;
      }
    }
    throw new EvaluationError('no argument of try succeeded');
  }
  if (name === 'can') {
    const arg = expr.args[0];
    if (!arg) throw new EvaluationError('can() takes one argument');
    try {
      const v = evaluate(arg, scope);
      return isUnknown(v) ? mkUnknown(expr.text) : true;
    } catch (e) {
      if (isRecoverable(e)) return false;
      throw e;
    }
  }
  const fn = FUNCTIONS[name];
  let args = expr.args.map((a) => evaluate(a, scope));
  if (!fn) return scope.resolver.call?.(name, args, expr) ?? mkUnknown(expr.text);
  if (expr.expandLast && args.length > 0) {
    const last = args[args.length - 1]!;
    if (isUnknown(last)) return mkUnknown(expr.text);
    args = [...args.slice(0, -1), ...(Array.isArray(last) ? last : isObject(last) ? Object.values(last) : [last])];
  }
  return fn(args, expr.text);
}

function evalBinary(expr: Extract<Expr, { kind: 'binary' }>, scope: Scope): Value {
  const l = evaluate(expr.left, scope);
  if (expr.op === '&&' && l === false) return false;
  if (expr.op === '||' && l === true) return true;
  const r = evaluate(expr.right, scope);
  if (isUnknown(l) || isUnknown(r)) return mkUnknown(expr.text);
  switch (expr.op) {
    case '==':
      return equalValues(l, r);
    case '!=':
      return !equalValues(l, r);
    case '&&':
      return toBool(l) === true && toBool(r) === true;
    case '||':
      return toBool(l) === true || toBool(r) === true;
  }
  const a = toNum(l);
  const b = toNum(r);
  if (a === undefined || b === undefined) throw new EvaluationError(`operator ${expr.op} needs numbers`);
  switch (expr.op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '%': return a % b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    case '>=': return a >= b;
  }
  throw new EvaluationError(`unknown operator ${expr.op}`);
}

function evalFor(expr: Extract<Expr, { kind: 'for' }>, scope: Scope): Value {
  const coll = evaluate(expr.collection, scope);
  if (isUnknown(coll)) return mkUnknown(expr.text);
  const pairs = entries(coll);
  if (pairs.length > MAX_ITEMS) {
    const file = scope.resolver.budget?.evaluating;
    scope.resolver.note?.({ kind: 'limit', level: 'error', ...(file ? { file } : {}), line: expr.pos.line, message: `a for expression over more than ${MAX_ITEMS} items is not evaluated (a limit of podtrust's, not Terraform's); its value is unknown` });
    throw new EvaluationLimit('collection too large');
  }
  const out: Value[] = [];
  const obj = newObject();
  for (const [k, v] of pairs) {
    scope.resolver.budget?.step(expr.pos.line);
    const names: Record<string, Value> = { [expr.valueVar]: v };
    if (expr.keyVar) names[expr.keyVar] = k;
    const inner = childScope(scope, names);
    if (expr.cond) {
      const c = evaluate(expr.cond, inner);
      if (isUnknown(c)) return mkUnknown(expr.text);
      if (toBool(c) !== true) continue;
    }
    const value = evaluate(expr.valueExpr, inner);
    if (!expr.object) {
      out.push(value);
      continue;
    }
    const key = evaluate(expr.keyExpr!, inner);
    if (isUnknown(key)) return mkUnknown(expr.text);
    const ks = keyString(key);
    if (expr.group) ((obj[ks] ??= []) as Value[]).push(value);
    else obj[ks] = value;
  }
  return expr.object ? obj : out;
}
