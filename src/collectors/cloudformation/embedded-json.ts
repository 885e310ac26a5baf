/**
 * Policy documents written as JSON strings (`AssumeRolePolicyDocument: !Sub |` — IRSA
 * templates need this because intrinsic functions cannot be map keys). The JSON is parsed
 * with `${...}` replaced by placeholders, the placeholders are turned back into known
 * strings or Unknowns, and every position is mapped back into the template file.
 */
import type { CoverageNote, JsonValue, Position } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { get, join, parent } from '../../util/pointer.js';
import { createObject, lenientJsonNote, lineStarts, offsetToLineCol, parseJson, type StructuredLimits } from '../../util/structured.js';
import { asObject, NO_VALUE, parseSubTemplate, type Part, type Sink, type SubSegment, type TemplateContext } from './intrinsics.js';
import { stringSourceMapper, type OffsetMapper } from './string-source.js';

export interface EmbeddedContext {
  ctx: TemplateContext;
  fileText: string;
  file: string;
  limits: StructuredLimits;
  notes: CoverageNote[];
}

/** Resolves a policy document property: an object, a JSON string, or a `Fn::Sub` JSON template. */
export function resolvePolicyDocument(env: EmbeddedContext, node: JsonValue, docPtr: string, outPtr: string, sink: Sink): JsonValue {
  const { ctx } = env;
  const obj = asObject(node);
  const keys = obj ? Object.keys(obj) : [];
  if (typeof node === 'string') {
    return embedded(env, node, docPtr, [{ kind: 'text', text: node, offset: 0, length: node.length }], new Map(), outPtr, sink);
  }
  if (obj && keys.length === 1 && keys[0] === 'Fn::Sub') {
    const { template, templatePtr, variables } = ctx.subArgs(obj['Fn::Sub']!, ctx.argPtr(docPtr, 'Fn::Sub'));
    if (template !== undefined && /^\s*[{[]/.test(template)) {
      return embedded(env, template, templatePtr, parseSubTemplate(template), variables, outPtr, sink);
    }
  }
  const resolved = ctx.resolve(node, docPtr, outPtr, sink);
  if (resolved === NO_VALUE) return null;
  if (typeof resolved === 'string' && /^\s*[{[]/.test(resolved)) {
    // A string built by other functions (`Fn::Join`): positions stay at the expression.
    const position = ctx.docPositions[docPtr];
    return parseEmbedded(env, resolved, () => position, new Map(), outPtr, sink, position);
  }
  return resolved;
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
  return parseEmbedded(env, text, position, slots, outPtr, sink, entry);
}

function parseEmbedded(
  env: EmbeddedContext,
  text: string,
  position: (offset: number) => { line: number; column: number } | Position | undefined,
  slots: Map<number, { name: string; value: JsonValue }>,
  outPtr: string,
  sink: Sink,
  fallback: Position | undefined,
): JsonValue {
  const starts = lineStarts(text);
  const toFile = (line: number, column: number) => {
    const offset = (starts[line - 1] ?? 0) + column - 1;
    return position(offset) ?? fallback ?? { line: 1, column: 1 };
  };
  const parsed = parseJson(text, env.limits);
  if (parsed.errors.length > 0 || parsed.documents.length === 0) {
    const err = parsed.errors[0];
    const at = err ? toFile(err.line, err.column) : fallback;
    env.notes.push({
      kind: err?.limit ? 'limit' : 'parse-error',
      level: 'error',
      message: err?.limit ? `policy document: ${err.message}` : `policy document is not valid JSON: ${err?.message ?? 'empty'}`,
      file: env.file,
      ...(at ? { line: at.line, column: at.column } : {}),
    });
    return env.ctx.unknownOf('invalid policy document');
  }
  const doc = parsed.documents[0]!;
  if (parsed.lenient) {
    const at = toFile(parsed.lenient.line, parsed.lenient.column);
    env.notes.push(lenientJsonNote(env.file, { message: parsed.lenient.message, line: at.line, column: at.column }));
  }
  const fileSpan = (p: Position): Position => {
    const a = toFile(p.line, p.column);
    const endOffset = Math.max((starts[p.line - 1] ?? 0) + p.column - 1, (starts[p.endLine - 1] ?? 0) + p.endColumn - 2);
    const b = position(endOffset) ?? a;
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column + 1 };
  };
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
    const p = doc.positions[oldPtr];
    if (p) sink.positions[newPtr] = fileSpan(p);
    if (Array.isArray(value)) return value.map((v, i) => rebuild(v, `${oldPtr}/${i}`, `${newPtr}/${i}`));
    if (value !== null && typeof value === 'object' && !isUnknown(value)) {
      const out = createObject();
      for (const k of Object.keys(value)) {
        const nk = keyText(k);
        out[nk] = rebuild(value[k]!, join(oldPtr, k), join(newPtr, nk));
      }
      return out;
    }
    if (typeof value === 'string') return restore(value, false);
    return value;
  };
  return rebuild(doc.value, '', outPtr);
}
