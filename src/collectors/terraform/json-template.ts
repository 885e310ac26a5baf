/** Reads JSON written as an interpolated string or heredoc, keeping file positions and unknown parts. */
import type { Position, PositionMap } from '../../model/types.js';
import { lineStarts, offsetToLineCol, parseJson } from '../../util/structured.js';
import { type Piece, type Value, newObject, mkUnknown, unknownText } from './values.js';
import type { Unknown } from '../../model/types.js';
import { join, split } from '../../util/pointer.js';

const TOKEN = /@@tfunknown(\d+)@@/g;

export interface DecodedJson {
  value: Value;
  /** Pointers relative to the document, positions in the source file (when offsets are known). */
  positions: PositionMap;
}

/** Decodes JSON from the pieces of a string; unknown pieces become Unknowns (or `${...}` text inside keys). */
export function decodeJsonPieces(pieces: Piece[], fileText?: string): DecodedJson | undefined {
  let text = '';
  const segments: { at: number; fileStart?: number; sourceLength?: number }[] = [];
  const unknowns: Unknown[] = [];
  for (const p of pieces) {
    segments.push({ at: text.length, fileStart: p.fileStart, sourceLength: p.sourceLength });
    if ('text' in p) text += p.text;
    else {
      text += `@@tfunknown${unknowns.length}@@`;
      unknowns.push(p.unknown);
    }
  }
  const parsed = parseJson(text);
  const doc = parsed.documents[0];
  if (!doc || parsed.errors.length > 0) return undefined;
  const value = restore(doc.value, unknowns);
  const positions: PositionMap = Object.create(null) as PositionMap;
  if (fileText !== undefined) {
    const textLines = lineStarts(text);
    const fileLines = lineStarts(fileText);
    const toFile = (line: number, column: number): { line: number; column: number } | undefined => {
      const offset = (textLines[line - 1] ?? 0) + column - 1;
      let seg: { at: number; fileStart?: number; sourceLength?: number } | undefined;
      for (const s of segments) if (s.at <= offset) seg = s;
      if (!seg || seg.fileStart === undefined) return undefined;
      // Inside an interpolation's value there is no file text to point at: stay within the `${...}`.
      const within = seg.sourceLength === undefined ? offset - seg.at : Math.min(offset - seg.at, seg.sourceLength);
      return offsetToLineCol(fileLines, seg.fileStart + within);
    };
    for (const [pointer, pos] of Object.entries(doc.positions)) {
      const a = toFile(pos.line, pos.column);
      const b = toFile(pos.endLine, pos.endColumn) ?? a;
      if (a && b) positions[restorePointer(pointer, unknowns)] = { line: a.line, column: a.column, endLine: b.line, endColumn: b.column } satisfies Position;
    }
  }
  return { value, positions };
}

function restoreString(s: string, unknowns: Unknown[]): Value {
  const whole = /^@@tfunknown(\d+)@@$/.exec(s);
  if (whole) return unknowns[Number(whole[1])] ?? mkUnknown(s);
  if (!s.includes('@@tfunknown')) return s;
  const readable = s.replace(TOKEN, (_, i: string) => unknownText(unknowns[Number(i)]!));
  const first = s.indexOf('@@tfunknown');
  const lastMatch = [...s.matchAll(TOKEN)].pop()!;
  const prefix = s.slice(0, first);
  const suffix = s.slice(lastMatch.index + lastMatch[0].length);
  return mkUnknown(readable, { prefix, suffix });
}

function restoreKey(s: string, unknowns: Unknown[]): string {
  return s.replace(TOKEN, (_, i: string) => unknownText(unknowns[Number(i)]!));
}

function restorePointer(pointer: string, unknowns: Unknown[]): string {
  if (!pointer.includes('@@tfunknown')) return pointer;
  return join('', ...split(pointer).map((t) => restoreKey(t, unknowns)));
}

function restore(v: unknown, unknowns: Unknown[]): Value {
  if (typeof v === 'string') return restoreString(v, unknowns);
  if (Array.isArray(v)) return v.map((x) => restore(x, unknowns));
  if (v && typeof v === 'object') {
    const out = newObject();
    for (const [k, x] of Object.entries(v)) out[restoreKey(k, unknowns)] = restore(x, unknowns);
    return out;
  }
  return v as Value;
}
