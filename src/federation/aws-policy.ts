/** Reading IAM policy statements as written: effect, actions, principals, pointers. */
import type { JsonValue, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { join } from '../util/pointer.js';
import { wildcardMatch } from './wildcard.js';

export interface PolicyStatement {
  pointer: string;
  effect: 'Allow' | 'Deny' | 'other';
  body: Record<string, JsonValue>;
  /** `Action` or `NotAction` values as written; Unknown ones kept. */
  actions: (string | Unknown)[];
  notAction: boolean;
  principal: PrincipalInfo;
  hasCondition: boolean;
}

export interface PrincipalInfo {
  /** `"*"`, `{"AWS":"*"}` or `{"Federated":"*"}`. */
  wildcard: boolean;
  federated: (string | Unknown)[];
  services: (string | Unknown)[];
  /** The principal itself is unresolved. */
  unknown: boolean;
}

/** The statements of a policy document with their pointers (`<base>/Statement[/<i>]`). */
export function statementsOf(document: JsonValue | Unknown | undefined, base: string): PolicyStatement[] {
  const doc = asRecord(document);
  if (!doc) return [];
  const raw = doc['Statement'];
  const stmtBase = join(base, 'Statement');
  const list: [Record<string, JsonValue>, string][] = [];
  if (Array.isArray(raw)) raw.forEach((s, i) => { const r = asRecord(s); if (r) list.push([r, join(stmtBase, i)]); });
  else {
    const r = asRecord(raw);
    if (r) list.push([r, stmtBase]);
  }
  return list.map(([body, pointer]) => readStatement(body, pointer));
}

function readStatement(body: Record<string, JsonValue>, pointer: string): PolicyStatement {
  const effect = body['Effect'] === 'Allow' ? 'Allow' : body['Effect'] === 'Deny' ? 'Deny' : 'other';
  const notAction = body['Action'] === undefined && body['NotAction'] !== undefined;
  const actions = valuesOf(notAction ? body['NotAction'] : body['Action']);
  const condition = body['Condition'];
  return {
    pointer,
    effect,
    body,
    actions,
    notAction,
    principal: readPrincipal(body['Principal']),
    hasCondition: condition !== undefined && condition !== null,
  };
}

function readPrincipal(p: JsonValue | undefined): PrincipalInfo {
  const info: PrincipalInfo = { wildcard: false, federated: [], services: [], unknown: false };
  if (p === undefined || p === null) return info;
  if (isUnknown(p)) return { ...info, unknown: true };
  if (typeof p === 'string') return { ...info, wildcard: p === '*' };
  const r = asRecord(p);
  if (!r) return info;
  for (const [kind, value] of Object.entries(r)) {
    const values = valuesOf(value);
    if ((kind === 'AWS' || kind === 'Federated') && values.includes('*')) info.wildcard = true;
    if (kind === 'Federated') info.federated.push(...values.filter((v) => v !== '*'));
    if (kind === 'Service') info.services.push(...values);
  }
  return info;
}

/** Whether the statement's actions cover `action` (IAM action names ignore case). */
export function coversAction(stmt: PolicyStatement, action: string): boolean | undefined {
  if (stmt.actions.some((a) => typeof a !== 'string')) {
    const known = stmt.actions.filter((a): a is string => typeof a === 'string').some((a) => wildcardMatch(a, action, true));
    if (stmt.notAction) return known ? false : undefined;
    return known ? true : undefined;
  }
  const matched = stmt.actions.some((a) => wildcardMatch(a as string, action, true));
  return stmt.notAction ? !matched : matched;
}

/** A value or list of values; Unknowns kept, other non-strings stringified. */
export function valuesOf(v: JsonValue | Unknown | undefined): (string | Unknown)[] {
  if (v === undefined || v === null) return [];
  if (isUnknown(v)) return [v];
  if (Array.isArray(v)) return v.flatMap((x) => valuesOf(x as JsonValue));
  if (typeof v === 'object') return [{ $unknown: JSON.stringify(v) }];
  return [String(v)];
}

export function asRecord(v: JsonValue | Unknown | undefined): Record<string, JsonValue> | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Record<string, JsonValue>) : undefined;
}
