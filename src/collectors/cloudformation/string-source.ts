/**
 * Maps offsets inside a string value back to positions in the file that spells it, so that
 * JSON embedded in a CloudFormation string (an IRSA trust document in `!Sub |`) keeps exact
 * lines and columns.
 */
import type { Position } from '../../model/types.js';
import { lineStarts, offsetToLineCol } from '../../util/structured.js';

/** Position of the character at `offset` of the decoded string (offsets past the end clamp to the last). */
export type OffsetMapper = (offset: number) => { line: number; column: number };

/** Offset → file position for one decoded string, or a constant position when the spelling is not recognized. */
export function stringSourceMapper(text: string, entry: Position, startsAtKey: boolean, decoded: string): OffsetMapper {
  const starts = lineStarts(text);
  const fallback = { line: entry.line, column: entry.column };
  let offset = lineColToOffset(starts, entry.line, entry.column, text.length);
  if (offset === undefined) return () => fallback;
  if (startsAtKey) {
    offset = skipKey(text, offset);
    if (offset === undefined) return () => fallback;
  }
  offset = skipSpaceAndTag(text, offset);
  const at = (o: number) => offsetToLineCol(starts, o);
  const ch = text[offset];
  let sourceOffsets: number[];
  if (ch === '"') sourceOffsets = doubleQuoted(text, offset);
  else if (ch === "'") sourceOffsets = singleQuoted(text, offset);
  else if (ch === '|' || ch === '>') sourceOffsets = blockScalar(text, offset, decoded);
  else sourceOffsets = plainScalar(text, offset, decoded);
  if (sourceOffsets.length === 0) return () => at(offset);
  return (o: number) => {
    const i = Math.max(0, Math.min(o, sourceOffsets.length - 1));
    return at(sourceOffsets[i]!);
  };
}

function lineColToOffset(starts: number[], line: number, column: number, length: number): number | undefined {
  const start = starts[line - 1];
  if (start === undefined) return undefined;
  return Math.min(start + column - 1, length);
}

function skipKey(text: string, offset: number): number | undefined {
  let i = offset;
  const q = text[i];
  if (q === '"' || q === "'") {
    i++;
    while (i < text.length && text[i] !== q) i += text[i] === '\\' && q === '"' ? 2 : 1;
    i++;
  }
  while (i < text.length) {
    if (text[i] === ':' && (i + 1 >= text.length || /[\s"'[{|>!]/.test(text[i + 1]!) || q === '"' || q === "'")) return i + 1;
    i++;
  }
  return undefined;
}

function skipSpaceAndTag(text: string, offset: number): number {
  let i = offset;
  const skipWs = () => {
    while (i < text.length && /[ \t\r\n]/.test(text[i]!)) i++;
  };
  skipWs();
  if (text[i] === '!') {
    while (i < text.length && !/[ \t\r\n]/.test(text[i]!)) i++;
    skipWs();
  }
  return i;
}

const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', '0', 'a', 'v', 'e', ' ', '_', 'N', 'L', 'P']);

/** Source offset of each decoded character of a double-quoted (JSON or YAML) string starting at its quote. */
function doubleQuoted(text: string, quote: number): number[] {
  const out: number[] = [];
  let i = quote + 1;
  while (i < text.length && text[i] !== '"') {
    const c = text[i]!;
    if (c === '\\') {
      const e = text[i + 1] ?? '';
      out.push(i);
      if (e === 'u') i += 6;
      else if (e === 'x') i += 4;
      else if (e === 'U') i += 10;
      else if (e === '\n') {
        out.pop();
        i += 2;
        while (text[i] === ' ' || text[i] === '\t') i++;
      } else i += SIMPLE_ESCAPES.has(e) ? 2 : 2;
    } else if (c === '\n') {
      i = foldLineBreak(text, i, out);
    } else {
      out.push(i++);
    }
  }
  return out;
}

function singleQuoted(text: string, quote: number): number[] {
  const out: number[] = [];
  let i = quote + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      if (text[i + 1] !== "'") break;
      out.push(i);
      i += 2;
    } else if (c === '\n') {
      i = foldLineBreak(text, i, out);
    } else {
      out.push(i++);
    }
  }
  return out;
}

/** YAML flow folding: a line break becomes a space, each empty line a newline. */
function foldLineBreak(text: string, newline: number, out: number[]): number {
  let i = newline + 1;
  let emptyLines = 0;
  for (;;) {
    while (text[i] === ' ' || text[i] === '\t') i++;
    if (text[i] === '\n') {
      emptyLines++;
      i++;
      continue;
    }
    break;
  }
  for (let k = 0; k < Math.max(1, emptyLines); k++) out.push(newline);
  return i;
}

/** Aligns the decoded value with the scalar's content lines (works for literal and folded styles). */
function blockScalar(text: string, indicator: number, decoded: string): number[] {
  const headerEnd = text.indexOf('\n', indicator);
  if (headerEnd < 0) return [];
  const header = text.slice(indicator, headerEnd);
  const explicit = /[1-9]/.exec(header);
  const lines: { start: number; content: string }[] = [];
  let indent: number | undefined;
  let i = headerEnd + 1;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    const raw = text.slice(i, end);
    const leading = raw.length - raw.trimStart().length;
    if (raw.trim() === '') {
      lines.push({ start: i, content: '' });
    } else {
      if (indent === undefined) indent = explicit ? lineIndentOfParent(text, indicator) + Number(explicit[0]) : leading;
      if (leading < indent) break;
      lines.push({ start: i + indent, content: raw.slice(indent) });
    }
    i = end + 1;
  }
  return align(decoded, lines);
}

function lineIndentOfParent(text: string, offset: number): number {
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  const line = text.slice(lineStart, offset);
  return line.length - line.trimStart().length;
}

function plainScalar(text: string, start: number, decoded: string): number[] {
  const lines: { start: number; content: string }[] = [];
  let i = start;
  let first = true;
  while (i < text.length) {
    let end = text.indexOf('\n', i);
    if (end < 0) end = text.length;
    const raw = text.slice(i, end);
    const trimmed = raw.trimStart();
    const contentStart = i + raw.length - trimmed.length;
    if (!first && (trimmed.startsWith('#') || /^[^\s]*:\s/.test(trimmed))) break;
    lines.push({ start: contentStart, content: trimmed.trimEnd() });
    first = false;
    i = end + 1;
    if (lines.length > 1 && trimmed === '') break;
  }
  return align(decoded, lines);
}

function align(decoded: string, lines: { start: number; content: string }[]): number[] {
  const out: number[] = new Array<number>(decoded.length);
  let cursor = 0;
  let last = lines[0]?.start ?? 0;
  for (const line of lines) {
    if (line.content === '') continue;
    const found = decoded.indexOf(line.content, cursor);
    if (found < 0 || found - cursor > 64) continue;
    for (let k = cursor; k < found; k++) out[k] = last + 1;
    for (let k = 0; k < line.content.length; k++) out[found + k] = line.start + k;
    cursor = found + line.content.length;
    last = line.start + line.content.length - 1;
  }
  for (let k = cursor; k < decoded.length; k++) out[k] = last + 1;
  for (let k = 0; k < out.length; k++) if (out[k] === undefined) out[k] = k > 0 ? out[k - 1]! : last;
  return out;
}
