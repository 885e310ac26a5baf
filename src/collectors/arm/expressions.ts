/**
 * ARM template expressions (`"[format('{0}/{1}', parameters('name'), 'fic')]"`): a small parser
 * and evaluator, no `eval`. Values the template itself defines (parameter defaults, variables,
 * literal arguments) are computed; deployment-time values (`subscription()`, `reference()`,
 * `guid()`, parameters without default) become Unknowns that keep what is known: a string's
 * literal prefix/suffix, the `${...}` shape of a resource id, and the template resource a
 * `reference()` reads.
 */
import type { JsonValue, Unknown } from '../../model/types.js';
import { isUnknown, unknown } from '../../model/unknown.js';
import { createObject, DEFAULT_LIMITS } from '../../util/structured.js';
import { NestingTooDeep } from '../../util/nesting.js';
import { own } from '../../util/own.js';

export type ArmValue = JsonValue | Unknown;

type Node =
  | { kind: 'string'; value: string }
  | { kind: 'number'; value: number }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'member'; target: Node; name: string }
  | { kind: 'index'; target: Node; index: Node };

export class ExpressionError extends Error {}

const MAX_EXPRESSION_LENGTH = 20_000;

/** True for a string ARM evaluates (`[...]`, but not the `[[` escape). */
export function isExpression(s: string): boolean {
  return s.startsWith('[') && s.endsWith(']') && !s.startsWith('[[');
}

/** Parses an expression; nesting past `maxDepth` (`--max-depth`) is a {@link NestingTooDeep}, not a bad expression. */
export function parseExpression(text: string, maxDepth = DEFAULT_LIMITS.maxDepth): Node {
  if (text.length > MAX_EXPRESSION_LENGTH) throw new ExpressionError('expression too long');
  let pos = 0;
  const ws = () => {
    while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  };
  const expect = (ch: string) => {
    ws();
    if (text[pos] !== ch) throw new ExpressionError(`expected '${ch}' at ${pos + 1}`);
    pos++;
  };
  const primary = (depth: number): Node => {
    if (depth > maxDepth) throw new NestingTooDeep(maxDepth);
    ws();
    const ch = text[pos];
    if (ch === "'") {
      let out = '';
      pos++;
      for (;;) {
        if (pos >= text.length) throw new ExpressionError('unterminated string');
        if (text[pos] === "'") {
          if (text[pos + 1] === "'") {
            out += "'";
            pos += 2;
            continue;
          }
          pos++;
          break;
        }
        out += text[pos++];
      }
      return { kind: 'string', value: out };
    }
    const num = /^-?\d+(\.\d+)?/.exec(text.slice(pos));
    if (num) {
      pos += num[0].length;
      return { kind: 'number', value: Number(num[0]) };
    }
    const ident = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(pos));
    if (!ident) throw new ExpressionError(`unexpected '${ch ?? 'end'}' at ${pos + 1}`);
    pos += ident[0].length;
    expect('(');
    const args: Node[] = [];
    ws();
    if (text[pos] === ')') pos++;
    else {
      for (;;) {
        args.push(postfix(depth + 1));
        ws();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        expect(')');
        break;
      }
    }
    return { kind: 'call', name: ident[0], args };
  };
  const postfix = (depth: number): Node => {
    let node = primary(depth);
    for (;;) {
      ws();
      if (text[pos] === '.') {
        pos++;
        ws();
        const name = /^[A-Za-z_$][A-Za-z0-9_$-]*/.exec(text.slice(pos));
        if (!name) throw new ExpressionError(`expected a property name at ${pos + 1}`);
        pos += name[0].length;
        node = { kind: 'member', target: node, name: name[0] };
      } else if (text[pos] === '[') {
        pos++;
        const index = postfix(depth + 1);
        expect(']');
        node = { kind: 'index', target: node, index };
      } else return node;
    }
  };
  const node = postfix(0);
  ws();
  if (pos !== text.length) throw new ExpressionError(`unexpected '${text[pos]}' at ${pos + 1}`);
  return node;
}

/** What an evaluation can see of its template. */
export interface EvalScope {
  parameter(name: string): ArmValue;
  variable(name: string): ArmValue;
  /** The inventory id of a template resource by full type and name segments, or by symbolic name. */
  resourceIdFor(type: string, names: string[]): string | undefined;
  symbolic(name: string): { id: string; type: string; names: string[] } | undefined;
  /** `resourceGroup`, `subscription`, `managementGroup` or `tenant`: what the deployment targets. */
  targetScope: 'resourceGroup' | 'subscription' | 'managementGroup' | 'tenant';
}

/** How an Unknown reads inside a string: `${...}` around its expression. */
function unknownText(u: Unknown): string {
  return u.$unknown.includes('${') ? u.$unknown : '${' + u.$unknown + '}';
}

/** Concatenates known text and Unknowns: one string, or an Unknown keeping the literal ends. */
export function concatParts(parts: ArmValue[]): ArmValue {
  if (parts.every((p) => typeof p === 'string')) return (parts as string[]).join('');
  let text = '';
  let prefix = '';
  let suffix = '';
  let seenUnknown = false;
  for (const p of parts) {
    if (isUnknown(p)) {
      text += unknownText(p);
      if (!seenUnknown) prefix += p.prefix ?? '';
      seenUnknown = true;
      suffix = p.suffix ?? '';
      continue;
    }
    const s = scalarText(p);
    if (s === undefined) return unknown('non-string value in a string');
    text += s;
    if (seenUnknown) suffix += s;
    else prefix += s;
  }
  return unknown(text, { ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}) });
}

function scalarText(v: ArmValue): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  return undefined;
}

function resourcePath(type: string, names: ArmValue[]): ArmValue {
  const typeParts = type.split('/');
  const parts: ArmValue[] = [`/providers/${typeParts[0]}`];
  for (let i = 1; i < typeParts.length; i++) {
    parts.push(`/${typeParts[i]}/`);
    parts.push(names[i - 1] ?? unknown('name'));
  }
  return concatParts(parts);
}

const SUBSCRIPTION_ID = unknown('subscription().subscriptionId');
const RESOURCE_GROUP_NAME = unknown('resourceGroup().name');

export class Evaluator {
  /** Nested evaluations: one per level of an expression, and one per link of a chain of variables or parameters. */
  private depth = 0;
  constructor(
    private readonly scope: EvalScope,
    private readonly maxDepth = DEFAULT_LIMITS.maxDepth,
  ) {}

  /** Evaluates a JSON value: strings in `[...]` are expressions; objects and arrays recursively. */
  value(v: JsonValue): ArmValue {
    if (typeof v === 'string') return this.string(v);
    if (Array.isArray(v)) return v.map((x) => this.value(x) as JsonValue);
    if (v && typeof v === 'object') {
      const out = createObject();
      for (const [k, x] of Object.entries(v)) out[k] = this.value(x) as JsonValue;
      return out;
    }
    return v;
  }

  string(s: string): ArmValue {
    if (s.startsWith('[[')) return s.slice(1);
    if (!isExpression(s)) return s;
    try {
      return this.eval(parseExpression(s.slice(1, -1), this.maxDepth));
    } catch (e) {
      if (e instanceof ExpressionError) return unknown(s);
      throw e;
    }
  }

  private eval(node: Node): ArmValue {
    if (++this.depth > this.maxDepth) {
      this.depth--;
      throw new NestingTooDeep(this.maxDepth);
    }
    try {
      switch (node.kind) {
        case 'string':
          return node.value;
        case 'number':
          return node.value;
        case 'member':
          return member(this.eval(node.target), node.name);
        case 'index': {
          const target = this.eval(node.target);
          const index = this.eval(node.index);
          if (Array.isArray(target) && typeof index === 'number') return target[index] ?? unknown('index out of range');
          if (typeof index === 'string') return member(target, index);
          return unknown('index');
        }
        case 'call':
          return this.call(node.name.toLowerCase(), node.args);
      }
    } finally {
      this.depth--;
    }
  }

  private call(name: string, argNodes: Node[]): ArmValue {
    const args = () => argNodes.map((a) => this.eval(a));
    switch (name) {
      case 'parameters': {
        const [n] = args();
        return typeof n === 'string' ? this.scope.parameter(n) : unknown('parameters()');
      }
      case 'variables': {
        const [n] = args();
        return typeof n === 'string' ? this.scope.variable(n) : unknown('variables()');
      }
      case 'concat': {
        const a = args();
        if (a.length > 0 && a.every((x) => Array.isArray(x))) return (a as JsonValue[][]).flat();
        return concatParts(a);
      }
      case 'format': {
        const [fmt, ...rest] = args();
        if (typeof fmt !== 'string') return unknown('format()');
        const parts: ArmValue[] = [];
        let last = 0;
        const re = /\{(\d+)(:[^}]*)?\}/g;
        let m: RegExpExecArray | null;
        while ((m = re.exec(fmt)) !== null) {
          parts.push(fmt.slice(last, m.index));
          parts.push(rest[Number(m[1])] ?? unknown('format argument'));
          last = m.index + m[0].length;
        }
        parts.push(fmt.slice(last));
        return concatParts(parts.map((p) => (typeof p === 'string' ? p.replace(/\{\{/g, '{').replace(/\}\}/g, '}') : p)));
      }
      case 'tolower':
      case 'toupper': {
        const [s] = args();
        if (typeof s === 'string') return name === 'tolower' ? s.toLowerCase() : s.toUpperCase();
        return unknown(`${name}()`);
      }
      case 'string': {
        const [s] = args();
        return scalarText(s ?? null) ?? (isUnknown(s) ? s : unknown('string()'));
      }
      case 'true':
        return true;
      case 'false':
        return false;
      case 'null':
        return null;
      case 'createarray':
        return args() as JsonValue[];
      case 'equals': {
        const [a, b] = args();
        if (isUnknown(a) || isUnknown(b) || typeof a === 'object' || typeof b === 'object') return unknown('equals()');
        return a === b;
      }
      case 'not': {
        const [a] = args();
        return typeof a === 'boolean' ? !a : unknown('not()');
      }
      case 'if': {
        const c = argNodes[0] ? this.eval(argNodes[0]) : undefined;
        if (typeof c === 'boolean') return argNodes[c ? 1 : 2] ? this.eval(argNodes[c ? 1 : 2]!) : null;
        return unknown('if()');
      }
      case 'resourceid':
        return this.resourceId(args(), 'resourceGroup');
      case 'subscriptionresourceid':
        return this.resourceId(args(), 'subscription');
      case 'tenantresourceid':
        return this.resourceId(args(), 'tenant');
      case 'extensionresourceid': {
        const [scope, type, ...names] = args();
        if (typeof type !== 'string') return unknown('extensionResourceId()');
        return concatParts([scope ?? unknown('scope'), resourcePath(type, names)]);
      }
      case 'subscription': {
        const o = createObject();
        o.subscriptionId = SUBSCRIPTION_ID as unknown as JsonValue;
        o.id = concatParts(['/subscriptions/', SUBSCRIPTION_ID]) as JsonValue;
        o.tenantId = unknown('subscription().tenantId') as unknown as JsonValue;
        return o;
      }
      case 'resourcegroup': {
        const o = createObject();
        o.name = RESOURCE_GROUP_NAME as unknown as JsonValue;
        o.id = concatParts(['/subscriptions/', SUBSCRIPTION_ID, '/resourceGroups/', RESOURCE_GROUP_NAME]) as JsonValue;
        o.location = unknown('resourceGroup().location') as unknown as JsonValue;
        return o;
      }
      case 'reference': {
        const [target] = args();
        return this.reference(target ?? null);
      }
      default:
        // guid(), uniqueString(), utcNow(), environment(), deployment(), list*(): deployment-time values.
        return unknown(`${name}()`);
    }
  }

  private resourceId(a: ArmValue[], level: 'resourceGroup' | 'subscription' | 'tenant'): ArmValue {
    const typeAt = a.findIndex((x) => typeof x === 'string' && x.includes('/'));
    if (typeAt < 0) return unknown('resourceId()');
    const type = a[typeAt] as string;
    const leading = a.slice(0, typeAt);
    const names = a.slice(typeAt + 1);
    const path = resourcePath(type, names);
    let full: ArmValue;
    if (level === 'tenant') full = path;
    else {
      const subscription = leading.length >= (level === 'resourceGroup' ? 2 : 1) ? leading[0]! : SUBSCRIPTION_ID;
      const parts: ArmValue[] = ['/subscriptions/', subscription];
      if (level === 'resourceGroup') parts.push('/resourceGroups/', leading.length >= 1 ? leading[leading.length - 1]! : RESOURCE_GROUP_NAME);
      parts.push(path);
      full = concatParts(parts);
    }
    const known = names.every((n): n is string => typeof n === 'string');
    const id = known ? this.scope.resourceIdFor(type, names) : undefined;
    if (id && isUnknown(full)) full.ref = { id, attribute: 'id' };
    return full;
  }

  private reference(target: ArmValue): ArmValue {
    let id: string | undefined;
    if (isUnknown(target) && target.ref?.attribute === 'id') id = target.ref.id;
    else if (typeof target === 'string') {
      const symbolic = this.scope.symbolic(target);
      if (symbolic) id = symbolic.id;
      else {
        const m = /\/providers\/(.+)$/.exec(target);
        if (m) {
          const segs = m[1]!.split('/');
          const type = [segs[0]!, ...segs.slice(1).filter((_, i) => i % 2 === 0)].join('/');
          const names = segs.slice(1).filter((_, i) => i % 2 === 1);
          id = this.scope.resourceIdFor(type, names);
        } else if (!target.includes('/')) {
          id = undefined;
        }
      }
    }
    return id ? unknown('reference()', { ref: { id, attribute: '' } }) : unknown('reference()');
  }
}

function member(target: ArmValue, name: string): ArmValue {
  if (isUnknown(target)) {
    const text = `${target.$unknown}.${name}`;
    if (target.ref) return unknown(text, { ref: { id: target.ref.id, attribute: target.ref.attribute ? `${target.ref.attribute}.${name}` : name } });
    return unknown(text);
  }
  if (target && typeof target === 'object' && !Array.isArray(target)) {
    const v = own(target, name);
    return v === undefined ? unknown(`.${name}`) : v;
  }
  return unknown(`.${name}`);
}
