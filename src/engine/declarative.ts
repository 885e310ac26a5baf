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

function query(body: JsonValue, path: string): { value: JsonValue; pointer: string; property: string }[] {
  const out: { value: JsonValue; pointer: string; property: string }[] = [];
  exec(body as never, path, (value: unknown, segments: (string | number)[]) => {
    const pointer = segments.map((s) => '/' + escapeToken(s)).join('');
    out.push({ value: value as JsonValue, pointer, property: String(segments[segments.length - 1] ?? '') });
  });
  return out;
}

function whereHolds(rule: DeclarativeRule, resource: Resource): boolean {
  for (const w of rule.given.where ?? []) {
    const nodes = query(resource.body, w.path);
    const value = nodes.length === 0 ? undefined : nodes[0]!.value;
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
      for (const resource of ctx.model.resources) {
        if (!typeMatches(given.types, resource.type) || !whereHolds(rule, resource)) continue;
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
