import { displayWidth } from './text-width.js';

/** A run of blanks, or a piece that ends after `-`/`/`, or a piece without either. */
const TOKENS = /\s+|[^\s/-]*[/-]+|[^\s/-]+/g;
const BLANKS = /^\s+$/;
/** Blanks at either end, or two in a row: wrapping would change them, so such text is not taken as one line as it is. */
const LINE_EDGE_BLANKS = /^\s|\s$|\s\s|[^\S ]/;

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
 * split inside. Each piece is measured once: the time is linear in the text.
 */
export function wrapText(text: string, width: number): string[] {
  const limit = Math.max(1, Math.floor(width));
  if (text.length <= limit && displayWidth(text) <= limit && !LINE_EDGE_BLANKS.test(text)) return [text];
  const lines: string[] = [];
  let current = '';
  let used = 0;
  let spaceBefore = false;
  for (const token of text.match(TOKENS) ?? []) {
    if (BLANKS.test(token)) {
      spaceBefore = current !== '';
      continue;
    }
    const gap = spaceBefore ? 1 : 0;
    spaceBefore = false;
    const w = displayWidth(token);
    if (used + gap + w <= limit) {
      current += gap === 1 ? ` ${token}` : token;
      used += gap + w;
      continue;
    }
    if (current !== '') lines.push(current);
    const pieces = chunk(token, limit);
    for (let i = 0; i < pieces.length - 1; i++) lines.push(pieces[i]!);
    current = pieces[pieces.length - 1]!;
    used = displayWidth(current);
  }
  lines.push(current);
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
