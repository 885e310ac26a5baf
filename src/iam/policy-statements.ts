/**
 * The one reader of IAM policy documents: trust and permission policies, from IaC, live accounts
 * and Terraform policy documents alike, turned into typed statements (Effect, Principal or
 * NotPrincipal, Action or NotAction, Resource or NotResource, Condition operators → keys →
 * values), each part with its JSON pointer. It reads what is written; what a statement means for
 * a request is decided by statement-match.ts and the federation view (src/federation/aws-trust.ts).
 */
import { MAX_DEPTH_CEILING, NestingTooDeep, parseJsonWithin } from '../util/nesting.js';
import type { JsonValue, Unknown } from '../model/types.js';
import { isUnknown } from '../model/unknown.js';
import { child, join } from '../util/pointer.js';

/** A list of values: the known strings, with their pointers, and whether unresolved ones are among them. */
export interface ValueList {
  known: { value: string; pointer: string }[];
  unknown: boolean;
}

/** One principal as written: its type (`AWS`, `Federated`, `Service`, `CanonicalUser`) and value. */
export interface PrincipalValue {
  type: string;
  /** Unresolved values are kept: a reference can still name an OIDC provider of the scan. */
  value: string | Unknown;
  pointer: string;
}

export interface StatementPrincipal {
  /** Pointer to the `Principal` (or `NotPrincipal`) element. */
  pointer: string;
  /** `"*"`, or `*` among the `AWS` or `Federated` values: any principal of that kind. */
  wildcard: boolean;
  /** The element as a whole is unresolved or not of a shape IAM accepts: it may name anyone. */
  unknown: boolean;
  /** In written order; the string form `"*"` has no entry. */
  values: PrincipalValue[];
}

/** A condition operator as IAM parses it: `ForAnyValue:StringLikeIfExists` → set operator, base, IfExists. */
export interface ParsedOperator {
  base: string;
  setOperator?: 'ForAnyValue' | 'ForAllValues';
  ifExists: boolean;
  negated: boolean;
}

/** One condition key under one operator, with its values. */
export interface ConditionTest extends ParsedOperator {
  /** The operator as written. */
  operator: string;
  /** The key as written (IAM compares key names ignoring case; values per the operator). */
  key: string;
  /** Scalars as strings (IAM accepts numbers and booleans); unresolved or malformed values as Unknown. */
  values: (string | Unknown)[];
  /** `<statement>/Condition/<operator>/<key>`. */
  pointer: string;
}

export interface StatementCondition {
  /** Pointer to the `Condition` element when the statement has one (even an empty one). */
  pointer?: string;
  /** Operators → keys → values, in document order. */
  tests: ConditionTest[];
  /** The block, or one operator's block, is unresolved or malformed: it may constrain anything. */
  unresolved: boolean;
}

export interface IamStatement {
  /** JSON pointer to the statement inside its resource. */
  pointer: string;
  /** `unknown` when the effect is unresolved or not IAM's (the value is case-sensitive): the statement may allow or deny. */
  effect: 'Allow' | 'Deny' | 'unknown';
  actions: ValueList;
  notAction: boolean;
  /** Pointer to the element listing the actions (`.../Action` or `.../NotAction`). */
  actionPointer: string;
  /** `undefined` when the statement names neither `Resource` nor `NotResource` (as in trust policies). */
  resources: ValueList | undefined;
  notResource: boolean;
  /** `undefined` when the statement names neither `Principal` nor `NotPrincipal` (as in permission policies). */
  principal: StatementPrincipal | undefined;
  /** The principal is a `NotPrincipal`: every principal except those. */
  notPrincipal: boolean;
  condition: StatementCondition;
  /**
   * The statement applies only when its conditions hold: it tests at least one key, or part of its
   * block is unresolved. An empty block (`Condition: {}`) imposes nothing: IAM requires every key
   * in the block to match, and there is none.
   */
  conditional: boolean;
}

/** The statements of a document, and whether some (or the document itself) could not be read. */
export interface PolicyRead {
  statements: IamStatement[];
  /** The document, its statement list or one of its statements is unresolved or not an object. */
  partial: boolean;
}

type Obj = Record<string, JsonValue>;

function asObject(v: JsonValue | Unknown | undefined): Obj | undefined {
  return v !== null && v !== undefined && typeof v === 'object' && !Array.isArray(v) && !isUnknown(v) ? (v as Obj) : undefined;
}

/**
 * Reads a policy document (a JSON string, URL-encoded or not, is decoded first) into the
 * statements it can read, with their pointers (`<base>/Statement[/<i>]`).
 */
export function readPolicy(document: JsonValue | Unknown | undefined, base: string): PolicyRead {
  const doc = asObject(decodeDocument(document));
  if (!doc) return { statements: [], partial: true };
  const raw = doc['Statement'];
  if (raw === undefined) return { statements: [], partial: false };
  const stmtBase = child(base, 'Statement');
  const list: [JsonValue, string][] = Array.isArray(raw) ? raw.map((s, i) => [s, child(stmtBase, i)]) : [[raw, stmtBase]];
  const out: PolicyRead = { statements: [], partial: false };
  for (const [s, pointer] of list) {
    const body = asObject(s);
    if (body) out.statements.push(readStatement(body, pointer));
    else out.partial = true;
  }
  return out;
}

/**
 * The statements of a policy document, or `null` when any part of it cannot be read (unresolved,
 * not an object): permission evaluation treats that as "unknown", never as empty.
 */
export function readStatements(document: JsonValue | Unknown | undefined, base: string): IamStatement[] | null {
  const read = readPolicy(document, base);
  return read.partial ? null : read.statements;
}

function readStatement(body: Obj, pointer: string): IamStatement {
  const effectValue = body['Effect'];
  const effect = effectValue === 'Allow' ? 'Allow' : effectValue === 'Deny' ? 'Deny' : 'unknown';
  const notAction = body['Action'] === undefined && body['NotAction'] !== undefined;
  const actionKey = notAction ? 'NotAction' : 'Action';
  const notResource = body['Resource'] === undefined && body['NotResource'] !== undefined;
  const resourceKey = notResource ? 'NotResource' : 'Resource';
  const notPrincipal = body['Principal'] === undefined && body['NotPrincipal'] !== undefined;
  const principalKey = notPrincipal ? 'NotPrincipal' : 'Principal';
  const condition = readCondition(body['Condition'], pointer);
  const actionPointer = child(pointer, actionKey);
  return {
    pointer,
    effect,
    actions: valueList(body[actionKey], actionPointer),
    notAction,
    actionPointer,
    resources: body[resourceKey] === undefined ? undefined : valueList(body[resourceKey], child(pointer, resourceKey)),
    notResource,
    principal: readPrincipal(body[principalKey], child(pointer, principalKey)),
    notPrincipal,
    condition,
    conditional: condition.unresolved || condition.tests.length > 0,
  };
}

/** Action and Resource values must be strings: anything else is unresolved. */
function valueList(v: JsonValue | undefined, pointer: string): ValueList {
  const out: ValueList = { known: [], unknown: false };
  if (v === undefined || v === null) return out;
  if (Array.isArray(v)) {
    v.forEach((x, i) => {
      if (typeof x === 'string') out.known.push({ value: x, pointer: child(pointer, i) });
      else out.unknown = true;
    });
    return out;
  }
  if (typeof v === 'string') out.known.push({ value: v, pointer });
  else out.unknown = true;
  return out;
}

/** A value or a list of values of a principal or a condition key: scalars as strings, nulls dropped, the rest Unknown. */
function scalars(v: JsonValue | undefined, pointer: string): { value: string | Unknown; pointer: string }[] {
  if (Array.isArray(v)) return v.flatMap((x, i) => (Array.isArray(x) ? [{ value: asUnknown(x), pointer: child(pointer, i) }] : scalars(x, child(pointer, i))));
  const value = scalar(v);
  return value === undefined ? [] : [{ value, pointer }];
}

/** {@link scalars} without the pointers, which a condition's values do not keep. */
function scalarValues(v: JsonValue | undefined): (string | Unknown)[] {
  if (!Array.isArray(v)) {
    const value = scalar(v);
    return value === undefined ? [] : [value];
  }
  const out: (string | Unknown)[] = [];
  for (const x of v) {
    const value = Array.isArray(x) ? asUnknown(x) : scalar(x);
    if (value !== undefined) out.push(value);
  }
  return out;
}

/** One value that is not a list: a string, an Unknown, or nothing for null. */
function scalar(v: JsonValue | undefined): string | Unknown | undefined {
  if (v === undefined || v === null) return undefined;
  if (isUnknown(v)) return v;
  if (typeof v === 'object') return asUnknown(v);
  return String(v);
}

/** A value of a shape IAM does not accept there, kept as its JSON text (a saved inventory is not depth-limited). */
function asUnknown(v: JsonValue): Unknown {
  try {
    return { $unknown: JSON.stringify(v) };
  } catch {
    return { $unknown: Array.isArray(v) ? 'a nested list' : 'a nested object' };
  }
}

function readPrincipal(p: JsonValue | undefined, pointer: string): StatementPrincipal | undefined {
  if (p === undefined || p === null) return undefined;
  const out: StatementPrincipal = { pointer, wildcard: false, unknown: false, values: [] };
  if (typeof p === 'string') {
    if (p === '*') out.wildcard = true;
    else out.unknown = true;
    return out;
  }
  const r = asObject(p);
  if (!r) return { ...out, unknown: true };
  for (const [type, value] of Object.entries(r)) {
    for (const v of scalars(value, child(pointer, type))) {
      if (v.value === '*' && (type === 'AWS' || type === 'Federated')) out.wildcard = true;
      out.values.push({ type, ...v });
    }
  }
  return out;
}

/** The values of one principal type (`Federated`, `Service`, ...), without `*`. */
export function principalValues(p: StatementPrincipal | undefined, type: string): (string | Unknown)[] {
  return (p?.values ?? []).filter((v) => v.type === type && v.value !== '*').map((v) => v.value);
}

function readCondition(c: JsonValue | undefined, statementPointer: string): StatementCondition {
  if (c === undefined || c === null) return { tests: [], unresolved: false };
  const pointer = child(statementPointer, 'Condition');
  const out: StatementCondition = { pointer, tests: [], unresolved: false };
  const block = asObject(c);
  if (!block) return { ...out, unresolved: true };
  for (const [operator, entries] of Object.entries(block)) {
    const keys = asObject(entries);
    if (!keys) {
      out.unresolved = true;
      continue;
    }
    const parsed = parseOperator(operator);
    for (const [key, raw] of Object.entries(keys)) {
      const at = join(pointer, operator, key);
      out.tests.push({ ...parsed, operator, key, values: scalarValues(raw), pointer: at });
    }
  }
  return out;
}

/** Operator names are case-sensitive, as IAM reads them (it rejects `stringEquals`). */
function parseOperator(operator: string): ParsedOperator {
  let rest = operator;
  let setOperator: ParsedOperator['setOperator'];
  for (const prefix of ['ForAnyValue', 'ForAllValues'] as const) {
    if (rest.startsWith(prefix + ':')) {
      setOperator = prefix;
      rest = rest.slice(prefix.length + 1);
    }
  }
  const ifExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = ifExists ? rest.slice(0, -'IfExists'.length) : rest;
  const parsed: ParsedOperator = { base, ifExists, negated: base.includes('Not') };
  if (setOperator) parsed.setOperator = setOperator;
  return parsed;
}

/** The document, decoding a JSON string when a source kept it encoded (as the IAM API returns it). */
function decodeDocument(doc: JsonValue | Unknown | undefined): JsonValue | Unknown | undefined {
  if (typeof doc !== 'string') return doc;
  const decoded = decodePolicyText(doc);
  return decoded.ok ? decoded.value : undefined;
}

export type DecodedPolicy = { ok: true; value: JsonValue } | { ok: false; reason: string };

/** A policy document kept as text: JSON, or URL-encoded JSON as the IAM API returns it; nested at most `maxDepth` levels. */
export function decodePolicyText(raw: string, maxDepth = MAX_DEPTH_CEILING): DecodedPolicy {
  let text = raw;
  if (!/^\s*[{[]/.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { ok: false, reason: 'not valid URL-encoded text' };
    }
  }
  try {
    return { ok: true, value: parseJsonWithin(text, maxDepth) as JsonValue };
  } catch (e) {
    if (e instanceof NestingTooDeep) return { ok: false, reason: `nested deeper than ${maxDepth} levels` };
    if (e instanceof SyntaxError) return { ok: false, reason: 'not valid JSON' };
    throw e;
  }
}
