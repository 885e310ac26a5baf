/**
 * JSON kept in a string field of a Kubernetes object (an ACK or Crossplane role's trust policy,
 * a block scalar in YAML): parsed, with every position mapped back into the manifest so that a
 * finding on a condition points at the condition's own line.
 */
import type { CoverageNote, JsonValue, Position, PositionMap } from '../../model/types.js';
import { lenientJsonNote, lineStarts, parseJson, type StructuredLimits } from '../../util/structured.js';
import { stringSourceMapper } from '../cloudformation/string-source.js';

export interface ManifestText {
  file: string;
  text: string;
  limits: StructuredLimits;
  notes: CoverageNote[];
}

/**
 * The JSON in `value`, a string spelled at `at` (a map entry's position, which starts at its key).
 * Positions are keyed by `outPtr` + the pointer inside the JSON. Undefined, with an error note at
 * the offending line, when it is not JSON.
 */
export function jsonInString(src: ManifestText, value: string, at: Position | undefined, outPtr: string, positions: PositionMap, what: string): JsonValue | undefined {
  const fallback = at ? { line: at.line, column: at.column } : { line: 1, column: 1 };
  const map = at ? stringSourceMapper(src.text, at, true, value) : () => fallback;
  const starts = lineStarts(value);
  const toFile = (line: number, column: number) => map((starts[line - 1] ?? 0) + column - 1);
  const parsed = parseJson(value, src.limits);
  const doc = parsed.documents[0];
  if (parsed.errors.length > 0 || !doc) {
    const err = parsed.errors[0];
    const where = err ? toFile(err.line, err.column) : fallback;
    src.notes.push({
      kind: err?.limit ? 'limit' : 'parse-error',
      level: 'error',
      message: err?.limit ? `${what}: ${err.message}` : `${what} is not valid JSON: ${err?.message ?? 'empty'}`,
      file: src.file,
      line: where.line,
      column: where.column,
    });
    return undefined;
  }
  if (parsed.lenient) {
    const where = toFile(parsed.lenient.line, parsed.lenient.column);
    src.notes.push(lenientJsonNote(src.file, { message: parsed.lenient.message, line: where.line, column: where.column }));
  }
  for (const [ptr, p] of Object.entries(doc.positions)) {
    const a = toFile(p.line, p.column);
    const b = map(Math.max((starts[p.line - 1] ?? 0) + p.column - 1, (starts[p.endLine - 1] ?? 0) + p.endColumn - 2));
    positions[outPtr + ptr] = { line: a.line, column: a.column, endLine: b.line, endColumn: b.column + 1 };
  }
  return doc.value;
}
