/** Terraform's built-in functions, evaluated where their arguments are known. */
import type { Unknown } from '../../model/types.js';
import { EvaluationError } from './evaluation-error.js';
import { formatList, formatValues } from './format.js';
import {
  type Value, type ObjectValue, isUnknown, isObject, newObject, mkUnknown, containsUnknownValue, toStr, toNum, toBool,
  equalValues, toJson, parseJsonValue, encodedValue, templatePieces, unknownString,
} from './values.js';


type Fn = (args: Value[], text: string) => Value;

function anyUnknown(args: Value[], deep: boolean): boolean {
  return args.some((a) => (deep ? containsUnknownValue(a) : isUnknown(a)));
}

/** Unknown with the reference of the argument kept (the function does not change which resource it names). */
function keepRef(arg: Value, text: string): Unknown {
  const u = mkUnknown(text);
  if (isUnknown(arg) && arg.ref) u.ref = arg.ref;
  return u;
}

function str(v: Value): string {
  const s = toStr(v);
  if (s === undefined) throw new EvaluationError('expected a string');
  return s;
}

function num(v: Value): number {
  const n = toNum(v);
  if (n === undefined) throw new EvaluationError('expected a number');
  return n;
}

function list(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  throw new EvaluationError('expected a list');
}

function collection(v: Value): Value[] {
  if (Array.isArray(v)) return v;
  if (isObject(v)) return Object.values(v);
  throw new EvaluationError('expected a collection');
}

function nonEmpty(args: Value[]): Value[] {
  if (args.length === 0) throw new EvaluationError('expected at least one argument');
  return args;
}

function obj(v: Value): ObjectValue {
  if (isObject(v)) return v;
  throw new EvaluationError('expected a map');
}

function distinct(items: Value[]): Value[] {
  const out: Value[] = [];
  for (const i of items) if (!out.some((o) => equalValues(o, i))) out.push(i);
  return out;
}

/** A set as Terraform orders it when it becomes a list: strings and numbers sorted, other elements as given. */
function asSet(items: Value[]): Value[] {
  // Mixed primitives take their common type, string.
  const primitives = items.every((x) => typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean');
  const mixed = primitives && new Set(items.map((x) => typeof x)).size > 1;
  const out = distinct(mixed ? items.map((x) => toStr(x)!) : items);
  if (out.every((x) => typeof x === 'string')) return (out as string[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (out.every((x) => typeof x === 'number')) return (out as number[]).sort((a, b) => a - b);
  return out;
}

/** Go's strings.Title: a letter after a separator (ASCII other than letters, digits and `_`; a space) is upper-cased. */
function titleCase(s: string): string {
  let out = '';
  let prev = ' ';
  for (const c of s) {
    out += isSeparator(prev) ? c.toUpperCase() : c;
    prev = c;
  }
  return out;
}

function isSeparator(c: string): boolean {
  if (c.length === 1 && c.charCodeAt(0) < 0x80) return !/[A-Za-z0-9_]/.test(c);
  if (/[\p{L}\p{N}]/u.test(c)) return false;
  return /\s/u.test(c);
}

/** Longest subject a regular expression from scanned code is run on. */
const MAX_REGEX_SUBJECT = 1000;

/**
 * Terraform's regular expressions are RE2, which runs in linear time; JavaScript's engine
 * backtracks, so a pattern from a scanned repository could stall the scan (`(a+)+$`). Only
 * patterns that cannot backtrack badly are run — no nested or stacked unbounded quantifiers,
 * no backreferences or lookaround — on subjects of bounded length; anything else stays
 * unknown, like every value podtrust cannot evaluate safely.
 */
export function isSafeRegex(pattern: string): boolean {
  if (pattern.length > 200 || /\\[1-9k]|\(\?<?[=!]/.test(pattern)) return false;
  // Every place the engine may choose (a quantifier that is not an exact count, an alternative)
  // multiplies the ways a subject can be matched: at most two keep it quadratic in the subject.
  let choices = 0;
  const groups: { quantified: boolean; alternation: boolean }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return false;
      i = end;
      continue;
    }
    if (c === '(') {
      groups.push({ quantified: false, alternation: false });
      // A group's `?` (non-capturing, named, flags) is no quantifier.
      const prefix = /^\(\?(?:P?<\w+>|[a-zA-Z]*:?)/.exec(pattern.slice(i));
      if (prefix) i += prefix[0].length - 1;
    }
    else if (c === '|') {
      choices++;
      const g = groups[groups.length - 1];
      if (g) g.alternation = true;
    } else if (c === ')') {
      const g = groups.pop();
      const next = pattern[i + 1];
      // A repeated group whose body can itself repeat or branch is where backtracking explodes.
      if ((g?.quantified || g?.alternation) && (next === '*' || next === '+' || next === '{')) return false;
    } else if (c === '*' || c === '+' || c === '?' || c === '{') {
      const exact = c === '{' && /^\{\d+\}/.test(pattern.slice(i));
      if (!exact) choices++;
      for (const g of groups) g.quantified = true;
    }
  }
  return choices <= 2;
}

function regex(pattern: string, subject: string): RegExp {
  if (!isSafeRegex(pattern) || subject.length > MAX_REGEX_SUBJECT) throw new EvaluationError('regular expression not evaluated');
  try {
    // RE2 writes a named group `(?P<name>...)`, JavaScript `(?<name>...)`.
    return new RegExp(pattern.replace(/\(\?P</g, '(?<'));
  } catch (e) {
    if (e instanceof SyntaxError) throw new EvaluationError('invalid regular expression');
    throw e;
  }
}

function replaceFn([s, search, replacement]: Value[], text: string): Value {
  if (isUnknown(s)) return keepRef(s, text);
  if (anyUnknown([s!, search!, replacement!], true)) return mkUnknown(text);
  const subject = str(s!);
  const find = str(search!);
  const rep = str(replacement!);
  if (find.length > 1 && find.startsWith('/') && find.endsWith('/')) {
    return subject.replace(new RegExp(regex(find.slice(1, -1), subject).source, 'g'), rep.replace(/\$\{(\w+)\}/g, '$<$1>'));
  }
  // Go's strings.Replace with nothing to find puts the replacement around every character.
  if (find === '') return rep + [...subject].join(rep) + rep;
  return subject.split(find).join(rep);
}

function stringFn(f: (s: string, rest: Value[]) => Value, keepsRef: boolean): Fn {
  return (args, text) => {
    const [s, ...rest] = args;
    if (s === undefined) throw new EvaluationError('missing argument');
    if (isUnknown(s)) return keepsRef ? keepRef(s, text) : mkUnknown(text);
    if (anyUnknown(rest, true)) return mkUnknown(text);
    return f(str(s), rest);
  };
}

function strict(f: (args: Value[]) => Value): Fn {
  return (args, text) => (anyUnknown(args, true) ? mkUnknown(text) : f(args));
}

function shallow(f: (args: Value[]) => Value): Fn {
  return (args, text) => (anyUnknown(args, false) ? mkUnknown(text) : f(args));
}

function decode(v: Value, text: string): Value {
  if (isUnknown(v)) {
    const encoded = encodedValue.get(v);
    if (encoded !== undefined) return encoded;
    if (templatePieces.has(v)) return mkUnknown(text);
    return mkUnknown(text);
  }
  const parsed = parseJsonValue(str(v));
  if (parsed === undefined) throw new EvaluationError('invalid JSON');
  return parsed;
}

const TABLE: Record<string, Fn> = {
  replace: replaceFn,
  lower: stringFn((s) => s.toLowerCase(), true),
  upper: stringFn((s) => s.toUpperCase(), true),
  trimspace: stringFn((s) => s.trim(), true),
  trimprefix: stringFn((s, [p]) => (s.startsWith(str(p!)) ? s.slice(str(p!).length) : s), true),
  trimsuffix: stringFn((s, [p]) => (str(p!) !== '' && s.endsWith(str(p!)) ? s.slice(0, -str(p!).length) : s), true),
  trim: stringFn((s, [chars]) => {
    const set = new Set(str(chars!));
    let a = 0;
    let b = s.length;
    while (a < b && set.has(s[a]!)) a++;
    while (b > a && set.has(s[b - 1]!)) b--;
    return s.slice(a, b);
  }, false),
  title: stringFn((s) => titleCase(s), false),
  substr: stringFn((s, [o, l]) => {
    const chars = [...s];
    let offset = num(o!);
    if (offset < 0) offset = chars.length + offset;
    const length = num(l!);
    return chars.slice(offset, length < 0 ? undefined : offset + length).join('');
  }, false),
  startswith: stringFn((s, [p]) => s.startsWith(str(p!)), false),
  endswith: stringFn((s, [p]) => s.endsWith(str(p!)), false),
  strcontains: stringFn((s, [p]) => s.includes(str(p!)), false),
  split: strict(([sep, s]) => str(s!).split(str(sep!))),
  regex: stringFn((s, [p]) => {
    const subject = str(p!);
    const m = regex(s, subject).exec(subject);
    if (!m) throw new EvaluationError('no match');
    if (m.groups) return Object.assign(newObject(), m.groups) as ObjectValue;
    return m.length > 1 ? m.slice(1).map((x) => x ?? null) : m[0];
  }, false),
  format: strict(([f, ...rest]) => formatValues(str(f!), rest)),
  formatlist: strict(([f, ...rest]) => formatList(str(f!), rest)),
  join: (args, text) => {
    const [sep, ...lists] = args;
    if (sep === undefined || anyUnknown(args, false) || lists.some((l) => Array.isArray(l) && l.some(isUnknown))) return mkUnknown(text);
    return lists.flatMap((l) => list(l)).map((x) => str(x)).join(str(sep));
  },
  jsonencode: ([v], text) => {
    if (v === undefined) throw new EvaluationError('missing argument');
    if (containsUnknownValue(v)) {
      const u = mkUnknown(text);
      encodedValue.set(u, v);
      return u;
    }
    return toJson(v);
  },
  jsondecode: ([v], text) => decode(v!, text),
  // Terraform's YAML layout is not reproduced: the text stays unknown, its value is kept for readers of its structure (aws-auth mapRoles).
  yamlencode: ([v], text) => {
    if (v === undefined) throw new EvaluationError('missing argument');
    const u = mkUnknown(text);
    encodedValue.set(u, v);
    return u;
  },
  concat: shallow((args) => args.flatMap((a) => list(a))),
  merge: shallow((args) => {
    const out = newObject();
    for (const a of args) if (a !== null) Object.assign(out, obj(a));
    return out;
  }),
  length: shallow(([v]) => {
    if (typeof v === 'string') return [...v].length;
    return collection(v!).length;
  }),
  lookup: (args, text) => {
    const [m, k, d] = args;
    if (isUnknown(m) || isUnknown(k)) return mkUnknown(text);
    const key = str(k!);
    const map = obj(m!);
    if (key in map) return map[key]!;
    if (d === undefined) throw new EvaluationError(`no key ${key}`);
    return d;
  },
  element: shallow(([l, i]) => {
    const items = list(l!);
    const index = num(i!);
    if (items.length === 0) throw new EvaluationError('empty list');
    if (index < 0) throw new EvaluationError('element: a negative index');
    return items[index % items.length]!;
  }),
  index: shallow(([l, v]) => {
    const i = list(l!).findIndex((x) => equalValues(x, v!));
    if (i < 0) throw new EvaluationError('not found');
    return i;
  }),
  coalesce: (args, text) => {
    for (const [i, a] of args.entries()) {
      // With only nulls after it, an unresolved argument is the result (or Terraform fails): it keeps its reference.
      if (isUnknown(a)) return args.slice(i + 1).every((x) => x === null) ? a : mkUnknown(text);
      if (a !== null && a !== '') return a;
    }
    throw new EvaluationError('no non-null argument');
  },
  coalescelist: shallow((args) => args.find((a) => Array.isArray(a) && a.length > 0) ?? []),
  flatten: (args, text) => {
    const flat = (v: Value): Value[] | undefined => {
      if (isUnknown(v)) return undefined;
      if (!Array.isArray(v)) return [v];
      const out: Value[] = [];
      for (const x of v) {
        if (Array.isArray(x) || (isUnknown(x) && !unknownString(x))) {
          const inner = flat(x);
          if (!inner) return undefined;
          out.push(...inner);
        } else out.push(x);
      }
      return out;
    };
    const r = flat(args[0]!);
    return r ?? mkUnknown(text);
  },
  distinct: shallow(([l]) => distinct(list(l!))),
  keys: shallow(([m]) => Object.keys(obj(m!)).sort()),
  values: shallow(([m]) => Object.keys(obj(m!)).sort().map((k) => obj(m!)[k]!)),
  contains: strict(([l, v]) => collection(l!).some((x) => equalValues(x, v!))),
  toset: shallow(([l]) => asSet(collection(l!))),
  tolist: shallow(([l]) => collection(l!)),
  tomap: shallow(([m]) => obj(m!)),
  tostring: (args, text) => (isUnknown(args[0]) ? keepRef(args[0]!, text) : args[0] === null ? null : str(args[0]!)),
  tonumber: strict(([v]) => (v === null ? null : num(v!))),
  tobool: strict(([v]) => {
    if (v === null) return null;
    const b = toBool(v!);
    if (b === undefined) throw new EvaluationError('expected a bool');
    return b;
  }),
  compact: shallow(([l]) => list(l!).filter((x) => x !== null && x !== '')),
  zipmap: shallow(([k, v]) => {
    const out = newObject();
    const ks = list(k!);
    const vs = list(v!);
    ks.forEach((key, i) => {
      if (isUnknown(key)) throw new EvaluationError('unknown key');
      out[str(key)] = vs[i] ?? null;
    });
    return out;
  }),
  slice: shallow(([l, a, b]) => list(l!).slice(num(a!), num(b!))),
  reverse: shallow(([l]) => [...list(l!)].reverse()),
  sort: strict(([l]) => list(l!).map((x) => str(x)).sort()),
  setunion: shallow((args) => asSet(args.flatMap((a) => collection(a)))),
  setintersection: shallow(([first, ...rest]) => asSet(collection(first!)).filter((x) => rest.every((r) => collection(r).some((y) => equalValues(x, y))))),
  setsubtract: shallow(([a, b]) => asSet(collection(a!)).filter((x) => !collection(b!).some((y) => equalValues(x, y)))),
  range: strict((args) => {
    const [start, end, step] = args.length === 1 ? [0, num(args[0]!), 1] : [num(args[0]!), num(args[1]!), args[2] === undefined ? 1 : num(args[2])];
    const out: number[] = [];
    if (step === 0) throw new EvaluationError('step 0');
    for (let i = start; step > 0 ? i < end : i > end; i += step) {
      out.push(i);
      if (out.length > 1024) throw new EvaluationError('range too long');
    }
    return out;
  }),
  max: strict((args) => Math.max(...nonEmpty(args).map(num))),
  min: strict((args) => Math.min(...nonEmpty(args).map(num))),
  abs: strict(([v]) => Math.abs(num(v!))),
  ceil: strict(([v]) => Math.ceil(num(v!))),
  floor: strict(([v]) => Math.floor(num(v!))),
  base64encode: strict(([v]) => Buffer.from(str(v!), 'utf8').toString('base64')),
  base64decode: strict(([v]) => Buffer.from(str(v!), 'base64').toString('utf8')),
  one: shallow(([l]) => {
    const items = collection(l!);
    if (items.length > 1) throw new EvaluationError('more than one element');
    return items[0] ?? null;
  }),
  alltrue: strict(([l]) => list(l!).every((x) => toBool(x) === true)),
  anytrue: strict(([l]) => list(l!).some((x) => toBool(x) === true)),
  chunklist: shallow(([l, n]) => {
    const items = list(l!);
    const size = num(n!);
    if (size <= 0) return [items];
    const out: Value[] = [];
    for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
    return out;
  }),
  transpose: strict(([m]) => {
    const out = newObject();
    for (const [k, vs] of Object.entries(obj(m!))) for (const v of list(vs)) ((out[str(v)] ??= []) as Value[]).push(k);
    return out;
  }),
  sensitive: ([v]) => v ?? null,
  nonsensitive: ([v]) => v ?? null,
};

export const FUNCTIONS: Record<string, Fn> = Object.assign(Object.create(null) as Record<string, Fn>, TABLE);
