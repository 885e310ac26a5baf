/**
 * Evaluates CloudFormation intrinsic functions where the template itself defines the value
 * (parameter defaults, mappings, decidable conditions). Everything else becomes an
 * {@link Unknown}, keeping what is known: the literal prefix/suffix of a string and the
 * resource an attribute belongs to.
 */
import { redactNamedValue } from '../../credentials/redact.js';
import { findAccessKeyIds } from '../../credentials/aws.js';
import type { JsonValue, PositionMap, Unknown } from '../../model/types.js';
import { isUnknown } from '../../model/unknown.js';
import { escapeToken, join } from '../../util/pointer.js';
import { createObject } from '../../util/structured.js';
import { NestingTooDeep } from '../../util/nesting.js';

export interface UnknownPart {
  /** The expression as `${...}` would spell it in `Fn::Sub`: `OidcProvider`, `Cluster.Arn`, `AWS::Region`. */
  expr: string;
  ref?: { id: string; attribute: string };
}
export type Part = string | UnknownPart;

/** `Ref: AWS::NoValue`: the property is removed. */
export const NO_VALUE = Symbol('AWS::NoValue');
export type Resolved = JsonValue | typeof NO_VALUE;

/** Where resolved values and their source positions are recorded (pointers relative to the output). */
export interface Sink {
  positions: PositionMap;
  /** Output pointer → the document pointer it was read from. */
  sources: Record<string, string>;
}

export interface TemplateResource {
  logicalId: string;
  cfnType: string;
  id: string;
}

/** How `Ref` and `Fn::GetAtt` of a resource read, in canonical-shape attribute names. */
export type AttributeNamer = (cfnType: string, attribute: string | null) => string;

const KNOWN_PSEUDO: Record<string, string> = { 'AWS::URLSuffix': 'amazonaws.com' };

export class TemplateContext {
  private readonly parts = new WeakMap<object, Part[]>();
  private readonly conditionCache = new Map<string, boolean | undefined>();
  private readonly evaluating = new Set<string>();
  /** `Fn::FindInMap` entries being resolved: a mapping value that looks itself up is unknown, not a loop. */
  private readonly mappingsEvaluating = new Set<string>();
  /**
   * Nested resolve and condition calls: one per level of the document, and one per link of a
   * chain of conditions or mappings, which no nesting of the text bounds.
   */
  private depth = 0;

  /**
   * The value of an attribute the template itself defines (CDK's `Custom::AWSCDKCfnJson` `Value`),
   * resolved with positions; undefined for every other attribute.
   */
  attributeValue?: (arg: JsonValue, outPtr: string, sink: Sink | undefined) => JsonValue | undefined;

  constructor(
    readonly template: Record<string, JsonValue>,
    readonly docPositions: PositionMap,
    readonly resources: Map<string, TemplateResource>,
    private readonly attributeName: AttributeNamer,
    private readonly maxDepth: number,
  ) {}

  /** Resolves a value, recording positions of every output pointer in `sink`. */
  resolve(node: JsonValue, docPtr: string, outPtr = '', sink?: Sink): Resolved {
    this.enter(docPtr);
    try {
      return this.resolveNode(node, docPtr, outPtr, sink);
    } finally {
      this.depth--;
    }
  }

  /** One level deeper; a {@link NestingTooDeep} at `docPtr` past `--max-depth`. */
  private enter(docPtr: string): void {
    if (++this.depth > this.maxDepth) {
      this.depth--;
      throw new NestingTooDeep(this.maxDepth, { pointer: docPtr });
    }
  }

  private resolveNode(node: JsonValue, docPtr: string, outPtr: string, sink: Sink | undefined): Resolved {
    if (sink) record(sink, outPtr, docPtr, this.docPositions);
    if (Array.isArray(node)) {
      const out: JsonValue[] = [];
      node.forEach((item, i) => {
        const v = this.resolve(item, `${docPtr}/${i}`, `${outPtr}/${out.length}`, sink);
        if (v !== NO_VALUE) out.push(v);
      });
      return out;
    }
    if (node !== null && typeof node === 'object') {
      const keys = Object.keys(node);
      if (keys.length === 1 && isIntrinsicKey(keys[0]!)) return this.intrinsic(keys[0]!, node[keys[0]!]!, docPtr, outPtr, sink);
      const out = createObject();
      for (const k of keys) {
        const v = this.resolve(node[k]!, join(docPtr, k), join(outPtr, k), sink);
        if (v !== NO_VALUE) out[k] = v;
      }
      return out;
    }
    return node;
  }

  /** Resolves without positions; NoValue becomes null. */
  value(node: JsonValue, docPtr: string): JsonValue {
    const v = this.resolve(node, docPtr);
    return v === NO_VALUE ? null : v;
  }

  /** The pieces of a string-like value: known text and unknown parts. */
  partsOf(value: JsonValue): Part[] {
    if (isUnknown(value)) return this.parts.get(value) ?? [{ expr: value.$unknown, ...(value.ref ? { ref: value.ref } : {}) }];
    if (typeof value === 'string') return [value];
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    return [{ expr: JSON.stringify(value) }];
  }

  /** A string when every part is known, else an Unknown keeping the known prefix/suffix. */
  fromParts(parts: Part[]): JsonValue {
    const merged = mergeParts(parts);
    if (merged.every((p) => typeof p === 'string')) return merged.join('');
    const unknowns = merged.filter((p): p is UnknownPart => typeof p !== 'string');
    const u: Unknown = { $unknown: merged.map((p) => (typeof p === 'string' ? p : '${' + p.expr + '}')).join('') };
    const first = merged[0];
    const last = merged[merged.length - 1];
    if (typeof first === 'string' && first) u.prefix = first;
    if (typeof last === 'string' && last) u.suffix = last;
    if (unknowns.length === 1 && unknowns[0]!.ref) u.ref = unknowns[0]!.ref;
    this.parts.set(u, merged);
    return u as unknown as JsonValue;
  }

  unknownOf(expr: string, ref?: UnknownPart['ref']): JsonValue {
    return this.fromParts([ref ? { expr, ref } : { expr }]);
  }

  /** The pointer of an intrinsic's argument: long form `.../Fn::Sub`, short form (`!Sub`) the node itself. */
  argPtr(docPtr: string, fn: string): string {
    const long = `${docPtr}/${escapeToken(fn)}`;
    return this.docPositions[long] !== undefined ? long : docPtr;
  }

  private intrinsic(fn: string, arg: JsonValue, docPtr: string, outPtr: string, sink?: Sink): Resolved {
    const at = this.argPtr(docPtr, fn);
    switch (fn) {
      case 'Ref':
        return typeof arg === 'string' ? this.ref(arg) : this.unknownOf('Ref');
      case 'Fn::GetAtt':
        return this.attributeValue?.(arg, outPtr, sink) ?? this.getAtt(arg, at);
      case 'Fn::Sub':
        return this.sub(arg, at);
      case 'Fn::Join':
        return this.joinFn(arg, at);
      case 'Fn::Select':
        return this.select(arg, at);
      case 'Fn::Split':
        return this.splitFn(arg, at);
      case 'Fn::FindInMap':
        return this.findInMap(arg, at);
      case 'Fn::If': {
        if (!Array.isArray(arg) || arg.length !== 3 || typeof arg[0] !== 'string') return this.unknownOf('Fn::If');
        const decided = this.condition(arg[0]);
        if (decided === undefined) return this.unknownOf(`Fn::If ${arg[0]}`);
        const branch = decided ? 1 : 2;
        return this.resolve(arg[branch]!, `${at}/${branch}`, outPtr, sink);
      }
      default:
        return this.unknownOf(fn);
    }
  }

  ref(name: string): JsonValue | typeof NO_VALUE {
    if (name === 'AWS::NoValue') return NO_VALUE;
    const pseudo = KNOWN_PSEUDO[name];
    if (pseudo !== undefined) return pseudo;
    if (name.startsWith('AWS::')) return this.unknownOf(name);
    const param = asObject(asObject(this.template['Parameters'])?.[name]);
    if (param) return this.parameterValue(name, param);
    const resource = this.resources.get(name);
    if (resource) return this.unknownOf(name, { id: resource.id, attribute: this.attributeName(resource.cfnType, null) });
    return this.unknownOf(name);
  }

  private keyIdInParameters: boolean | undefined;

  /** Whether a parameter default is an access key id (then a 40-character secret default is its key). */
  private keyIdNearby(): boolean {
    this.keyIdInParameters ??= Object.values(asObject(this.template['Parameters']) ?? {}).some((p) => {
      const def = asObject(p)?.['Default'];
      return typeof def === 'string' && findAccessKeyIds(def).length > 0;
    });
    return this.keyIdInParameters;
  }

  private parameterValue(name: string, param: Record<string, JsonValue>): JsonValue {
    const def = param['Default'];
    // A NoEcho default may be a secret: never copy it into the inventory.
    if (def === undefined || def === null || param['NoEcho'] === true || param['NoEcho'] === 'true') return this.unknownOf(name);
    const type = typeof param['Type'] === 'string' ? (param['Type'] as string) : 'String';
    if (type.startsWith('List<') || type === 'CommaDelimitedList') {
      if (Array.isArray(def)) return redactNamedValue(name, def.map(String), this.keyIdNearby());
      return redactNamedValue(name, String(def).split(',').map((s) => s.trim()), this.keyIdNearby());
    }
    return typeof def === 'object' ? this.unknownOf(name) : redactNamedValue(name, String(def), this.keyIdNearby());
  }

  private getAtt(arg: JsonValue, at: string): JsonValue {
    let target: JsonValue | undefined;
    let attr: JsonValue | undefined;
    if (typeof arg === 'string') {
      const dot = arg.indexOf('.');
      target = dot < 0 ? arg : arg.slice(0, dot);
      attr = dot < 0 ? '' : arg.slice(dot + 1);
    } else if (Array.isArray(arg)) {
      target = arg[0];
      attr = arg[1] === undefined ? '' : this.value(arg[1], `${at}/1`);
    }
    if (typeof target !== 'string' || typeof attr !== 'string') return this.unknownOf('Fn::GetAtt');
    const resource = this.resources.get(target);
    const expr = `${target}.${attr}`;
    if (!resource) return this.unknownOf(expr);
    return this.unknownOf(expr, { id: resource.id, attribute: this.attributeName(resource.cfnType, attr) });
  }

  private sub(arg: JsonValue, at: string): JsonValue {
    const { template, variables } = this.subArgs(arg, at);
    if (template === undefined) return this.unknownOf('Fn::Sub');
    const parts: Part[] = [];
    for (const seg of parseSubTemplate(template)) {
      if (seg.kind === 'text') parts.push(seg.text);
      else parts.push(...this.partsOf(this.subVariable(seg.name, variables)));
    }
    return this.fromParts(parts);
  }

  subArgs(arg: JsonValue, at: string): { template?: string; templatePtr: string; variables: Map<string, JsonValue> } {
    const variables = new Map<string, JsonValue>();
    if (typeof arg === 'string') return { template: arg, templatePtr: at, variables };
    if (Array.isArray(arg) && typeof arg[0] === 'string') {
      const map = asObject(arg[1] ?? null);
      if (map) for (const k of Object.keys(map)) variables.set(k, this.value(map[k]!, join(`${at}/1`, k)));
      return { template: arg[0], templatePtr: `${at}/0`, variables };
    }
    return { templatePtr: at, variables };
  }

  /** The value of `${name}` in a Sub template. */
  subVariable(name: string, variables: Map<string, JsonValue>): JsonValue {
    const own = variables.get(name);
    if (own !== undefined) return own;
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return this.getAtt([name.slice(0, dot), name.slice(dot + 1)], '');
    const v = this.ref(name);
    return v === NO_VALUE ? '' : v;
  }

  private joinFn(arg: JsonValue, at: string): JsonValue {
    if (!Array.isArray(arg) || arg.length !== 2) return this.unknownOf('Fn::Join');
    const delimiter = this.value(arg[0]!, `${at}/0`);
    const list = this.value(arg[1]!, `${at}/1`);
    if (typeof delimiter !== 'string') return this.unknownOf('Fn::Join');
    if (!Array.isArray(list)) return this.unknownOf('Fn::Join');
    const parts: Part[] = [];
    list.forEach((item, i) => {
      if (i > 0) parts.push(delimiter);
      parts.push(...this.partsOf(item));
    });
    return this.fromParts(parts);
  }

  private select(arg: JsonValue, at: string): JsonValue {
    if (!Array.isArray(arg) || arg.length !== 2) return this.unknownOf('Fn::Select');
    const index = this.value(arg[0]!, `${at}/0`);
    const list = this.value(arg[1]!, `${at}/1`);
    const i = typeof index === 'number' ? index : typeof index === 'string' && /^\d+$/.test(index) ? Number(index) : undefined;
    if (i === undefined || !Array.isArray(list) || i >= list.length) {
      const from = isUnknown(list) ? list.ref : undefined;
      return this.unknownOf(`Fn::Select ${String(index)}`, from);
    }
    return list[i]!;
  }

  private splitFn(arg: JsonValue, at: string): JsonValue {
    if (!Array.isArray(arg) || arg.length !== 2) return this.unknownOf('Fn::Split');
    const delimiter = this.value(arg[0]!, `${at}/0`);
    const source = this.value(arg[1]!, `${at}/1`);
    if (typeof delimiter !== 'string' || delimiter === '') return this.unknownOf('Fn::Split');
    if (typeof source === 'string') return source.split(delimiter);
    return this.unknownOf('Fn::Split', isUnknown(source) ? source.ref : undefined);
  }

  private findInMap(arg: JsonValue, at: string): JsonValue {
    if (!Array.isArray(arg) || arg.length < 3) return this.unknownOf('Fn::FindInMap');
    const [map, top, second] = arg.slice(0, 3).map((k, i) => this.value(k, `${at}/${i}`));
    if (typeof map !== 'string' || typeof top !== 'string' || typeof second !== 'string') return this.unknownOf('Fn::FindInMap');
    const found = asObject(asObject(asObject(this.template['Mappings'])?.[map])?.[top])?.[second];
    const entry = join('/Mappings', map, top, second);
    if (found === undefined || this.mappingsEvaluating.has(entry)) return this.unknownOf(`Fn::FindInMap ${map}.${top}.${second}`);
    this.mappingsEvaluating.add(entry);
    try {
      return this.value(found, entry);
    } finally {
      this.mappingsEvaluating.delete(entry);
    }
  }

  /** A condition's value, or undefined when it depends on something unknown. */
  condition(name: string): boolean | undefined {
    if (this.conditionCache.has(name)) return this.conditionCache.get(name);
    if (this.evaluating.has(name)) return undefined;
    this.evaluating.add(name);
    try {
      const node = asObject(this.template['Conditions'])?.[name];
      const result = node === undefined ? undefined : this.conditionValue(node, join('/Conditions', name));
      this.conditionCache.set(name, result);
      return result;
    } finally {
      this.evaluating.delete(name);
    }
  }

  private conditionValue(node: JsonValue, ptr: string): boolean | undefined {
    this.enter(ptr);
    try {
      return this.conditionNode(node, ptr);
    } finally {
      this.depth--;
    }
  }

  private conditionNode(node: JsonValue, ptr: string): boolean | undefined {
    const obj = asObject(node);
    const key = obj ? Object.keys(obj)[0] : undefined;
    if (!obj || key === undefined) return typeof node === 'boolean' ? node : undefined;
    const arg = obj[key]!;
    const at = this.argPtr(ptr, key);
    const list = Array.isArray(arg) ? arg : [];
    switch (key) {
      case 'Condition':
        return typeof arg === 'string' ? this.condition(arg) : undefined;
      case 'Fn::Equals': {
        if (list.length !== 2) return undefined;
        const [a, b] = [this.value(list[0]!, `${at}/0`), this.value(list[1]!, `${at}/1`)];
        if (containsUnknownValue(a) || containsUnknownValue(b)) return undefined;
        return JSON.stringify(a) === JSON.stringify(b) || String(a) === String(b);
      }
      case 'Fn::Not': {
        const v = list.length === 1 ? this.conditionValue(list[0]!, `${at}/0`) : undefined;
        return v === undefined ? undefined : !v;
      }
      case 'Fn::And':
      case 'Fn::Or': {
        const values = list.map((c, i) => this.conditionValue(c, `${at}/${i}`));
        const decisive = key === 'Fn::And' ? false : true;
        if (values.includes(decisive)) return decisive;
        return values.includes(undefined) ? undefined : !decisive;
      }
      default:
        return undefined;
    }
  }
}

export function isIntrinsicKey(key: string): boolean {
  return key === 'Ref' || key === 'Condition' || key.startsWith('Fn::');
}

export type SubSegment = { kind: 'text'; text: string; offset: number; length: number } | { kind: 'var'; name: string; offset: number; length: number };

/** Splits a Sub template into literal text and `${...}` variables (`${!Literal}` is text). */
export function parseSubTemplate(template: string): SubSegment[] {
  const out: SubSegment[] = [];
  let i = 0;
  let textStart = 0;
  const flush = (end: number) => {
    if (end > textStart) out.push({ kind: 'text', text: template.slice(textStart, end), offset: textStart, length: end - textStart });
  };
  while (i < template.length) {
    if (template.startsWith('${', i)) {
      const close = template.indexOf('}', i + 2);
      if (close < 0) break;
      flush(i);
      const inner = template.slice(i + 2, close);
      if (inner.startsWith('!')) out.push({ kind: 'text', text: '${' + inner.slice(1) + '}', offset: i, length: close + 1 - i });
      else out.push({ kind: 'var', name: inner.trim(), offset: i, length: close + 1 - i });
      i = close + 1;
      textStart = i;
    } else {
      i++;
    }
  }
  textStart = Math.min(textStart, template.length);
  flush(template.length);
  return out;
}

function mergeParts(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (typeof p === 'string') {
      if (p === '') continue;
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else {
      out.push(p);
    }
  }
  return out;
}

function record(sink: Sink, outPtr: string, docPtr: string, docPositions: PositionMap): void {
  const p = docPositions[docPtr];
  if (p) sink.positions[outPtr] = p;
  sink.sources[outPtr] = docPtr;
}

export function asObject(v: JsonValue | undefined): Record<string, JsonValue> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
}

function containsUnknownValue(v: JsonValue): boolean {
  if (isUnknown(v)) return true;
  if (Array.isArray(v)) return v.some(containsUnknownValue);
  if (v && typeof v === 'object') return Object.values(v).some(containsUnknownValue);
  return false;
}
