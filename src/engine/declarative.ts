/**
 * Declarative rules: YAML files with the rule's metadata, a `given` (resource types, optional
 * `where` filters, and an RFC 9535 JSONPath) and a named check applied to each matched node.
 * Like Spectral, the check states what must hold; every node that fails it is reported.
 */
import { exec } from 'jsonpath-rfc9535';
import { parse as parseYamlText } from 'yaml';
import { Ajv } from 'ajv';
import type { JsonValue, Resource } from '../model/types.js';
import type { CodeRule, RuleContext, RuleMeta } from './rule-api.js';
import { escapeToken } from '../util/pointer.js';
import { PodtrustError } from '../errors.js';
import { wildcardMatch as wildcardSegment } from '../federation/wildcard.js';

export type CheckFunction = 'truthy' | 'falsy' | 'defined' | 'undefined' | 'equals' | 'notEquals' | 'enum' | 'pattern';

export interface DeclarativeRule extends RuleMeta {
  given: {
    /** Resource types; `*` wildcards allowed (`k8s.*`). */
    types: string[];
    /** Every filter must hold for a resource to be checked. */
    where?: { path: string; check: CheckSpec }[];
    /** Nodes to check; `$` is the resource body. */
    path: string;
  };
  then: CheckSpec;
  /** `{{value}}`, `{{name}}`, `{{namespace}}`, `{{property}}` are filled in. */
  message: string;
}

export interface CheckSpec {
  function: CheckFunction;
  /** For equals / notEquals / enum (`values`) / pattern (`match` or `notMatch`, wildcards). */
  value?: JsonValue;
  values?: JsonValue[];
  match?: string;
  notMatch?: string;
}

const checkSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['function'],
  properties: {
    function: { enum: ['truthy', 'falsy', 'defined', 'undefined', 'equals', 'notEquals', 'enum', 'pattern'] },
    value: {},
    values: { type: 'array' },
    match: { type: 'string' },
    notMatch: { type: 'string' },
  },
} as const;

/** The JSON Schema every declarative rule file is validated against when loaded. */
export const declarativeRuleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'title', 'severity', 'provider', 'description', 'remediation', 'references', 'given', 'then', 'message'],
  properties: {
    id: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
    title: { type: 'string', minLength: 1 },
    severity: { enum: ['critical', 'high', 'medium', 'low'] },
    provider: { enum: ['aws', 'azure', 'gcp', 'kubernetes', 'cross'] },
    description: { type: 'string', minLength: 1 },
    remediation: { type: 'string', minLength: 1 },
    references: { type: 'array', items: { type: 'string' } },
    tags: { type: 'array', items: { type: 'string' } },
    examples: { type: 'object', additionalProperties: false, properties: { bad: { type: 'string' }, good: { type: 'string' } } },
    given: {
      type: 'object',
      additionalProperties: false,
      required: ['types', 'path'],
      properties: {
        types: { type: 'array', minItems: 1, items: { type: 'string' } },
        where: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['path', 'check'], properties: { path: { type: 'string' }, check: checkSchema } } },
        path: { type: 'string', pattern: '^\\$' },
      },
    },
    then: checkSchema,
    message: { type: 'string', minLength: 1 },
  },
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;

/** Parses and validates a rule file; errors name the file. */
export function loadDeclarativeRule(file: string, source: string): DeclarativeRule {
  let data: unknown;
  try {
    data = parseYamlText(source);
  } catch (e) {
    throw new PodtrustError('internal', `${file}: invalid rule YAML: ${(e as Error).message}`);
  }
  validator ??= new Ajv({ allErrors: true, strict: true }).compile(declarativeRuleSchema);
  if (!validator(data)) {
    const detail = (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`).join('; ');
    throw new PodtrustError('internal', `${file}: invalid rule: ${detail}`);
  }
  return data as DeclarativeRule;
}

function typeMatches(patterns: string[], type: string): boolean {
  return patterns.some((p) => wildcardSegment(p, type));
}

/** `typeMatches` for one rule's patterns, remembered per resource type. */
function typeMatcher(patterns: string[]): (type: string) => boolean {
  const answers = new Map<string, boolean>();
  return (type) => {
    let answer = answers.get(type);
    if (answer === undefined) answers.set(type, (answer = typeMatches(patterns, type)));
    return answer;
  };
}

function isTruthy(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function deepEqual(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function checkHolds(spec: CheckSpec, value: JsonValue | undefined): boolean {
  switch (spec.function) {
    case 'truthy':
      return isTruthy(value);
    case 'falsy':
      return !isTruthy(value);
    case 'defined':
      return value !== undefined;
    case 'undefined':
      return value === undefined;
    case 'equals':
      return deepEqual(value, spec.value);
    case 'notEquals':
      return !deepEqual(value, spec.value);
    case 'enum':
      return (spec.values ?? []).some((v) => deepEqual(v, value));
    case 'pattern': {
      if (typeof value !== 'string') return false;
      if (spec.match !== undefined && !wildcardSegment(spec.match, value)) return false;
      if (spec.notMatch !== undefined && wildcardSegment(spec.notMatch, value)) return false;
      return true;
    }
  }
}

interface QueryNode {
  value: JsonValue;
  pointer: string;
  property: string;
}

function query(body: JsonValue, path: string): QueryNode[] {
  const names = nameSegmentsOf(path);
  if (names) return selectNames(body, names);
  const out: QueryNode[] = [];
  exec(body as never, path, (value: unknown, segments: (string | number)[]) => {
    const pointer = segments.map((s) => '/' + escapeToken(s)).join('');
    out.push({ value: value as JsonValue, pointer, property: String(segments[segments.length - 1] ?? '') });
  });
  return out;
}

/*
 * Paths made only of child name selectors (`$.metadata.name`, `$.a['b','c']`) are evaluated
 * here, once parsed, instead of by the library, which parses the path again for every resource.
 * The answers are the library's: the same nodes in the same order (its breadth-first order is,
 * for name selectors alone, depth first in written order), plain objects only, own keys only.
 * Any other path goes to the library.
 */
const SHORTHAND = /^\.([A-Za-z_][A-Za-z0-9_]*)/;
const BRACKETED = /^\[[ \t\n\r]*((?:'[^'\\\x00-\x1f]*'|"[^"'\\\x00-\x1f]*")(?:[ \t\n\r]*,[ \t\n\r]*(?:'[^'\\\x00-\x1f]*'|"[^"'\\\x00-\x1f]*"))*)[ \t\n\r]*\]/;
const QUOTED = /'([^']*)'|"([^"]*)"/g;
const nameSegmentCache = new Map<string, string[][] | null>();

function nameSegmentsOf(path: string): string[][] | undefined {
  let cached = nameSegmentCache.get(path);
  if (cached === undefined) nameSegmentCache.set(path, (cached = parseNameSegments(path)));
  return cached ?? undefined;
}

function parseNameSegments(path: string): string[][] | null {
  if (!path.startsWith('$')) return null;
  const segments: string[][] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const shorthand = SHORTHAND.exec(rest);
    if (shorthand) {
      segments.push([shorthand[1]!]);
      rest = rest.slice(shorthand[0].length);
      continue;
    }
    const bracketed = BRACKETED.exec(rest);
    if (!bracketed) return null;
    segments.push([...bracketed[1]!.matchAll(QUOTED)].map((m) => m[1] ?? m[2]!));
    rest = rest.slice(bracketed[0].length);
  }
  return segments;
}

function isPlainObject(v: unknown): v is Record<string, JsonValue> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === null || proto === Object.prototype;
}

/** The nodes the library would select, in its order; at most `limit` of them. */
function selectNames(body: JsonValue, segments: string[][], limit = Infinity): QueryNode[] {
  const out: QueryNode[] = [];
  const names: string[] = [];
  const walk = (value: JsonValue): void => {
    if (names.length === segments.length) {
      out.push({ value, pointer: names.map((n) => '/' + escapeToken(n)).join(''), property: names[names.length - 1] ?? '' });
      return;
    }
    if (!isPlainObject(value)) return;
    for (const name of segments[names.length]!) {
      if (out.length >= limit) return;
      if (!Object.hasOwn(value, name)) continue;
      names.push(name);
      walk(value[name]!);
      names.pop();
    }
  };
  walk(body);
  return out;
}

function firstValue(body: JsonValue, path: string): JsonValue | undefined {
  const names = nameSegmentsOf(path);
  const nodes = names ? selectNames(body, names, 1) : query(body, path);
  return nodes.length === 0 ? undefined : nodes[0]!.value;
}

function whereHolds(rule: DeclarativeRule, resource: Resource): boolean {
  for (const w of rule.given.where ?? []) {
    const value = firstValue(resource.body, w.path);
    if (!checkHolds(w.check, value)) return false;
  }
  return true;
}

function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (m, k: string) => vars[k] ?? m);
}

function display(v: JsonValue | undefined): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v) ?? 'undefined';
}

/** Wraps a declarative rule as a code rule so the engine runs one kind of rule. */
export function toCodeRule(rule: DeclarativeRule): CodeRule {
  const { given, then, message, ...meta } = rule;
  return {
    meta,
    check(ctx: RuleContext): void {
      const matchesType = typeMatcher(given.types);
      const all = ctx.model.resources;
      for (let i = 0; i < all.length; i++) {
        const resource = all[i]!;
        if (!matchesType(resource.type) || !whereHolds(rule, resource)) continue;
        for (const node of query(resource.body, given.path)) {
          if (checkHolds(then, node.value)) continue;
          ctx.report({
            resource,
            at: node.pointer,
            message: fill(message, { value: display(node.value), name: resource.name, namespace: resource.namespace ?? '(none set)', property: node.property }),
          });
        }
      }
    },
  };
}
