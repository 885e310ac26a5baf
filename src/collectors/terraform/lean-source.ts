/**
 * tree-sitter-hcl makes a token of every character of a string or heredoc and of every blank or
 * line break, and the parser's cost is per token. So the parser reads a lean copy of the file: each
 * run of template text becomes one character, the blanks and line breaks between two tokens of code
 * one blank or line break, and the offsets of the tree are mapped back to the file. Whatever the
 * grammar looks at is copied as written: quotes, escapes, `${`, `%{`, `$${`, `%%{`, braces in
 * interpolations, comments, line breaks in templates, and the start of each heredoc line, where the
 * closing marker is looked for. The conversion reads every value from the original text, never
 * from the lean copy.
 *
 * Where the scanner's reading depends on the parser's state (a directive's body inside a template,
 * `${` in a block label), on what it can store (very long markers, deep nesting), or on characters
 * this reader does not classify as it does (whitespace other than blanks at a heredoc line, letters
 * past ASCII in a marker), the rest of the file is copied as written. Folded
 * text stands as a backtick, which is text in a template and starts no token of code: if this
 * reading ever took code for text, the lean copy would not parse and the caller parses the file as
 * written. The tests compare both parses over every fixture and over generated files.
 */

export interface LeanSource {
  text: string;
  /** The offset in the original text of an offset in `text`. */
  toSource(offset: number): number;
}

const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const PERCENT = 37;
const STAR = 42;
const DASH = 45;
const SLASH = 47;
const LESS = 60;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;

/** `label`: a block label, where the scanner reads `${` as text (the grammar allows no template there). */
type Context = { kind: 'code'; nested: boolean; depth: number } | { kind: 'quoted'; label: boolean } | { kind: 'heredoc'; marker: string };

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

function isMarkerChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === DASH;
}

/** Builds the lean text from cuts of the original, and the table that maps offsets back. */
class LeanWriter {
  private readonly pieces: string[] = [];
  private copiedTo = 0;
  private leanLength = 0;
  private removed = 0;
  /** Lean offsets from which `shifts[k]` more characters stand in the original. */
  readonly starts: number[] = [];
  readonly shifts: number[] = [];

  constructor(private readonly source: string) {}

  /** Writes `stand` (no more than one character) for source[start, end), a longer run. */
  replace(start: number, end: number, stand: string): void {
    this.pieces.push(this.source.slice(this.copiedTo, start), stand);
    this.leanLength += start - this.copiedTo + stand.length;
    this.removed += end - start - stand.length;
    this.starts.push(this.leanLength);
    this.shifts.push(this.removed);
    this.copiedTo = end;
  }

  finish(): LeanSource | undefined {
    if (this.starts.length === 0) return undefined;
    this.pieces.push(this.source.slice(this.copiedTo));
    return new ShiftedSource(this.pieces.join(''), this.starts, this.shifts);
  }
}

class ShiftedSource implements LeanSource {
  private hint = -1;

  constructor(
    readonly text: string,
    private readonly starts: number[],
    private readonly shifts: number[],
  ) {}

  toSource(offset: number): number {
    const starts = this.starts;
    let k = this.hint;
    // The tree is read in document order, so the last run found is nearly always the one.
    if (!(k < 0 ? offset < starts[0]! : starts[k]! <= offset && (k + 1 === starts.length || offset < starts[k + 1]!))) {
      let lo = 0;
      let hi = starts.length - 1;
      k = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! <= offset) {
          k = mid;
          lo = mid + 1;
        } else hi = mid - 1;
      }
      this.hint = k;
    }
    return k < 0 ? offset : offset + this.shifts[k]!;
  }
}

/** A character the scanner may skip as whitespace or read as part of a marker, unlike this reader. */
function isUncertain(c: number): boolean {
  return c === 0x0b || c === 0x0c || c === 0 || c >= 0x80;
}

/**
 * The scanner keeps its stack in a 1,024-byte state: 4 bytes, and 8 per context plus a heredoc's
 * marker. It stores nothing when the state would not fit, or a marker is longer than 127 bytes,
 * and then reads on as if outside any template; here the rest is copied as written before that.
 */
const STATE_BYTES = 1024;
const MAX_MARKER = 127;
const COLON = 58;

/** Stands for a run of template text. */
const TEXT = '`';
/** Returned where the rest of the file is copied as written. */
const STOP = -1;

/** The lean copy of an HCL file, or undefined when it would be the file itself. */
export function leanSource(source: string): LeanSource | undefined {
  const out = new LeanWriter(source);
  const stack: Context[] = [{ kind: 'code', nested: false, depth: 0 }];
  const n = source.length;
  let i = 0;
  /** Set at each heredoc line start: the closing marker check reads this far unchanged. */
  let keepUntil = 0;
  let lineStart = false;
  /** Where the last character of code outside blanks and comments is: a quote after a name or a quote is a label. */
  let lastCode = -1;
  /** Brackets open in the file's code outside templates; true for a block's body, where labels are. */
  const brackets: boolean[] = [];
  let stateBytes = 4;

  const atBodyLevel = (): boolean => brackets.length === 0 || brackets[brackets.length - 1] === true;
  /** After a block type or a label: a name (which may end in `::`), or a quote. */
  const afterName = (): boolean => {
    if (lastCode < 0) return false;
    const c = source.charCodeAt(lastCode);
    return c === QUOTE || isMarkerChar(c) || c >= 0x80 || (c === COLON && source.charCodeAt(lastCode - 1) === COLON);
  };
  /** False when the scanner could not store one more context. */
  const push = (context: Context): boolean => {
    const bytes = 8 + (context.kind === 'heredoc' ? context.marker.length : 0);
    if (stateBytes + bytes > STATE_BYTES) return false;
    stateBytes += bytes;
    stack.push(context);
    return true;
  };
  const pop = (): void => {
    const context = stack.pop()!;
    stateBytes -= 8 + (context.kind === 'heredoc' ? context.marker.length : 0);
  };

  const blanks = (from: number): number => {
    let j = from;
    while (j < n && isBlank(source.charCodeAt(j))) j++;
    if (j - from >= 2) out.replace(from, j, ' ');
    return j;
  };

  /** Blanks and line breaks between tokens of code: the grammar reads no line break, so one stands for all. */
  const codeSpace = (from: number): number => {
    let j = from;
    let lineBreak = false;
    for (let k = source.charCodeAt(j); isBlank(k) || k === NEWLINE || k === RETURN; k = source.charCodeAt(++j)) if (k === NEWLINE) lineBreak = true;
    if (j - from >= 2 || (lineBreak && source.charCodeAt(from) !== NEWLINE)) out.replace(from, j, lineBreak ? '\n' : ' ');
    return j;
  };

  /**
   * `$` or `%` in a template: the start of an interpolation, an escape, or text. The scanner reads
   * a doubled mark as one piece of text (`$$${` is `$$` then an interpolation). A directive stops
   * the folding: inside its body the scanner reads `"` and a heredoc's marker by the parser's state.
   */
  const templateMark = (at: number): number => {
    const c = source.charCodeAt(at);
    const next = source.charCodeAt(at + 1);
    if (next === OPEN_BRACE) {
      const context = stack[stack.length - 1]!;
      if (c === PERCENT || (context.kind === 'quoted' && context.label)) return STOP;
      return push({ kind: 'code', nested: true, depth: 0 }) ? at + 2 : STOP;
    }
    if (next === c) return source.charCodeAt(at + 2) === OPEN_BRACE ? at + 3 : at + 2;
    return at + 1;
  };

  /** A run of template text up to the next character the scanner treats apart; blanks at its ends stay blanks. */
  const templateText = (from: number, stops: (c: number) => boolean): number => {
    let end = from;
    while (end < n && !stops(source.charCodeAt(end))) end++;
    let a = blanks(from);
    if (a >= end) return end;
    let b = end;
    while (b > a && isBlank(source.charCodeAt(b - 1))) b--;
    // The start of a heredoc line stays as written for the closing marker check.
    if (b <= keepUntil) return end;
    if (a < keepUntil) a = keepUntil;
    if (b - a >= 2) out.replace(a, b, TEXT);
    blanks(b);
    return end;
  };

  // NUL reads as the end of input to the scanner, so it is never folded away.
  const quotedStops = (c: number) => c === QUOTE || c === BACKSLASH || c === DOLLAR || c === PERCENT || c === NEWLINE || c === RETURN || c === 0;
  const heredocStops = (c: number) => c === DOLLAR || c === PERCENT || c === NEWLINE || c === RETURN || c === 0;

  while (i < n) {
    const context = stack[stack.length - 1]!;
    const c = source.charCodeAt(i);
    if (context.kind === 'code') {
      if (isBlank(c) || c === NEWLINE || c === RETURN) {
        i = codeSpace(i);
      } else if (c === HASH || (c === SLASH && source.charCodeAt(i + 1) === SLASH)) {
        const eol = source.indexOf('\n', i);
        i = eol < 0 ? n : eol;
      } else if (c === SLASH && source.charCodeAt(i + 1) === STAR) {
        const close = source.indexOf('*/', i + 2);
        i = close < 0 ? n : close + 2;
      } else if (c === QUOTE) {
        if (!push({ kind: 'quoted', label: !context.nested && atBodyLevel() && afterName() })) break;
        i++;
      } else if (c === LESS && source.charCodeAt(i + 1) === LESS) {
        let j = i + 2;
        if (source.charCodeAt(j) === DASH) j++;
        const from = j;
        while (j < n && isMarkerChar(source.charCodeAt(j))) j++;
        // A heredoc without a marker, or one the scanner may read longer: keep the rest as written.
        if (j === from || isUncertain(source.charCodeAt(j)) || j - from > MAX_MARKER) break;
        if (!push({ kind: 'heredoc', marker: source.slice(from, j) })) break;
        lineStart = false;
        keepUntil = j + 1;
        i = j;
      } else if (context.nested && c === OPEN_BRACE) {
        context.depth++;
        lastCode = i++;
      } else if (context.nested && c === CLOSE_BRACE) {
        if (context.depth === 0) pop();
        else context.depth--;
        lastCode = i++;
      } else {
        if (!context.nested) {
          if (c === OPEN_BRACE) brackets.push(atBodyLevel() && afterName());
          else if (c === OPEN_BRACKET || c === OPEN_PAREN) brackets.push(false);
          else if (c === CLOSE_BRACE || c === CLOSE_BRACKET || c === CLOSE_PAREN) brackets.pop();
        }
        lastCode = i++;
      }
    } else if (context.kind === 'quoted') {
      if (c === QUOTE) {
        pop();
        lastCode = i++;
      } else if (c === BACKSLASH) {
        const e = source.charCodeAt(i + 1);
        i += e === 117 ? 6 : e === 85 ? 10 : 2;
      } else if (c === DOLLAR || c === PERCENT) {
        i = templateMark(i);
        if (i === STOP) break;
      } else if (quotedStops(c)) {
        i++;
      } else {
        i = templateText(i, quotedStops);
      }
    } else {
      if (c === NEWLINE) {
        lineStart = true;
        i++;
        continue;
      }
      if (lineStart) {
        // The scanner skips whitespace, then compares the line with the marker.
        lineStart = false;
        i = blanks(i);
        const first = source.charCodeAt(i);
        if (isUncertain(first) || (first === RETURN && source.charCodeAt(i + 1) !== NEWLINE)) break;
        if (source.startsWith(context.marker, i)) {
          let j = i + context.marker.length;
          while (isBlank(source.charCodeAt(j)) || source.charCodeAt(j) === RETURN) j++;
          const after = source.charCodeAt(j);
          if (after === NEWLINE) {
            pop();
            lastCode = i + context.marker.length - 1;
            i = j;
            continue;
          }
          if (j >= n || isUncertain(after)) break;
          // The marker, its blanks and one more character are text to the scanner, whatever it is.
          i = j + 1;
          keepUntil = i;
          continue;
        }
        keepUntil = i + context.marker.length + 1;
        continue;
      }
      if (c === DOLLAR || c === PERCENT) {
        i = templateMark(i);
        if (i === STOP) break;
      } else if (heredocStops(c)) i++;
      else i = templateText(i, heredocStops);
    }
  }
  return out.finish();
}
