/**
 * JSON text that lives inside another file (a string value of a manifest or template, or text a
 * template assembles from pieces), parsed with every position mapped back into that file.
 */
import type { CoverageNote, JsonValue, Position, PositionMap } from '../model/types.js';
import { lenientJsonNote, lineStarts, parseJson, type StructuredLimits } from '../util/structured.js';

export interface MappedJsonSource {
  file: string;
  limits: StructuredLimits;
  notes: CoverageNote[];
}

/** Where the character at an offset of the text is in the file (undefined: not known). */
export type TextPosition = (offset: number) => { line: number; column: number } | undefined;

/**
 * The JSON of `text` and the file position of each of its pointers. Undefined, with an error note
 * at the offending place (`what` names the text), when it is not JSON.
 */
export function parseMappedJson(src: MappedJsonSource, text: string, position: TextPosition, fallback: Position | undefined, what: string): { value: JsonValue; positions: PositionMap } | undefined {
  const starts = lineStarts(text);
  const offsetOf = (line: number, column: number) => (starts[line - 1] ?? 0) + column - 1;
  const toFile = (line: number, column: number) => position(offsetOf(line, column)) ?? fallback ?? { line: 1, column: 1 };
  const parsed = parseJson(text, src.limits);
  const doc = parsed.documents[0];
  if (parsed.errors.length > 0 || !doc) {
    const err = parsed.errors[0];
    const at = err ? toFile(err.line, err.column) : fallback;
    src.notes.push({
      kind: err?.limit ? 'limit' : 'parse-error',
      level: 'error',
      message: err?.limit ? `${what}: ${err.message}` : `${what} is not valid JSON: ${err?.message ?? 'empty'}`,
      file: src.file,
      ...(at ? { line: at.line, column: at.column } : {}),
    });
    return undefined;
  }
  if (parsed.lenient) {
    const at = toFile(parsed.lenient.line, parsed.lenient.column);
    src.notes.push(lenientJsonNote(src.file, { message: parsed.lenient.message, line: at.line, column: at.column }));
  }
  const positions = Object.create(null) as PositionMap;
  for (const [ptr, p] of Object.entries(doc.positions)) {
    const a = toFile(p.line, p.column);
    const b = position(Math.max(offsetOf(p.line, p.column), offsetOf(p.endLine, p.endColumn) - 1)) ?? a;
    positions[ptr] = { line: a.line, column: a.column, endLine: b.line, endColumn: b.column + 1 };
  }
  return { value: doc.value, positions };
}
