function visibleLength(text: string): number {
  return Array.from(text).length;
}

function chunk(word: string, width: number): string[] {
  const chars = Array.from(word);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += width) pieces.push(chars.slice(i, i + width).join(''));
  return pieces;
}

/**
 * Wraps plain text (no escape sequences) to lines of at most `width` characters. Lines break at
 * spaces or after `-` and `/` (rule ids, paths); only a piece longer than a line is split inside.
 */
export function wrapText(text: string, width: number): string[] {
  const limit = Math.max(1, Math.floor(width));
  const lines: string[] = [];
  let current = '';
  let spaceBefore = false;
  for (const token of text.match(/\s+|[^\s/-]*[/-]+|[^\s/-]+/g) ?? []) {
    if (/^\s+$/.test(token)) {
      spaceBefore = current !== '';
      continue;
    }
    const joined = `${current}${spaceBefore ? ' ' : ''}${token}`;
    spaceBefore = false;
    if (visibleLength(joined) <= limit) {
      current = joined;
      continue;
    }
    if (current !== '') lines.push(current);
    const pieces = chunk(token, limit);
    lines.push(...pieces.slice(0, -1));
    current = pieces[pieces.length - 1] ?? '';
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
