/**
 * Nesting depth (`--max-depth`): the limit every parser and walker checks before it recurses,
 * the error that says where it was crossed, and the checks that run without recursing at all:
 * a linear scan of a JSON text's brackets (JSON.parse and the tolerant parser never see a text
 * deeper than the limit) and a depth-bounded measure of a value built by evaluation.
 */
import { PodtrustError } from '../errors.js';
import type { CoverageNote, JsonValue, PositionMap } from '../model/types.js';
import { closestPosition } from '../model/locate.js';
import { escapeToken } from './pointer.js';

/**
 * The most `--max-depth` may be. The parsers (jsonc-parser, both YAML parsers), JSON.stringify,
 * the worker threads' structured clone and podtrust's own walkers recurse once or a few times per
 * level. Measured on the main thread's stack: the HCL tree conversion overflowed first, at about
 * 680 levels of tuples; the JSON walk at about 1,500, the YAML paths at about 1,350.
 */
export const MAX_DEPTH_CEILING = 400;

export function nestingMessage(maxDepth: number): string {
  return `nesting deeper than ${maxDepth} levels; raise the limit with --max-depth`;
}

/** Where a limit was crossed: an offset into the text, or a pointer into the document, when known. */
export interface NestingPlace {
  offset?: number;
  pointer?: string;
}

/** Input nested deeper than `--max-depth`. Collectors turn it into an error note at the place it names. */
export class NestingTooDeep extends PodtrustError {
  constructor(
    readonly maxDepth: number,
    readonly at: NestingPlace = {},
  ) {
    super('input', nestingMessage(maxDepth));
    this.name = 'NestingTooDeep';
  }
}

/**
 * Adds the error note for a depth error met while reading `file`: at the place it names (a pointer
 * into `positions`, an offset into `text`), else at `line`. One place is noted once, however many
 * resources reach it (a variable they share).
 */
export function noteNesting(notes: CoverageNote[], file: string, e: NestingTooDeep, where: { positions?: PositionMap; text?: string; line?: number }): void {
  let at: { file?: string; line?: number; column?: number } = where.line !== undefined ? { line: where.line } : {};
  if (e.at.pointer !== undefined && where.positions) {
    const pos = closestPosition(where.positions, e.at.pointer);
    if (pos) at = { ...(pos.file ? { file: pos.file } : {}), line: pos.line, column: pos.column };
  } else if (e.at.offset !== undefined && where.text !== undefined) {
    const before = where.text.slice(0, e.at.offset);
    at = { line: before.split('\n').length, column: e.at.offset - before.lastIndexOf('\n') };
  }
  const note: CoverageNote = { kind: 'limit', level: 'error', file: at.file ?? file, message: e.message };
  if (at.line !== undefined) note.line = at.line;
  if (at.column !== undefined) note.column = at.column;
  if (!notes.some((n) => n.file === note.file && n.line === note.line && n.column === note.column && n.message === note.message)) notes.push(note);
}

/**
 * V8's own stack overflow. Every parser and walker checks depth before it recurses; this is the
 * last resort where a file is read, should some way to nest have been missed: the file gets a
 * note that says what to do instead of the engine's words.
 */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack/i.test(e.message);
}

export const STACK_OVERFLOW_MESSAGE = 'nested too deeply for the stack before --max-depth was reached; lower --max-depth';

/** Runs `walk`; a depth error from inside it that names no place yet is placed at `pointer`. */
export function placedAt<T>(pointer: string, walk: () => T): T {
  try {
    return walk();
  } catch (e) {
    if (e instanceof NestingTooDeep && e.at.offset === undefined && e.at.pointer === undefined) e.at.pointer = pointer;
    throw e;
  }
}

const QUOTE = 0x22;
const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const SIGNIFICANT = /["/[\]{}]/g;
const STRING_STOPS = /["\\\n\r]/g;
const LINE_BREAK = /[\n\r]/g;

/**
 * The offset of the first `[` or `{` that opens a collection more than `maxDepth` levels below
 * the root (so that its contents are deeper than the limit), or -1. Strings and comments are
 * skipped exactly as jsonc-parser's scanner reads them (it goes on after errors, so this must
 * never count fewer open levels than it enters): a string ends at an unescaped `"` or at a line
 * break, a `//` comment at a line break, a `/*` comment at `*\/`.
 */
export function jsonNestingOverflow(text: string, maxDepth: number): number {
  // Most documents hold fewer brackets than the limit, counting those in strings: no need to read them.
  if (fewerOpeners(text, maxDepth + 2)) return -1;
  // Open collections, true for an array. The parser closes one only with its own bracket (a
  // stray `}` inside an array is skipped as an error), so only a matching bracket pops here.
  const open: boolean[] = [];
  // test() rather than exec(): it finds the next character without allocating a match.
  SIGNIFICANT.lastIndex = 0;
  while (SIGNIFICANT.test(text)) {
    const i = SIGNIFICANT.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      SIGNIFICANT.lastIndex = stringEnd(text, i + 1);
    } else if (c === SLASH) {
      const next = text.charCodeAt(i + 1);
      if (next === SLASH) {
        LINE_BREAK.lastIndex = i + 2;
        SIGNIFICANT.lastIndex = LINE_BREAK.test(text) ? LINE_BREAK.lastIndex - 1 : text.length;
      } else if (next === STAR) {
        const close = text.indexOf('*/', i + 2);
        SIGNIFICANT.lastIndex = close < 0 ? text.length : close + 2;
      }
    } else if (c === 0x5b || c === 0x7b) {
      if (open.push(c === 0x5b) > maxDepth + 1) return i;
    } else if (open.length > 0 && open[open.length - 1] === (c === 0x5d)) {
      open.pop();
    }
  }
  return -1;
}

/** Whether the text holds fewer than `count` of `[` and `{`, wherever they are. */
function fewerOpeners(text: string, count: number): boolean {
  let n = 0;
  for (let i = text.indexOf('['); i >= 0; i = text.indexOf('[', i + 1)) if (++n >= count) return false;
  for (let i = text.indexOf('{'); i >= 0; i = text.indexOf('{', i + 1)) if (++n >= count) return false;
  return true;
}

/** Where the string whose text starts at `from` stops: after its closing `"`, or at the line break that cuts it. */
function stringEnd(text: string, from: number): number {
  STRING_STOPS.lastIndex = from;
  while (STRING_STOPS.test(text)) {
    const at = STRING_STOPS.lastIndex - 1;
    const c = text.charCodeAt(at);
    if (c === BACKSLASH) STRING_STOPS.lastIndex = at + 2;
    else return c === QUOTE ? at + 1 : at;
  }
  return text.length;
}

/** JSON.parse behind the depth scan: a {@link NestingTooDeep} with the offset, or JSON.parse's own SyntaxError. */
export function parseJsonWithin(text: string, maxDepth: number): unknown {
  const over = jsonNestingOverflow(text, maxDepth);
  if (over >= 0) throw new NestingTooDeep(maxDepth, { offset: over });
  return JSON.parse(text) as unknown;
}

/**
 * The pointer of the first value more than `maxDepth` levels below `value`'s root, or undefined.
 * The walk recurses at most `maxDepth` + 1 levels (no more than {@link MAX_DEPTH_CEILING} + 1) however
 * deep the value is, and reads keys in place: it runs on every collected body, so it builds nothing
 * until it has a pointer to return.
 */
export function valueNestingOverflow(value: JsonValue, maxDepth: number): string | undefined {
  return overflowBelow(value, 0, maxDepth);
}

/** `depth` is how many collections enclose `value`. */
function overflowBelow(value: JsonValue, depth: number, maxDepth: number): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= maxDepth) {
    // A collection at the limit: its first child, if any, is past it.
    if (Array.isArray(value)) return value.length > 0 ? '/0' : undefined;
    for (const key in value) return '/' + escapeToken(key);
    return undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const below = overflowBelow(value[i]!, depth + 1, maxDepth);
      if (below !== undefined) return '/' + i + below;
    }
    return undefined;
  }
  for (const key in value) {
    const below = overflowBelow(value[key]!, depth + 1, maxDepth);
    if (below !== undefined) return '/' + escapeToken(key) + below;
  }
  return undefined;
}
