/**
 * Policy documents written as JSON strings (`AssumeRolePolicyDocument: !Sub |` — IRSA
 * templates need this because intrinsic functions cannot be map keys). The JSON is parsed
 * with `${...}` replaced by placeholders, the placeholders are turned back into known
 * strings or Unknowns, and every position is mapped back into the template file.
 */
import type { CoverageNote, JsonValue, Position } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { get, join, parent } from '../../util/pointer.js';
import { createObject, type StructuredLimits } from '../../util/structured.js';
import { parseMappedJson, type TextPosition } from '../mapped-json.js';
import { asObject, NO_VALUE, parseSubTemplate, type Part, type Sink, type SubSegment, type TemplateContext } from './intrinsics.js';
import { stringSourceMapper, type OffsetMapper } from './string-source.js';

export interface EmbeddedContext {
  ctx: TemplateContext;
  fileText: string;
  file: string;
  limits: StructuredLimits;
  notes: CoverageNote[];
}

/**
 * Resolves a property that holds JSON: an object, a JSON string, or JSON text built with `Fn::Sub`
 * or `Fn::Join` (as CDK writes trust conditions and Kubernetes manifests). `what` names it in notes.
 */
export function resolvePolicyDocument(env: EmbeddedContext, node: JsonValue, docPtr: string, outPtr: string, sink: Sink, what = 'policy document'): JsonValue {
  const { ctx } = env;
  const obj = asObject(node);
  const keys = obj ? Object.keys(obj) : [];
  if (typeof node === 'string') {
    return embedded(env, node, docPtr, [{ kind: 'text', text: node, offset: 0, length: node.length }], new Map(), outPtr, sink, what);
  }
  if (obj && keys.length === 1 && keys[0] === 'Fn::Sub') {
    const { template, templatePtr, variables } = ctx.subArgs(obj['Fn::Sub']!, ctx.argPtr(docPtr, 'Fn::Sub'));
    if (template !== undefined && /^\s*[{[]/.test(template)) {
      return embedded(env, template, templatePtr, parseSubTemplate(template), variables, outPtr, sink, what);
    }
  }
  if (obj && keys.length === 1 && keys[0] === 'Fn::Join') {
    const joined = joinedJson(env, obj['Fn::Join']!, ctx.argPtr(docPtr, 'Fn::Join'), outPtr, sink, what);
    if (joined !== undefined) return joined;
  }
  const resolved = ctx.resolve(node, docPtr, outPtr, sink);
  if (resolved === NO_VALUE) return null;
  if (typeof resolved === 'string' && /^\s*[{[]/.test(resolved)) {
    // A string built by other functions: positions stay at the expression.
    const position = ctx.docPositions[docPtr];
    return parseEmbedded(env, resolved, () => position, new Map(), outPtr, sink, position, what);
  }
  return resolved;
}

/**
 * `Fn::Join` of a literal list whose text is JSON: each literal item keeps its own place in the
 * file (exact columns), each other item stands as one value at its own line.
 */
function joinedJson(env: EmbeddedContext, arg: JsonValue, at: string, outPtr: string, sink: Sink, what: string): JsonValue | undefined {
  if (!Array.isArray(arg) || arg.length !== 2 || typeof arg[0] !== 'string' || !Array.isArray(arg[1])) return undefined;
  const delimiter = arg[0];
  const items = arg[1];
  if (typeof items[0] !== 'string' || !/^\s*[{[]/.test(items[0])) return undefined;
  let text = '';
  const places: { line: number; column: number }[] = [];
  const slots = new Map<number, { name: string; value: JsonValue }>();
  const fallback = env.ctx.docPositions[at];
  const append = (piece: string, where: (k: number) => { line: number; column: number }) => {
    for (let k = 0; k < piece.length; k++) places.push(where(k));
    text += piece;
  };
  items.forEach((item, i) => {
    const itemPtr = `${at}/1/${i}`;
    const p = env.ctx.docPositions[itemPtr] ?? fallback;
    const here = () => (p ? { line: p.line, column: p.column } : { line: 1, column: 1 });
    if (i > 0) append(delimiter, here);
    if (typeof item === 'string') {
      const mapper = p ? stringSourceMapper(env.fileText, p, false, item) : here;
      append(item, mapper);
      return;
    }
    const value = env.ctx.value(item, itemPtr);
    const n = slots.size;
    slots.set(n, { name: isUnknown(value) ? value.$unknown : JSON.stringify(value), value });
    append(`@@podtrust${n}@@`, here);
  });
  const position = (o: number) => places[Math.max(0, Math.min(o, places.length - 1))];
  return parseEmbedded(env, text, position, slots, outPtr, sink, fallback, what);
}

const PLACEHOLDER = /@@podtrust(\d+)@@/g;

function embedded(
  env: EmbeddedContext,
  template: string,
  templatePtr: string,
  segments: SubSegment[],
  variables: Map<string, JsonValue>,
  outPtr: string,
  sink: Sink,
  what: string,
): JsonValue {
  const entry = env.ctx.docPositions[templatePtr];
  const parentValue = get(env.ctx.template, parent(templatePtr));
  const startsAtKey = templatePtr !== '' && !Array.isArray(parentValue);
  const mapper: OffsetMapper = entry ? stringSourceMapper(env.fileText, entry, startsAtKey, template) : () => ({ line: 1, column: 1 });
  let text = '';
  const toTemplate: number[] = [];
  const slots = new Map<number, { name: string; value: JsonValue }>();
  for (const seg of segments) {
    if (seg.kind === 'text') {
      for (let k = 0; k < seg.text.length; k++) toTemplate.push(seg.offset + Math.min(k, seg.length - 1));
      text += seg.text;
    } else {
      const n = slots.size;
      slots.set(n, { name: seg.name, value: env.ctx.subVariable(seg.name, variables) });
      const placeholder = `@@podtrust${n}@@`;
      for (let k = 0; k < placeholder.length; k++) toTemplate.push(seg.offset + Math.min(k, seg.length - 1));
      text += placeholder;
    }
  }
  const position = (o: number) => mapper(toTemplate[Math.max(0, Math.min(o, toTemplate.length - 1))] ?? 0);
  return parseEmbedded(env, text, position, slots, outPtr, sink, entry, what);
}

function parseEmbedded(
  env: EmbeddedContext,
  text: string,
  position: TextPosition,
  slots: Map<number, { name: string; value: JsonValue }>,
  outPtr: string,
  sink: Sink,
  fallback: Position | undefined,
  what: string,
): JsonValue {
  const parsed = parseMappedJson(env, text, position, fallback, what);
  if (!parsed) return env.ctx.unknownOf(`invalid ${what}`);
  const restore = (s: string, asKey: boolean): JsonValue => {
    if (!s.includes('@@podtrust')) return s;
    const parts: Part[] = [];
    let last = 0;
    for (const m of s.matchAll(PLACEHOLDER)) {
      parts.push(s.slice(last, m.index));
      const slot = slots.get(Number(m[1]));
      if (slot) parts.push(...env.ctx.partsOf(slot.value));
      last = m.index + m[0].length;
    }
    parts.push(s.slice(last));
    if (asKey) return parts.map((p) => (typeof p === 'string' ? p : '${' + p.expr + '}')).join('');
    return env.ctx.fromParts(parts);
  };
  const keyText = (s: string): string => {
    if (!s.includes('@@podtrust')) return s;
    // An unresolved key keeps its source text (`${OidcProvider}:sub`); known variables are substituted.
    return s.replace(PLACEHOLDER, (_, n: string) => {
      const slot = slots.get(Number(n));
      if (!slot) return '';
      const v = slot.value;
      return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '${' + slot.name + '}';
    });
  };
  const rebuild = (value: JsonValue, oldPtr: string, newPtr: string): JsonValue => {
    const p = parsed.positions[oldPtr];
    if (p) sink.positions[newPtr] = p;
    if (Array.isArray(value)) return value.map((v, i) => rebuild(v, `${oldPtr}/${i}`, `${newPtr}/${i}`));
    if (value !== null && typeof value === 'object' && !isUnknown(value)) {
      const out = createObject();
      for (const k of Object.keys(value)) {
        const nk = keyText(k);
        out[nk] = rebuild(value[k]!, join(oldPtr, k), join(newPtr, nk));
        // A key assembled around a token (CDK's `${issuer}:sub`) starts in the piece before it:
        // the line to show is the one that ends the member, where its value is.
        const span = sink.positions[join(newPtr, nk)];
        if (span && span.line !== span.endLine && k.includes('@@podtrust') && typeof value[k] !== 'object') {
          sink.positions[join(newPtr, nk)] = { line: span.endLine, column: Math.max(1, span.endColumn - 1), endLine: span.endLine, endColumn: span.endColumn };
        }
      }
      return out;
    }
    if (typeof value === 'string') return restore(value, false);
    return value;
  };
  return rebuild(parsed.value, '', outPtr);
}
