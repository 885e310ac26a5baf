/**
 * A box-drawn grid of cells that are already wrapped to their column: each line is measured
 * once, so drawing is linear in the text. (cli-table3, used before, measured every string
 * again with ANSI and emoji regular expressions at each step: quadratic in the rows, and worse
 * in the length of a cell.)
 */
import type { Paint } from './ansi.js';
import { displayWidth } from './text-width.js';

export interface GridCell {
  /** Plain lines (no escape sequences), each at most its column's width. */
  lines: string[];
  /** Applied to each line's text, not to its padding. */
  paint?: Paint | undefined;
  /** Every line is printable ASCII: its width is its length. */
  ascii?: boolean;
}

export interface GridOptions {
  /** A rule between body rows; the header always has one below it when true. */
  rowRules: boolean;
}

/** One space of padding on each side of a cell's content. */
export const CELL_PADDING = 2;
/** Border characters in a row of `columns` cells: one between and one around them. */
export const gridBorders = (columns: number): number => columns + 1;

const BLANKS: string[] = [''];
/** `n` spaces, each length made once. */
function blanks(n: number): string {
  if (n <= 0) return '';
  for (let i = BLANKS.length; i <= n; i++) BLANKS.push(' '.repeat(i));
  return BLANKS[n]!;
}

function rule(widths: number[], left: string, mid: string, right: string): string {
  return `${left}${widths.map((w) => '─'.repeat(w + CELL_PADDING)).join(mid)}${right}`;
}

/** Appends a row's lines to `out`, as pieces that one join makes the text: no line is built on its own. */
function drawRow(cells: GridCell[], widths: number[], out: string[]): void {
  let height = 1;
  for (const cell of cells) height = Math.max(height, cell.lines.length);
  for (let i = 0; i < height; i++) {
    out.push('\n│');
    for (let column = 0; column < cells.length; column++) {
      const { lines, paint, ascii } = cells[column]!;
      const text = lines[i] ?? '';
      out.push(' ', paint && text !== '' ? paint(text) : text, blanks(widths[column]! - (ascii ? text.length : displayWidth(text))), ' │');
    }
  }
}

/** The grid as lines joined by line breaks (no final one); `widths` are the content widths of the columns. */
export function drawGrid(head: GridCell[], rows: GridCell[][], widths: number[], options: GridOptions): string {
  const out = [rule(widths, '┌', '┬', '┐')];
  const between = `\n${rule(widths, '├', '┼', '┤')}`;
  drawRow(head, widths, out);
  for (const row of rows) {
    if (options.rowRules) out.push(between);
    drawRow(row, widths, out);
  }
  out.push(`\n${rule(widths, '└', '┴', '┘')}`);
  return out.join('');
}
