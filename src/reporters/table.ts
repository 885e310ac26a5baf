import type { CoverageNote, Finding, Location } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import { palette, type Palette } from './ansi.js';
import { countFindings, ledgerLines, summaryLine } from './counts.js';
import { shownPath } from './paths.js';
import { locationFile } from './location.js';
import { inertForLog, sanitizeTerminal } from './sanitize.js';
import { changeLines, configurationLines } from './configuration-text.js';
import { fitColumns, wrapText } from './wrap.js';
import { CELL_PADDING, drawGrid, gridBorders, type GridCell } from './grid.js';
import { displayWidth, isPrintableAscii } from './text-width.js';
import { cutText } from '../util/input-text.js';

export interface TableOptions {
  color: boolean;
  /** The terminal's columns. */
  width: number;
}

const HEADINGS = ['severity', 'rule', 'resource', 'location', 'message'];
// Below this many characters per column a table is unreadable; findings are listed instead.
const MIN_COLUMN_CONTENT = 4;
/**
 * Characters of one cell shown at most: every finding is listed, but a cell holding a long
 * text from the input (fifty quoted patterns) is cut, so the table stays readable and its
 * cost linear in the findings.
 */
export const CELL_CHARACTERS = 600;
/** The width used when the terminal reports none (a pipe, or a terminal that says 0 columns). */
export const DEFAULT_WIDTH = 80;

function shownLocation(root: string, location: Location): string {
  const file = shownPath(root, locationFile(location));
  return location.position ? `${file}:${Math.max(1, location.position.line)}` : file;
}

/** A cell's text, and whether it is printable ASCII: measured once, its width is then its length. */
interface Cell {
  text: string;
  ascii: boolean;
}

function findingCells(result: ScanResult, finding: Finding): Cell[] {
  return [
    // Against a baseline, a new finding says so where the eye starts (with --only-new every row is new).
    finding.baselineState === 'new' ? `${finding.severity} (new)` : finding.severity,
    finding.ruleId,
    finding.resource.name,
    shownLocation(result.root, finding.location),
    finding.message,
  ].map((raw) => {
    const text = cutText(inertForLog(sanitizeTerminal(raw)), CELL_CHARACTERS);
    return { text, ascii: isPrintableAscii(text) };
  });
}

function widestOf(rows: Cell[][], column: number, measure: (cell: Cell) => number): number {
  let widest = HEADINGS[column]!.length;
  for (const row of rows) widest = Math.max(widest, measure(row[column]!));
  return widest;
}

const fullWidth = (cell: Cell): number => (cell.ascii ? cell.text.length : displayWidth(cell.text));

function longestWord({ text, ascii }: Cell): number {
  let longest = 0;
  for (let start = 0; start <= text.length; ) {
    const space = text.indexOf(' ', start);
    const end = space < 0 ? text.length : space;
    if (end - start > longest) longest = Math.max(longest, ascii ? end - start : displayWidth(text.slice(start, end)));
    start = end + 1;
  }
  return longest;
}

/**
 * Severity and rule id stay unbroken when they take at most half the room; the other columns
 * first get their longest word, then share what is left by how much more they could use.
 */
function columnWidths(rows: Cell[][], available: number): number[] {
  const natural = HEADINGS.map((_, column) => widestOf(rows, column, fullWidth));
  const fixedColumns = natural.slice(0, 2);
  const fixed = fixedColumns.reduce((a, b) => a + b, 0);
  if (fixed > available / 2) return fitColumns(natural, available);
  const flexibleNatural = natural.slice(2);
  const rest = available - fixed;
  const words = HEADINGS.slice(2).map((_, i) => Math.min(flexibleNatural[i]!, widestOf(rows, i + 2, longestWord)));
  const base = fitColumns(words, rest);
  const spare = rest - base.reduce((a, b) => a + b, 0);
  const extra = fitColumns(
    flexibleNatural.map((n, i) => n - base[i]!),
    spare,
  ).map((w, i) => Math.min(w, flexibleNatural[i]! - base[i]!));
  return [...fixedColumns, ...base.map((w, i) => w + extra[i]!)];
}

function renderGrid(rows: Cell[][], severities: Finding['severity'][], contentWidths: number[], paint: Palette): string {
  // A heading wider than its column is cut, as it always was.
  const head: GridCell[] = HEADINGS.map((h, column) => ({ lines: [cutText(h, contentWidths[column]!)], paint: paint.bold }));
  const body = rows.map((row, i): GridCell[] =>
    row.map(({ text, ascii }, column) => ({ lines: wrapText(text, contentWidths[column]!), ascii, paint: column === 0 ? paint.severity[severities[i]!] : undefined })),
  );
  return drawGrid(head, body, contentWidths, { rowRules: true });
}

function renderList(rows: Cell[][], severities: Finding['severity'][], width: number, paint: Palette): string {
  const lines: string[] = [];
  rows.forEach((row, i) => {
    const [severity, rule, resource, location, message] = row.map((cell) => cell.text) as [string, string, string, string, string];
    const head = wrapText(`${severity.toUpperCase()} ${rule}`, width);
    lines.push(...head.map((line) => paint.severity[severities[i]!](line)));
    for (const detail of [resource, location, message]) {
      lines.push(...wrapText(detail, width - 2).map((line) => `  ${line}`));
    }
  });
  return lines.join('\n');
}

function renderNotes(result: ScanResult, notes: CoverageNote[], width: number, paint: Palette): string[] {
  if (notes.length === 0) return [];
  const lines = ['Coverage notes:'];
  for (const note of notes) {
    const where =
      note.file === undefined
        ? ''
        : `${shownPath(result.root, note.file)}${note.line !== undefined ? `:${note.line}` : ''}${note.column !== undefined && note.line !== undefined ? `:${note.column}` : ''} `;
    const text = sanitizeTerminal(`${where}${note.message} (${note.kind})`);
    const wrapped = wrapText(text, width - 2 - note.level.length - 1);
    lines.push(`  ${paint.level[note.level](note.level)} ${wrapped[0]}`);
    const indent = ' '.repeat(2 + note.level.length + 1);
    lines.push(...wrapped.slice(1).map((line) => `${indent}${line}`));
  }
  return lines;
}

/** A heading and its items, each wrapped; items indented under it. */
function renderSection(section: { heading: string; items: string[] } | undefined, width: number, paint: Palette): string[] {
  if (section === undefined) return [];
  const lines = wrapText(sanitizeTerminal(`${section.heading}:`), width).map((line) => paint.bold(line));
  for (const item of section.items) {
    const wrapped = wrapText(sanitizeTerminal(item), width - 4);
    lines.push(`  - ${wrapped[0]}`, ...wrapped.slice(1).map((line) => `    ${line}`));
  }
  return lines;
}

export function renderTable(result: ScanResult, opts: TableOptions): string {
  const width = Math.max(20, Math.floor(Number.isFinite(opts.width) && opts.width > 0 ? opts.width : DEFAULT_WIDTH));
  const paint = palette(opts.color);
  const counts = countFindings(result.findings);
  const rows = counts.active.map((finding) => findingCells(result, finding));
  const severities = counts.active.map((finding) => finding.severity);

  const blocks: string[] = [];
  // What a change turned off comes first: a reviewer must not have to look for it.
  const change = renderSection(changeLines(result.configurationChange), width, paint);
  if (change.length > 0) blocks.push(change.join('\n'));
  if (rows.length > 0) {
    const available = width - gridBorders(HEADINGS.length) - CELL_PADDING * HEADINGS.length;
    if (available >= MIN_COLUMN_CONTENT * HEADINGS.length) {
      blocks.push(renderGrid(rows, severities, columnWidths(rows, available), paint));
    } else {
      blocks.push(renderList(rows, severities, width, paint));
    }
  }
  const summary = summaryLine(counts, result.summary.files, result.summary.resources, result.summary.partial, result.summary.warnings);
  const configuration = renderSection(configurationLines(result.configuration, result.root), width, paint);
  const ledger = ledgerLines(result.summary).flatMap((line) => wrapText(sanitizeTerminal(line), width));
  blocks.push([...wrapText(sanitizeTerminal(summary), width).map((line) => paint.bold(line)), ...ledger, ...configuration].join('\n'));
  const notes = renderNotes(result, result.notes, width, paint);
  if (notes.length > 0) blocks.push(notes.join('\n'));
  return inertForLog(`${blocks.join('\n\n')}\n`);
}
