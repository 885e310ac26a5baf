/** Small helpers models share: reading inputs with defaults, placing positions, references. */
import type { Position, PositionMap } from '../../../model/types.js';
import { join, parent } from '../../../util/pointer.js';
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown, newObject, toBool, unknownText } from '../values.js';
import type { ModelCall } from './types.js';

/** The position of an input pointer, else of its closest ancestor, else of the module call. */
export function inputPosition(call: ModelCall, pointer: string): Position {
  let p = pointer;
  for (;;) {
    const pos = call.inputPositions[p];
    if (pos && p !== '') return pos;
    if (p === '') return call.callPosition;
    p = parent(p);
  }
}

/** Builds one modelled resource's values and positions. */
export class ResourceBuilder {
  readonly values: ObjectValue = newObject();
  readonly positions: PositionMap = Object.create(null) as PositionMap;
  readonly generated: string[] = [];

  constructor(private readonly call: ModelCall) {
    this.positions[''] = call.callPosition;
  }

  /** Sets a value at a top-level attribute, shown at the given input (or the call). */
  set(name: string, value: Value, inputPointer?: string): void {
    this.values[name] = value;
    this.place(join('', name), inputPointer);
  }

  /** Whether the resource's own position is still the module call's, set by the constructor until placed. */
  private rootPlaced = false;

  /** Records that `pointer` (into the values) is shown at `inputPointer` of the call's inputs (first placement wins). */
  place(pointer: string, inputPointer?: string): void {
    const first = pointer === '' ? !this.rootPlaced : this.positions[pointer] === undefined;
    if (pointer === '') this.rootPlaced = true;
    if (first) this.positions[pointer] = inputPointer === undefined ? this.call.callPosition : inputPosition(this.call, inputPointer);
  }
}

/** An input, or its documented default when the caller does not set it (a `null` input also takes the default, as `nullable = false` variables do). */
export function input(call: ModelCall, name: string, fallback: Value): Value {
  const v = call.inputs[name];
  return v === undefined ? fallback : v;
}

export function has(call: ModelCall, name: string): boolean {
  return call.inputs[name] !== undefined;
}

/** True / false for a known bool input; undefined when unknown. */
export function flag(call: ModelCall, name: string, fallback: boolean): boolean | undefined {
  const v = input(call, name, fallback);
  if (isUnknown(v)) {
    // Never silent: every switch a model reads and cannot decide is named, whichever way its caller then reads the module.
    call.undecided?.(`${name} is not known statically, so what it switches on or off is not decided: what depends on it may be missing from this analysis`);
    return undefined;
  }
  return toBool(v) ?? fallback;
}

/** An attribute of a modelled resource, as an unresolved reference the model can join on. */
export function reference(call: ModelCall, localAddress: string, attribute: string, text: string): Value {
  return mkUnknown(text, { ref: { id: call.idFor(localAddress), attribute } });
}

/** Map entries in Terraform's iteration order (sorted keys); undefined when the map is unknown. */
export function mapEntries(v: Value): [string, Value][] | undefined {
  if (isObject(v)) return Object.keys(v).sort().map((k) => [k, v[k]!]);
  if (v === null) return [];
  return undefined;
}

/** A field of an object value, if present. */
export function field(v: Value | undefined, name: string): Value | undefined {
  return isObject(v) ? v[name] : undefined;
}

export function obj(fields: Record<string, Value>): ObjectValue {
  return Object.assign(newObject(), fields);
}

/** The ARNs of a `map(string)` of policies (sorted keys, as Terraform iterates), each shown at its entry; one unknown for an unknown map. */
export function policyArnsOf(map: Value, at: string | undefined, name: string): { arns: Value[]; places: (string | undefined)[] } {
  const entries = mapEntries(map);
  if (!entries) return { arns: [mkUnknown(name)], places: [at] };
  return { arns: entries.map(([, arn]) => arn), places: entries.map(([k]) => (at === undefined ? undefined : join(at, k))) };
}

/** The issuer part of an OIDC provider ARN, as the modules compute it (`replace(arn, "/^(.*provider/)/", "")`). */
export function issuerOfProviderArn(providerArn: Value, name: string): string {
  if (typeof providerArn === 'string') return providerArn.replace(/^(.*provider\/)/, '');
  const text = isUnknown(providerArn) ? unknownText(providerArn).replace(/^\$\{|\}$/g, '') : name;
  return '${replace(' + text + ', "/^(.*provider/)/", "")}';
}
