/**
 * A variable's type constraint, as far as it changes the value a module sees: object attributes
 * the type does not declare are dropped, and `optional(type, default)` attributes a caller leaves
 * out (or sets to null) take their default, at any depth (`map(object({ ... }))`).
 */
import type { Expr } from './ast.js';
import { type Scope, evaluate } from './evaluator.js';
import { orElse } from './evaluation-error.js';
import { type ObjectValue, type Value, isObject, isUnknown, newObject } from './values.js';

export type TypeSpec =
  | { kind: 'any' }
  | { kind: 'object'; attributes: Map<string, AttributeSpec> }
  | { kind: 'collection'; element: TypeSpec }
  | { kind: 'tuple'; elements: TypeSpec[] };

export interface AttributeSpec {
  type: TypeSpec;
  optional: boolean;
  default?: Expr;
}

const ANY: TypeSpec = { kind: 'any' };
const MAX_TYPE_DEPTH = 32;

/** Reads a type expression (`object({ a = optional(bool, true) })`); what it does not know is `any`. */
export function parseType(expr: Expr, depth = 0): TypeSpec {
  if (depth > MAX_TYPE_DEPTH || expr.kind !== 'call') return ANY;
  const [arg] = expr.args;
  if (!arg) return ANY;
  switch (expr.name) {
    case 'object': {
      if (arg.kind !== 'object') return ANY;
      const attributes = new Map<string, AttributeSpec>();
      for (const item of arg.items) {
        const name = item.keyName ?? (item.key.kind === 'literal' && typeof item.key.value === 'string' ? item.key.value : undefined);
        if (name === undefined) return ANY;
        attributes.set(name, attributeSpec(item.value, depth + 1));
      }
      return { kind: 'object', attributes };
    }
    case 'map':
    case 'list':
    case 'set':
      return { kind: 'collection', element: parseType(arg, depth + 1) };
    case 'tuple':
      return arg.kind === 'tuple' ? { kind: 'tuple', elements: arg.items.map((i) => parseType(i, depth + 1)) } : ANY;
    default:
      return ANY;
  }
}

function attributeSpec(expr: Expr, depth: number): AttributeSpec {
  if (expr.kind === 'call' && expr.name === 'optional' && expr.args[0]) {
    const spec: AttributeSpec = { type: parseType(expr.args[0], depth), optional: true };
    if (expr.args[1]) spec.default = expr.args[1];
    return spec;
  }
  return { type: parseType(expr, depth), optional: false };
}

/** Whether a type changes any value (objects do; `string`, `map(string)` and `any` do not). */
export function shapesValues(type: TypeSpec): boolean {
  switch (type.kind) {
    case 'any':
      return false;
    case 'object':
      return true;
    case 'collection':
      return shapesValues(type.element);
    case 'tuple':
      return type.elements.some(shapesValues);
  }
}

/**
 * The value converted to the type as Terraform converts a module input: undeclared object attributes
 * dropped, left-out optional attributes set to their default or null. `scope` evaluates the defaults.
 */
export function conform(value: Value, type: TypeSpec, scope: Scope, depth = 0): Value {
  if (depth > MAX_TYPE_DEPTH || value === null || isUnknown(value)) return value;
  switch (type.kind) {
    case 'any':
      return value;
    case 'collection':
      if (Array.isArray(value)) return value.map((v) => conform(v, type.element, scope, depth + 1));
      if (isObject(value)) return mapValues(value, (v) => conform(v, type.element, scope, depth + 1));
      return value;
    case 'tuple':
      return Array.isArray(value) ? value.map((v, i) => conform(v, type.elements[i] ?? ANY, scope, depth + 1)) : value;
    case 'object': {
      if (!isObject(value)) return value;
      const out = newObject();
      for (const [name, spec] of type.attributes) {
        let v: Value | undefined = value[name];
        if ((v === undefined || v === null) && spec.optional) {
          const d = spec.default;
          v = d === undefined ? null : orElse<Value>(() => evaluate(d, scope), () => null);
        }
        if (v === undefined) continue;
        out[name] = conform(v, spec.type, scope, depth + 1);
      }
      return out;
    }
  }
}

function mapValues(o: ObjectValue, f: (v: Value) => Value): ObjectValue {
  const out = newObject();
  for (const k of Object.keys(o)) out[k] = f(o[k]!);
  return out;
}
