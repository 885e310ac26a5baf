/**
 * Tracing a rendered value back to the values line that set it, conservatively: a rendered
 * scalar maps to a values entry only when exactly one effective entry (after later sources
 * override earlier ones) has that value AND the object's template (or the chart's helpers)
 * reads that entry: `.Values.a.b.c` by its full path, or a map or list above it handed over
 * whole (`toYaml .Values.a.b`, `with .Values.a`, `range … .Values.a`, `tpl`). Anything else keeps
 * the template's line: a wrong values line would send a reviewer to the wrong file.
 */
import type { JsonValue, Position } from '../../model/types.js';
import { escapeToken } from '../../util/pointer.js';
import { parseYaml } from '../../util/yaml.js';
import type { StructuredLimits } from '../../util/structured.js';

export interface ValuesEntry {
  path: string[];
  value: string;
  /** In the file that sets it (`file` always set). */
  position: Position;
}

/** The scalars of one values document with their positions (in `file`, shifted by `shift`). */
export function valuesEntries(value: JsonValue, positions: Record<string, Position>, file: string, fallback: Position, shift?: (p: Position) => Position): ValuesEntry[] {
  const out: ValuesEntry[] = [];
  const walk = (v: JsonValue, path: string[], pointer: string): void => {
    if (v === null) return;
    if (typeof v === 'object') {
      if (Array.isArray(v)) v.forEach((x, i) => walk(x, [...path, String(i)], `${pointer}/${i}`));
      else for (const [k, x] of Object.entries(v)) walk(x, [...path, k], `${pointer}/${escapeToken(k)}`);
      return;
    }
    const at = positions[pointer];
    const position = at ? (shift ? shift(at) : at) : fallback;
    out.push({ path, value: String(v), position: { ...position, file } });
  };
  walk(value, [], '');
  return out;
}

/** Values YAML text → entries; `shift` places its positions in the file that holds it. */
export function valuesTextEntries(text: string, file: string, fallback: Position, limits: StructuredLimits, shift?: (p: Position) => Position): ValuesEntry[] {
  const parsed = parseYaml(text, { limits });
  const doc = parsed.documents[0];
  if (!doc || parsed.errors.length > 0) return [];
  return valuesEntries(doc.value, doc.positions, file, fallback, shift);
}

/**
 * Where the text of a block scalar (`values: |`) at `at` in `fileText` lies, line for
 * line: the shift from its own positions to the file's. Undefined for other styles (quoted,
 * folded), whose lines do not map.
 */
export function blockScalarShift(fileText: string, at: Position): ((p: Position) => Position) | undefined {
  const lines = fileText.split('\n');
  const head = lines[at.line - 1]?.slice(at.column - 1) ?? '';
  // Positions are those of the key (`values: |`) or of the scalar itself.
  if (!/(^|:\s)\s*\|[-+0-9]*\s*(#.*)?$/.test(head)) return undefined;
  const first = lines.slice(at.line).find((l) => l.trim() !== '');
  const indent = first ? first.length - first.trimStart().length : 0;
  return (p) => ({ line: p.line + at.line, column: p.column + indent, endLine: p.endLine + at.line, endColumn: p.endColumn + indent });
}

/** What templates read from `.Values`: full paths, and paths handed over whole. */
export interface TemplateReads {
  exact: Set<string>;
  whole: string[][];
}

export function templateReads(texts: readonly string[]): TemplateReads {
  const reads: TemplateReads = { exact: new Set(), whole: [] };
  for (const text of texts) {
    for (const m of text.matchAll(/\.Values((?:\.\w+)+)/g)) reads.exact.add(m[1]!.slice(1));
    for (const m of text.matchAll(/\b(?:toYaml|toJson|tpl|with|range)\b[^}]*?\.Values((?:\.\w+)+)/g)) reads.whole.push(m[1]!.slice(1).split('.'));
  }
  return reads;
}

/** The one values entry a rendered scalar comes from, when it can be told. */
export function traceValue(rendered: string, entries: readonly ValuesEntry[], reads: TemplateReads): Position | undefined {
  const effective = new Map<string, ValuesEntry>();
  for (const e of entries) effective.set(e.path.join('\u0000'), e);
  const read = (e: ValuesEntry): boolean => reads.exact.has(e.path.join('.')) || reads.whole.some((w) => w.length < e.path.length && w.every((t, i) => e.path[i] === t));
  const found = [...effective.values()].filter((e) => e.value === rendered && read(e));
  return found.length === 1 ? found[0]!.position : undefined;
}
