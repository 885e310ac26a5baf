/** IAM permission policy statements read as written: effect, actions, resources, conditions. */
import type { JsonValue, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { join } from '../util/pointer.js';

/** A list of values: the known strings, with their pointers, and whether unresolved ones are among them. */
export interface ValueList {
  known: { value: string; pointer: string }[];
  unknown: boolean;
}

export interface IamStatement {
  /** JSON pointer to the statement inside its resource. */
  pointer: string;
  /** `unknown` when the effect is unresolved: the statement may allow or deny. */
  effect: 'Allow' | 'Deny' | 'unknown';
  actions: ValueList;
  notAction: boolean;
  /** `undefined` when the statement names neither `Resource` nor `NotResource` (IAM rejects such identity policies). */
  resources: ValueList | undefined;
  notResource: boolean;
  /** The statement has a `Condition` block (or an unresolved one). */
  conditional: boolean;
  /** Pointer to the element listing the actions (`.../Action` or `.../NotAction`). */
  actionPointer: string;
}

/**
 * The statements of a policy document, or `null` when the document cannot be read (unresolved,
 * not an object): callers treat that as "unknown", never as empty.
 */
export function readStatements(document: JsonValue | Unknown | undefined, base: string): IamStatement[] | null {
  if (document === undefined || document === null || isUnknown(document)) return null;
  if (typeof document !== 'object' || Array.isArray(document)) return null;
  const raw = (document as Record<string, JsonValue>)['Statement'];
  if (raw === undefined) return [];
  if (isUnknown(raw)) return null;
  const stmtBase = join(base, 'Statement');
  const list: [JsonValue, string][] = Array.isArray(raw) ? raw.map((s, i) => [s, join(stmtBase, i)]) : [[raw, stmtBase]];
  const out: IamStatement[] = [];
  for (const [s, pointer] of list) {
    if (isUnknown(s) || !s || typeof s !== 'object' || Array.isArray(s)) return null;
    out.push(readStatement(s as Record<string, JsonValue>, pointer));
  }
  return out;
}

function readStatement(body: Record<string, JsonValue>, pointer: string): IamStatement {
  const effectValue = body['Effect'];
  const effect = effectValue === 'Allow' ? 'Allow' : effectValue === 'Deny' ? 'Deny' : 'unknown';
  const notAction = body['Action'] === undefined && body['NotAction'] !== undefined;
  const actionKey = notAction ? 'NotAction' : 'Action';
  const notResource = body['Resource'] === undefined && body['NotResource'] !== undefined;
  const resourceKey = notResource ? 'NotResource' : 'Resource';
  const condition = body['Condition'];
  return {
    pointer,
    effect,
    actions: valueList(body[actionKey], join(pointer, actionKey)),
    notAction,
    resources: body[resourceKey] === undefined ? undefined : valueList(body[resourceKey], join(pointer, resourceKey)),
    notResource,
    conditional: condition !== undefined && condition !== null && !(typeof condition === 'object' && !isUnknown(condition) && !Array.isArray(condition) && Object.keys(condition).length === 0),
    actionPointer: join(pointer, actionKey),
  };
}

function valueList(v: JsonValue | undefined, pointer: string): ValueList {
  const out: ValueList = { known: [], unknown: false };
  if (v === undefined || v === null) return out;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x === 'string') out.known.push({ value: x, pointer: join(pointer, i) });
      else out.unknown = true;
    });
    return out;
  }
  if (typeof v === 'string') out.known.push({ value: v, pointer });
  else out.unknown = true;
  return out;
}
