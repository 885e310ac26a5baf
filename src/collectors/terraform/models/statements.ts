/**
 * Policy statements given to a module as a list of objects (`policy_statements`, `trust_policy_statements`,
 * `trust_policy_conditions`) or a map of them keyed by their default `sid` (`permissions`), and JSON documents
 * to merge (`source_policy_documents`), rendered the way `aws_iam_policy_document` renders them.
 */
import { escapeToken, join } from '../../../util/pointer.js';
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown, newObject, parseJsonValue } from '../values.js';
import { type ResourceBuilder, mapEntries } from './support.js';

/** The provider writes a one-element list as a plain string. */
export function collapse(v: Value): Value {
  return Array.isArray(v) && v.length === 1 ? v[0]! : v;
}

const LISTS: [string, string][] = [
  ['actions', 'Action'],
  ['not_actions', 'NotAction'],
  ['resources', 'Resource'],
  ['not_resources', 'NotResource'],
];

/**
 * `[{ test, variable, values }]` → an IAM `Condition` object; `undefined` when the list is empty, an Unknown when it
 * cannot be read. `at` is the input pointer of the list; positions go to `conditionAt` in the builder.
 */
export function renderConditions(list: Value | undefined, at: string, b: ResourceBuilder, conditionAt: string): Value | undefined {
  if (list === undefined || list === null) return undefined;
  if (!Array.isArray(list)) return mkUnknown(at.slice(1).replace(/\//g, '.'));
  if (list.length === 0) return undefined;
  const out = newObject();
  b.place(conditionAt, at);
  for (const [i, c] of list.entries()) {
    if (!isObject(c) || typeof c.test !== 'string' || typeof c.variable !== 'string') return mkUnknown(`${at.slice(1)}[${i}]`);
    const byTest = isObject(out[c.test]) ? (out[c.test] as ObjectValue) : newObject();
    byTest[c.variable] = Array.isArray(c.values) ? collapse(c.values) : c.values ?? null;
    out[c.test] = byTest;
    b.place(join(conditionAt, c.test), `${at}/${i}`);
    b.place(join(conditionAt, c.test, c.variable), `${at}/${i}/values`);
  }
  return out;
}

function principals(list: Value | undefined): Value | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const out = newObject();
  for (const p of list) {
    if (!isObject(p) || typeof p.type !== 'string') return mkUnknown('principals');
    const key = p.type === '*' ? '*' : p.type;
    const ids = Array.isArray(p.identifiers) ? p.identifiers : [p.identifiers ?? null];
    const prev = out[key];
    out[key] = collapse([...(Array.isArray(prev) ? prev : prev === undefined ? [] : [prev]), ...ids]);
  }
  return out;
}

/** One statement object given to a module → an IAM statement, positions placed at the caller's entry. */
export function renderStatement(s: Value, at: string, b: ResourceBuilder, statementAt: string): Value {
  if (!isObject(s)) return isUnknown(s) ? s : mkUnknown(at.slice(1));
  const out = newObject();
  b.place(statementAt, at);
  if (typeof s.sid === 'string') out.Sid = s.sid;
  out.Effect = typeof s.effect === 'string' || isUnknown(s.effect) ? s.effect : 'Allow';
  b.place(join(statementAt, 'Effect'), s.effect !== undefined && s.effect !== null ? `${at}/effect` : at);
  for (const [input, key] of LISTS) {
    const v = s[input];
    if (v === undefined || v === null) continue;
    out[key] = collapse(v);
    b.place(join(statementAt, key), `${at}/${input}`);
  }
  const principal = principals(s.principals);
  if (principal !== undefined) {
    out.Principal = principal;
    b.place(join(statementAt, 'Principal'), `${at}/principals`);
  }
  const notPrincipal = principals(s.not_principals);
  if (notPrincipal !== undefined) {
    out.NotPrincipal = notPrincipal;
    b.place(join(statementAt, 'NotPrincipal'), `${at}/not_principals`);
  }
  const key = s.conditions !== undefined ? 'conditions' : 'condition';
  const condition = renderConditions(s[key], `${at}/${key}`, b, join(statementAt, 'Condition'));
  if (condition !== undefined) out.Condition = condition;
  return out;
}

/** A list of statement objects; an Unknown when the list itself is unresolved. */
export function renderStatements(list: Value | undefined, at: string, b: ResourceBuilder, base: string, offset = 0): Value[] | undefined {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return undefined;
  return list.map((s, i) => renderStatement(s, `${at}/${i}`, b, join(base, 'Statement', offset + i)));
}

/** Statements of the JSON documents in `source_policy_documents`; undefined when one cannot be read. */
export function sourceStatements(v: Value): Value[] | undefined {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) return undefined;
  const out: Value[] = [];
  for (const doc of v) {
    if (typeof doc !== 'string') return undefined;
    const parsed = parseJsonValue(doc);
    const st = isObject(parsed) ? parsed.Statement : undefined;
    if (Array.isArray(st)) out.push(...st);
    else if (isObject(st)) out.push(st);
    else return undefined;
  }
  return out;
}

/** A map of statement objects, each key the statement's `sid` unless it gives one; an Unknown map gives undefined. */
export function renderStatementMap(map: Value | undefined, at: string, b: ResourceBuilder, base: string, offset = 0): Value[] | undefined {
  if (map === undefined || map === null) return [];
  const entries = mapEntries(map);
  if (!entries) return undefined;
  return entries.map(([key, s], i) => {
    const out = renderStatement(s, `${at}/${escapeToken(key)}`, b, join(base, 'Statement', offset + i));
    if (isObject(out) && out.Sid === undefined) out.Sid = key;
    return out;
  });
}
