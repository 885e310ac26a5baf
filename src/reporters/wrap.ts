import { displayWidth } from './text-width.js';

/** Blanks other than single spaces: wrapping makes each run of blanks one space. */
const IRREGULAR_BLANKS = /[^\S ]| {2}/;
const BLANK_RUNS = /\s+/g;
const SPACE = 32;
const DASH = 45;
const SLASH = 47;

/** Splits a piece wider than a line into lines of at most `width` columns; a character wider than a line stands alone. */
function chunk(word: string, width: number): string[] {
  const pieces: string[] = [];
  let current = '';
  let used = 0;
  for (const ch of word) {
    const w = displayWidth(ch);
    if (used + w > width && current !== '') {
      pieces.push(current);
      current = '';
      used = 0;
    }
    current += ch;
    used += w;
  }
  pieces.push(current);
  return pieces;
}

/**
 * Wraps plain text (no escape sequences) to lines of at most `width` terminal columns. Lines
 * break at spaces or after `-` and `/` (rule ids, paths); only a piece longer than a line is
 * split inside; blanks at either end are dropped and runs of them become one space. One pass
 * over the text: each line is a slice of it.
 */
export function wrapText(text: string, width: number): string[] {
  const limit = Math.max(1, Math.floor(width));
  const t = IRREGULAR_BLANKS.test(text) ? text.replace(BLANK_RUNS, ' ') : text;
  const n = t.length;
  if (n <= limit && t.charCodeAt(0) !== SPACE && t.charCodeAt(n - 1) !== SPACE && displayWidth(t) <= limit) return [t];
  const lines: string[] = [];
  // The current line is t.slice(lineStart, lineEnd), `used` columns wide; none while lineStart < 0.
  let lineStart = -1;
  let lineEnd = 0;
  let used = 0;
  let i = 0;
  while (i < n) {
    if (t.charCodeAt(i) === SPACE) {
      i++;
      continue;
    }
    // A piece: characters up to a blank or a run of `-`/`/`, with that run.
    const start = i;
    let ascii = true;
    for (let c = t.charCodeAt(i); i < n && c !== SPACE && c !== DASH && c !== SLASH; c = t.charCodeAt(++i)) {
      if (c < 0x20 || c > 0x7e) ascii = false;
    }
    for (let c = t.charCodeAt(i); i < n && (c === DASH || c === SLASH); c = t.charCodeAt(++i));
    const w = ascii ? i - start : displayWidth(t.slice(start, i));
    if (lineStart >= 0) {
      const gap = start > lineEnd ? 1 : 0;
      if (used + gap + w <= limit) {
        lineEnd = i;
        used += gap + w;
        continue;
      }
      lines.push(t.slice(lineStart, lineEnd));
    }
    if (w <= limit) {
      lineStart = start;
      lineEnd = i;
      used = w;
      continue;
    }
    const pieces = chunk(t.slice(start, i), limit);
    for (let k = 0; k < pieces.length - 1; k++) lines.push(pieces[k]!);
    const last = pieces[pieces.length - 1]!;
    lineStart = i - last.length;
    lineEnd = i;
    used = displayWidth(last);
  }
  lines.push(lineStart >= 0 ? t.slice(lineStart, lineEnd) : '');
  return lines;
}

/** Column widths that add up to at most `available`: narrow columns keep their natural width, wide ones share the rest equally. */
export function fitColumns(natural: number[], available: number): number[] {
  const widths = natural.map(() => 0);
  const order = natural.map((_, i) => i).sort((a, b) => natural[a]! - natural[b]! || a - b);
  let remaining = available;
  order.forEach((column, position) => {
    const share = Math.floor(remaining / (order.length - position));
    const width = Math.max(0, Math.min(natural[column]!, share));
    widths[column] = width;
    remaining -= width;
  });
  return widths;
}
