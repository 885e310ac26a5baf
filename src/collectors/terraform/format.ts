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
  let used = 0;
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
    const [raw, , flags = '', index1, width, prec, index2, mode] = m;
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
    used = Math.max(used, argNum);
  }
  if (used < args.length) throw new EvaluationError(`too many arguments: the format string uses ${used}`);
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
      if (!verb.sharp && typeof arg === 'number') return pad(verb, (arg < 0 ? '-' : '') + formatFloat(Math.abs(arg), 'g', -1));
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

/** A non-negative number as decimal digits: 0.`digits` × 10^`dp`, no trailing zeros (`''` for zero). */
interface Decimal {
  digits: string;
  dp: number;
}

function decimalOf(n: number): Decimal {
  if (n === 0) return { digits: '', dp: 0 };
  const [mantissa = '0', e = '0'] = n.toExponential().split('e');
  return { digits: mantissa.replace('.', '').replace(/0+$/, ''), dp: Number(e) + 1 };
}

/** Terraform's numbers are binary floats of this many bits, parsed from the decimal text. */
const PRECISION = 512n;

/**
 * Whether the binary number nearest to the decimal (at Terraform's precision) lies below it (-1),
 * above it (1) or is exactly it (0): that decides a rounding tie, as Go rounds the binary value.
 */
function binarySide(d: Decimal): number {
  const scale = d.digits.length - d.dp;
  if (scale <= 0) return 0;
  const num = BigInt(d.digits);
  const den = 10n ** BigInt(scale);
  let k = PRECISION - BigInt(num.toString(2).length - den.toString(2).length);
  let q = (num << k) / den;
  while (BigInt(q.toString(2).length) > PRECISION) q = (num << --k) / den;
  while (BigInt(q.toString(2).length) < PRECISION) q = (num << ++k) / den;
  const r = (num << k) - q * den;
  const m = 2n * r > den || (2n * r === den && (q & 1n) === 1n) ? q + 1n : q;
  const diff = m * den - (num << k);
  return diff > 0n ? 1 : diff < 0n ? -1 : 0;
}

/** Keeps `nd` digits, rounding as Go's big.Float does: to nearest, exact ties to even. */
function roundTo(d: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= d.digits.length) return d;
  const next = d.digits[nd]!;
  let up: boolean;
  if (next !== '5' || nd + 1 < d.digits.length) up = next >= '5';
  else {
    const side = binarySide(d);
    up = side > 0 || (side === 0 && nd > 0 && Number(d.digits[nd - 1]) % 2 === 1);
  }
  if (!up) return { digits: d.digits.slice(0, nd).replace(/0+$/, ''), dp: d.dp };
  let i = nd - 1;
  while (i >= 0 && d.digits[i] === '9') i--;
  if (i < 0) return { digits: '1', dp: d.dp + 1 };
  return { digits: d.digits.slice(0, i) + String(Number(d.digits[i]) + 1), dp: d.dp };
}

function digitAt(d: Decimal, i: number): string {
  return d.digits[i] ?? '0';
}

function fixed(d: Decimal, places: number): string {
  const r = roundTo(d, d.dp + places);
  let int = '';
  for (let i = 0; i < r.dp; i++) int += digitAt(r, i);
  let frac = '';
  for (let i = 0; i < places; i++) frac += r.dp + i < 0 ? '0' : digitAt(r, r.dp + i);
  return (int || '0') + (places > 0 ? '.' + frac : '');
}

function exponent(d: Decimal, prec: number): string {
  const r = roundTo(d, prec + 1);
  let frac = '';
  for (let i = 1; i <= prec; i++) frac += digitAt(r, i);
  const exp = r.digits === '' ? 0 : r.dp - 1;
  return `${digitAt(r, 0)}${prec > 0 ? '.' + frac : ''}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}

/** Go's %e / %f / %g of a non-negative number (prec -1: %g's shortest form). */
export function formatFloat(n: number, mode: 'e' | 'f' | 'g', prec: number): string {
  if (!Number.isFinite(n)) return n > 0 ? '+Inf' : 'NaN';
  const d = decimalOf(n);
  if (mode === 'f') return fixed(d, prec);
  if (mode === 'e') return exponent(d, prec);
  if (d.digits === '') return '0';
  const shortest = prec < 0;
  const r = shortest ? d : roundTo(d, Math.max(prec, 1));
  const p = shortest ? r.digits.length : Math.max(prec, 1);
  let eprec = shortest ? 6 : p;
  if (!shortest && eprec > r.digits.length && r.digits.length >= r.dp) eprec = r.digits.length;
  const exp = r.dp - 1;
  if (exp < -4 || exp >= eprec) return exponent(r, Math.min(p, r.digits.length) - 1);
  return fixed(r, Math.max((p > r.dp ? r.digits.length : p) - r.dp, 0));
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
