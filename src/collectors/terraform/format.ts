/**
 * Terraform's `format` and `formatlist`: the printf dialect of its function library (verbs
 * %v %#v %t %b %d %o %x %X %e %E %f %g %G %s %q, flags ` +-0#`, width, precision, `%[n]`),
 * where integers and floats are printed as Go's fmt prints big numbers.
 */
import { EvaluationError } from './evaluation-error.js';
import { type Value, isObject, isUnknown, toBool, toJson, toNum, toStr } from './values.js';

interface Verb {
  raw: string;
  mode: string;
  argNum: number;
  zero: boolean;
  sharp: boolean;
  plus: boolean;
  minus: boolean;
  space: boolean;
  width: number;
  prec: number;
}

const VERB = /%(?:(%)|([-+ 0#]*)(?:\[(\d+)\])?(\d*)(?:\.(\d*))?(?:\[(\d+)\])?([a-zA-Z]|$))/gy;

/** Formats like Terraform's `format(fmt, args...)`; a malformed verb or a wrong argument is an EvaluationError. */
export function formatValues(fmt: string, args: Value[]): string {
  let out = '';
  let next = 1;
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    VERB.lastIndex = pct;
    const m = VERB.exec(fmt);
    if (!m) throw new EvaluationError(`invalid format verb at offset ${pct}`);
    i = VERB.lastIndex;
    if (m[1] === '%') {
      out += '%';
      continue;
    }
    const [raw, flags = '', index1, width, prec, index2, mode] = m;
    if (!mode) throw new EvaluationError('format string ends in the middle of a verb');
    if (prec === '') throw new EvaluationError('a period in a format verb needs a precision');
    const index = index1 ?? index2;
    const argNum = index !== undefined ? Number(index) : next;
    next = argNum + 1;
    const verb: Verb = {
      raw,
      mode,
      argNum,
      zero: flags.includes('0'),
      sharp: flags.includes('#'),
      plus: flags.includes('+'),
      minus: flags.includes('-'),
      space: flags.includes(' '),
      width: width ? Number(width) : -1,
      prec: prec !== undefined ? Number(prec) : -1,
    };
    if (argNum < 1 || argNum > args.length) throw new EvaluationError(`not enough arguments for ${raw}`);
    out += formatOne(verb, args[argNum - 1]!);
  }
  return out;
}

/** Terraform's `formatlist`: list arguments (all of one length) are iterated together, other arguments repeat. */
export function formatList(fmt: string, args: Value[]): Value[] {
  let length = -1;
  for (const a of args) {
    if (!Array.isArray(a)) continue;
    if (length >= 0 && a.length !== length) throw new EvaluationError('formatlist: list arguments must all have the same length');
    length = a.length;
  }
  if (length < 0) length = 1;
  const out: Value[] = [];
  for (let n = 0; n < length; n++) out.push(formatValues(fmt, args.map((a) => (Array.isArray(a) ? a[n]! : a))));
  return out;
}

function formatOne(verb: Verb, arg: Value): string {
  if (isUnknown(arg)) throw new EvaluationError('unknown argument');
  if (arg === null) {
    if (verb.mode !== 'v') throw new EvaluationError(`null value cannot be formatted with ${verb.raw}`);
    return pad(verb, 'null');
  }
  switch (verb.mode) {
    case 'v':
      if (!verb.sharp && typeof arg === 'string') return pad(verb, arg);
      if (!verb.sharp && typeof arg === 'number') return pad(verb, formatFloat(arg, 'g', -1));
      return pad(verb, typeof arg === 'object' || isObject(arg) ? toJson(arg) : JSON.stringify(arg));
    case 't': {
      const b = toBool(arg);
      if (b === undefined) throw new EvaluationError(`${verb.raw} needs a bool`);
      return b ? 'true' : 'false';
    }
    case 'b': case 'd': case 'o': case 'x': case 'X':
      return numeric(verb, integer(number(verb, arg), verb));
    case 'e': case 'E': case 'f': case 'g': case 'G': {
      const n = number(verb, arg);
      const lower = verb.mode.toLowerCase() as 'e' | 'f' | 'g';
      const text = formatFloat(Math.abs(n), lower, verb.prec < 0 && lower !== 'g' ? 6 : verb.prec);
      return numeric(verb, { negative: n < 0 || Object.is(n, -0), digits: verb.mode === 'E' || verb.mode === 'G' ? text.toUpperCase() : text, prefix: '' });
    }
    case 's': case 'q': {
      const s = toStr(arg);
      if (s === undefined) throw new EvaluationError(`${verb.raw} needs a string`);
      const cut = verb.prec > 0 ? graphemes(s).slice(0, verb.prec).join('') : s;
      return pad(verb, verb.mode === 'q' ? goJsonString(cut) : cut);
    }
    default:
      throw new EvaluationError(`unsupported format verb ${verb.raw}`);
  }
}

function number(verb: Verb, arg: Value): number {
  const n = toNum(arg);
  if (n === undefined) throw new EvaluationError(`${verb.raw} needs a number`);
  return n;
}

/** Digits of an integer in the verb's base, with Go's `#` prefixes and precision as a minimum digit count. */
function integer(n: number, verb: Verb): { negative: boolean; digits: string; prefix: string } {
  if (!Number.isInteger(n)) throw new EvaluationError(`${verb.raw} needs an integer`);
  const base = { b: 2, o: 8, x: 16, X: 16, d: 10 }[verb.mode as 'b' | 'o' | 'x' | 'X' | 'd'];
  let digits = BigInt(Math.abs(n)).toString(base);
  if (verb.mode === 'X') digits = digits.toUpperCase();
  if (verb.prec >= 0) digits = verb.prec === 0 && n === 0 ? '' : digits.padStart(verb.prec, '0');
  let prefix = '';
  if (verb.sharp) prefix = verb.mode === 'b' ? '0b' : verb.mode === 'o' ? (digits.startsWith('0') ? '' : '0') : verb.mode === 'x' ? '0x' : verb.mode === 'X' ? '0X' : '';
  return { negative: n < 0, digits, prefix };
}

/** A number with its sign and padding, as Go's fmt lays out numbers (zeros go after the sign). */
function numeric(verb: Verb, n: { negative: boolean; digits: string; prefix: string }): string {
  const sign = n.negative ? '-' : verb.plus ? '+' : verb.space ? ' ' : '';
  const body = n.prefix + n.digits;
  const width = verb.width;
  const len = sign.length + body.length;
  if (width <= len) return sign + body;
  if (verb.minus) return sign + body + ' '.repeat(width - len);
  // Go pads integers with zeros only when no precision is given.
  const zeros = verb.zero && !(verb.prec >= 0 && 'bdoxX'.includes(verb.mode));
  return zeros ? sign + n.prefix + '0'.repeat(width - len) + n.digits : ' '.repeat(width - len) + sign + body;
}

/** Go's %e / %f / %g of a non-negative number: exponents have at least two digits, %g drops trailing zeros. */
export function formatFloat(n: number, mode: 'e' | 'f' | 'g', prec: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
  if (mode === 'f') return toFixed(n, prec);
  if (mode === 'e') return goExponent(n.toExponential(prec));
  // %g: shortest digits (prec -1) or prec significant digits; exponent form when the exponent is < -4 or >= the precision.
  const p = prec < 0 ? undefined : Math.max(prec, 1);
  const [mantissa = '0', e = '0'] = n.toExponential(p === undefined ? undefined : p - 1).split('e');
  const exp = Number(e);
  const digits = mantissa.replace('.', '').replace(/0+$/, '') || '0';
  let eprec = p ?? 6;
  if (p !== undefined && eprec > digits.length && digits.length >= exp + 1) eprec = digits.length;
  if (exp < -4 || exp >= eprec) return goExponent(`${digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits}e${exp}`);
  return toFixed(n, Math.max(digits.length - exp - 1, 0));
}

function toFixed(n: number, places: number): string {
  if (places <= 100 && n < 1e21) return n.toFixed(places);
  return BigInt(Math.round(n)).toString() + (places > 0 ? '.' + '0'.repeat(places) : '');
}

function goExponent(text: string): string {
  return text.replace(/e([+-]?)(\d+)$/, (_, sign: string, d: string) => `e${sign === '-' ? '-' : '+'}${d.padStart(2, '0')}`);
}

function graphemes(s: string): string[] {
  return Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(s), (x) => x.segment);
}

/** Width counts characters (grapheme clusters); `0` pads with zeros, `-` on the right. */
function pad(verb: Verb, text: string): string {
  if (verb.width < 0) return text;
  const len = graphemes(text).length;
  if (len >= verb.width) return text;
  const fill = (verb.zero ? '0' : ' ').repeat(verb.width - len);
  return verb.minus ? text + fill : fill + text;
}

/** A string as Go's encoding/json writes it (`<`, `>` and `&` escaped too). */
function goJsonString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
