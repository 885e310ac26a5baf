/** `data "aws_iam_policy_document"`: the policy JSON the AWS provider renders, with positions in the data block. */
import type { PositionMap } from '../../model/types.js';
import { child, join } from '../../util/pointer.js';
import type { Attribute, Block } from './ast.js';
import { expandBlocks, safeEvaluate } from './body.js';
import type { Scope } from './evaluator.js';
import { orElse } from './evaluation-error.js';
import { type FilePosition, elementOrigin, tracedOrigin, walkPositions } from './origins.js';
import { type ObjectValue, type Value, encodedValue, isObject, isUnknown, mkUnknown, newObject, parseJsonValue } from './values.js';

export interface RenderedPolicy {
  document: ObjectValue;
  /** Pointers relative to the document. */
  positions: PositionMap;
}

function here(block: { pos: FilePosition | Block['pos']; file?: string }, file: string): FilePosition {
  return { ...block.pos, file: block.file ?? file };
}

/** The provider writes a one-element list as a plain string. */
function collapse(v: Value): Value {
  return Array.isArray(v) && v.length === 1 ? v[0]! : v;
}

/** Where a value is written: the caller's input when it comes from a module caller, else the attribute. */
function attrPosition(attr: Attribute, scope: Scope): FilePosition {
  const origin = tracedOrigin(attr.expr, scope, attr.file);
  if (origin && (origin.file !== attr.file || origin.line !== attr.expr.pos.line)) return origin;
  return { ...attr.pos, file: attr.file };
}

const LISTS: [string, string][] = [
  ['actions', 'Action'],
  ['not_actions', 'NotAction'],
  ['resources', 'Resource'],
  ['not_resources', 'NotResource'],
];

const PRINCIPAL_BLOCKS = [
  ['principals', 'Principal'],
  ['not_principals', 'NotPrincipal'],
] as const;

export function renderPolicyDocument(block: Block, scope: Scope): RenderedPolicy {
  const positions: PositionMap = Object.create(null) as PositionMap;
  const statements: Value[] = [];
  const attr = (b: Block, name: string) => b.body.attributes.find((a) => a.name === name);
  const expanded = expandBlocks(block.body, scope);
  const statementBlocks = expanded === 'unknown-dynamic' ? [] : expanded.filter((e) => e.type === 'statement');
  for (const { block: st, scope: s, element } of statementBlocks) {
    const i = statements.length;
    const base = join('', 'Statement', i);
    // A statement a module makes per element of a caller's input (`oidc_providers`) is shown at that element.
    positions[base] = (element && elementOrigin(element.expr, element.scope, element.file, element.key)) || here(st, st.file);
    const out = newObject();
    // An argument that evaluates to null is unset (a module passing an optional() attribute on): effect is then Allow.
    const sid = attr(st, 'sid');
    const sidValue = sid ? safeEvaluate(sid, s) : null;
    if (sid && sidValue !== null) {
      out.Sid = sidValue;
      positions[child(base, 'Sid')] = attrPosition(sid, s);
    }
    const effect = attr(st, 'effect');
    const effectValue = effect ? safeEvaluate(effect, s) : null;
    out.Effect = effectValue ?? 'Allow';
    if (effect && effectValue !== null) positions[child(base, 'Effect')] = attrPosition(effect, s);
    for (const [name, key] of LISTS) {
      const a = attr(st, name);
      const v = a ? safeEvaluate(a, s) : null;
      if (!a || v === null) continue;
      out[key] = collapse(v);
      positions[child(base, key)] = attrPosition(a, s);
    }
    const inner = expandBlocks(st.body, s);
    if (inner === 'unknown-dynamic') {
      out.Condition = mkUnknown('dynamic block');
      statements.push(out);
      continue;
    }
    for (const [blockType, key] of PRINCIPAL_BLOCKS) {
      for (const { block: pb, scope: ps } of inner.filter((b) => b.type === blockType)) {
        const typeAttr = attr(pb, 'type');
        const ids = attr(pb, 'identifiers');
        const type = typeAttr ? safeEvaluate(typeAttr, ps) : null;
        const identifiers = ids ? safeEvaluate(ids, ps) : [];
        const pointer = child(base, key);
        if (positions[pointer] === undefined) positions[pointer] = here(pb, pb.file);
        if (type === '*') {
          out[key] = '*';
          continue;
        }
        const typeKey = typeof type === 'string' ? type : isUnknown(type) ? `\${${type.$unknown}}` : 'null';
        const principal = isObject(out[key]) ? (out[key] as ObjectValue) : newObject();
        const merged = Array.isArray(principal[typeKey]) && Array.isArray(identifiers) ? [...(principal[typeKey] as Value[]), ...identifiers] : identifiers;
        principal[typeKey] = collapse(merged);
        out[key] = principal;
        positions[child(pointer, typeKey)] = ids ? attrPosition(ids, ps) : here(pb, pb.file);
      }
    }
    for (const { block: cb, scope: cs } of inner.filter((b) => b.type === 'condition')) {
      const testAttr = attr(cb, 'test');
      const variableAttr = attr(cb, 'variable');
      const valuesAttr = attr(cb, 'values');
      const test = testAttr ? safeEvaluate(testAttr, cs) : null;
      const variable = variableAttr ? safeEvaluate(variableAttr, cs) : null;
      const values = valuesAttr ? safeEvaluate(valuesAttr, cs) : [];
      const testKey = typeof test === 'string' ? test : isUnknown(test) ? `\${${test.$unknown}}` : 'null';
      const variableKey = typeof variable === 'string' ? variable : isUnknown(variable) ? unknownKey(variable) : 'null';
      const pointer = child(base, 'Condition');
      if (positions[pointer] === undefined) positions[pointer] = here(cb, cb.file);
      const condition = isObject(out.Condition) ? (out.Condition as ObjectValue) : newObject();
      const byKey = isObject(condition[testKey]) ? (condition[testKey] as ObjectValue) : newObject();
      const previous = byKey[variableKey];
      const earlier = previous === undefined ? [] : Array.isArray(previous) ? previous : [previous];
      byKey[variableKey] = collapse(Array.isArray(values) ? [...earlier, ...values] : values);
      condition[testKey] = byKey;
      out.Condition = condition;
      if (positions[child(pointer, testKey)] === undefined) positions[child(pointer, testKey)] = here(cb, cb.file);
      const vp = variableAttr ? attrPosition(variableAttr, cs) : here(cb, cb.file);
      const valuesPos = valuesAttr ? attrPosition(valuesAttr, cs) : undefined;
      const variablePointer = join(pointer, testKey, variableKey);
      positions[variablePointer] = valuesPos && valuesPos.file !== cb.file ? valuesPos : vp;
      if (valuesAttr && valuesPos && Array.isArray(values)) valuePositions(valuesAttr, cs, values.length, earlier.length, variablePointer, valuesPos, positions);
    }
    statements.push(out);
  }
  const document = newObject();
  document.Version = '2012-10-17';
  const version = attr(block, 'version');
  if (version) document.Version = safeEvaluate(version, scope);
  const merged = mergeDocuments(block, scope, statements);
  document.Statement = merged;
  positions[''] = here(block, block.file);
  return { document, positions };
}

/** One position per entry of a condition's `values` (its own line in a multi-line list), after `offset` earlier entries. */
function valuePositions(attr: Attribute, scope: Scope, count: number, offset: number, pointer: string, fallback: FilePosition, out: PositionMap): void {
  const entries: PositionMap = Object.create(null) as PositionMap;
  // Where entries cannot be traced they share the attribute's position.
  orElse(() => walkPositions(attr.expr, scope, attr.file, '', entries), () => undefined);
  for (let i = 0; i < count; i++) out[child(pointer, offset + i)] = entries[child('', i)] ?? fallback;
}

function unknownKey(u: { $unknown: string }): string {
  return u.$unknown.includes('${') ? u.$unknown : '${' + u.$unknown + '}';
}

function statementsOf(v: Value): Value[] | undefined {
  let doc: Value = v;
  if (isUnknown(v)) doc = encodedValue.get(v) ?? v;
  else if (typeof v === 'string') doc = parseJsonValue(v) ?? null;
  if (!isObject(doc)) return undefined;
  const st = doc.Statement;
  return Array.isArray(st) ? st : isObject(st) ? [st] : undefined;
}

/** source_policy_documents come first (same Sid replaced by this document), override_policy_documents replace by Sid. */
function mergeDocuments(block: Block, scope: Scope, own: Value[]): Value {
  const sidOf = (s: Value) => (isObject(s) && typeof s.Sid === 'string' ? s.Sid : undefined);
  const read = (name: string): Value[] | 'unknown' => {
    const a = block.body.attributes.find((x) => x.name === name);
    if (!a) return [];
    const v = safeEvaluate(a, scope);
    if (!Array.isArray(v)) return 'unknown';
    const out: Value[] = [];
    for (const d of v) {
      const st = statementsOf(d);
      if (!st) return 'unknown';
      out.push(...st);
    }
    return out;
  };
  const source = read('source_policy_documents');
  const override = read('override_policy_documents');
  if (source === 'unknown' || override === 'unknown') return [...own, mkUnknown('policy documents merged from unknown sources')];
  let result: Value[] = source.filter((s) => !sidOf(s) || !own.some((o) => sidOf(o) === sidOf(s)));
  result = [...result, ...own];
  for (const o of override) {
    const i = result.findIndex((r) => sidOf(r) !== undefined && sidOf(r) === sidOf(o));
    if (i >= 0) result[i] = o;
    else result.push(o);
  }
  return result;
}
