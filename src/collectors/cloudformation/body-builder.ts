/** Builds one canonical resource body from CloudFormation properties, keeping source positions. */
import type { JsonValue, PositionMap } from '../../model/types.js';
import { join } from '../../util/pointer.js';
import { createObject } from '../../util/structured.js';
import { resolvePolicyDocument, type EmbeddedContext } from './embedded-json.js';
import { asObject, NO_VALUE, type Sink } from './intrinsics.js';

export interface ResourceSource {
  logicalId: string;
  id: string;
  cfnType: string;
  /** Document pointer of the resource entry (`/Resources/<LogicalId>`). */
  entryPtr: string;
  properties: Record<string, JsonValue>;
}

export class BodyBuilder {
  readonly body = createObject();
  readonly sink: Sink = { positions: Object.create(null) as PositionMap, sources: Object.create(null) as Record<string, string> };

  constructor(
    readonly source: ResourceSource,
    readonly env: EmbeddedContext,
  ) {}

  get propsPtr(): string {
    return `${this.source.entryPtr}/Properties`;
  }

  has(name: string): boolean {
    return this.source.properties[name] !== undefined;
  }

  /** Resolves a property into `outPtr` of the body (without setting it). */
  resolve(name: string, outPtr: string, sink: Sink = this.sink): JsonValue | undefined {
    const raw = this.source.properties[name];
    if (raw === undefined) return undefined;
    const v = this.env.ctx.resolve(raw, join(this.propsPtr, name), outPtr, sink);
    return v === NO_VALUE ? undefined : v;
  }

  /** Copies a resolved property to a top-level body key. */
  copy(name: string, key = name): JsonValue | undefined {
    const v = this.resolve(name, join('', key));
    if (v !== undefined) this.body[key] = v;
    return v;
  }

  /** A policy document property (object, JSON string or `Fn::Sub` JSON). */
  policy(raw: JsonValue, docPtr: string, outPtr: string): JsonValue {
    return resolvePolicyDocument(this.env, raw, docPtr, outPtr, this.sink);
  }

  /** Resolves into a scratch sink (pointers relative to the value) for reshaping. */
  scratch(name: string): { value: JsonValue | undefined; sink: Sink } {
    const sink: Sink = { positions: Object.create(null) as PositionMap, sources: Object.create(null) as Record<string, string> };
    return { value: this.resolve(name, '', sink), sink };
  }

  /** Moves positions recorded under `from` (scratch) to `to` in the body. */
  move(sink: Sink, from: string, to: string): void {
    for (const [ptr, pos] of Object.entries(sink.positions)) {
      if (ptr === from || ptr.startsWith(from + '/')) this.sink.positions[to + ptr.slice(from.length)] = pos;
    }
    for (const [ptr, doc] of Object.entries(sink.sources)) {
      if (ptr === from || ptr.startsWith(from + '/')) this.sink.sources[to + ptr.slice(from.length)] = doc;
    }
  }

  /** Records that a body pointer comes from a property's position. */
  pointAt(outPtr: string, propertyName: string): void {
    const doc = join(this.propsPtr, propertyName);
    const p = this.env.ctx.docPositions[doc];
    if (p) this.sink.positions[outPtr] = p;
    this.sink.sources[outPtr] = doc;
  }

  /** Unknown attribute of this resource itself. */
  self(attribute: string, expr = `${this.source.logicalId}.${attribute}`): JsonValue {
    return this.env.ctx.unknownOf(expr, { id: this.source.id, attribute });
  }

  /** The property list as raw items, or undefined when it is not a literal list. */
  rawList(name: string): JsonValue[] | undefined {
    const raw = this.source.properties[name];
    return Array.isArray(raw) ? raw : undefined;
  }

  rawObject(name: string): Record<string, JsonValue> | undefined {
    return asObject(this.source.properties[name]);
  }
}
