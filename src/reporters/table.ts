import Table from 'cli-table3';
import type { CoverageNote, Finding, Location } from '../model/types.js';
import type { ScanResult } from '../engine/result.js';
import { palette, type Palette } from './ansi.js';
import { countFindings, summaryLine } from './counts.js';
import { shownPath } from './paths.js';
import { locationFile } from './location.js';
import { inertForLog, sanitizeTerminal } from './sanitize.js';
import { changeLines, configurationLines } from './configuration-text.js';
import { fitColumns, wrapText } from './wrap.js';

export interface TableOptions {
  color: boolean;
  /** The terminal's columns. */
  width: number;
}

const HEADINGS = ['severity', 'rule', 'resource', 'location', 'message'];
// cli-table3 draws one border character between and around columns and pads each cell by one space per side.
const BORDERS = HEADINGS.length + 1;
const PADDING = 2;
// Below this many characters per column a table is unreadable; findings are listed instead.
const MIN_COLUMN_CONTENT = 4;

function shownLocation(root: string, location: Location): string {
  const file = shownPath(root, locationFile(location));
  return location.position ? `${file}:${Math.max(1, location.position.line)}` : file;
}

function findingCells(result: ScanResult, finding: Finding): string[] {
  return [
    finding.severity,
    finding.ruleId,
    finding.resource.name,
    shownLocation(result.root, finding.location),
    finding.message,
  ].map((cell) => inertForLog(sanitizeTerminal(cell)));
}

function widestOf(rows: string[][], column: number, measure: (cell: string) => number): number {
  return Math.max(Array.from(HEADINGS[column]!).length, ...rows.map((row) => measure(row[column] ?? '')));
}

const fullLength = (cell: string): number => Array.from(cell).length;
const longestWord = (cell: string): number => Math.max(0, ...cell.split(' ').map(fullLength));

/**
 * Severity and rule id stay unbroken when they take at most half the room; the other columns
 * first get their longest word, then share what is left by how much more they could use.
 */
function columnWidths(rows: string[][], available: number): number[] {
  const natural = HEADINGS.map((_, column) => widestOf(rows, column, fullLength));
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

function renderGrid(rows: string[][], severities: Finding['severity'][], contentWidths: number[], paint: Palette): string {
  const table = new Table({
    head: HEADINGS.map((h) => paint.bold(h)),
    colWidths: contentWidths.map((w) => w + PADDING),
    wordWrap: false,
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
  });
  rows.forEach((row, i) => {
    const wrapped = row.map((cell, column) => wrapText(cell, contentWidths[column]!).join('\n'));
    wrapped[0] = wrapped[0]!
      .split('\n')
      .map((line) => paint.severity[severities[i]!](line))
      .join('\n');
    table.push(wrapped);
  });
  return table.toString();
}

function renderList(rows: string[][], severities: Finding['severity'][], width: number, paint: Palette): string {
  const lines: string[] = [];
  rows.forEach((row, i) => {
    const [severity, rule, resource, location, message] = row as [string, string, string, string, string];
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
  const width = Math.max(20, Math.floor(Number.isFinite(opts.width) ? opts.width : 80));
  const paint = palette(opts.color);
  const counts = countFindings(result.findings);
  const rows = counts.active.map((finding) => findingCells(result, finding));
  const severities = counts.active.map((finding) => finding.severity);

  const blocks: string[] = [];
  // What a change turned off comes first: a reviewer must not have to look for it.
  const change = renderSection(changeLines(result.configurationChange), width, paint);
  if (change.length > 0) blocks.push(change.join('\n'));
  if (rows.length > 0) {
    const available = width - BORDERS - PADDING * HEADINGS.length;
    if (available >= MIN_COLUMN_CONTENT * HEADINGS.length) {
      blocks.push(renderGrid(rows, severities, columnWidths(rows, available), paint));
    } else {
      blocks.push(renderList(rows, severities, width, paint));
    }
  }
  const summary = summaryLine(counts, result.summary.files, result.summary.resources, result.summary.partial);
  const configuration = renderSection(configurationLines(result.configuration, result.root), width, paint);
  blocks.push([...wrapText(sanitizeTerminal(summary), width).map((line) => paint.bold(line)), ...configuration].join('\n'));
  const notes = renderNotes(result, result.notes, width, paint);
  if (notes.length > 0) blocks.push(notes.join('\n'));
  return inertForLog(`${blocks.join('\n\n')}\n`);
}
