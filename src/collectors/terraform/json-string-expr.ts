/**
 * The expressions of Terraform's JSON syntax written in strings: a template (`"${var.x}-a"`), or a
 * bare reference (a `dynamic` block's `iterator`). The decoded string is parsed by the HCL parser
 * (a template as a heredoc, which reads its text literally but for `${`/`%{` sequences, as
 * Terraform does) and every position is moved back into the JSON file.
 */
import type { Position } from '../../model/types.js';
import { lineStarts, span } from '../../util/structured.js';
import type { Expr } from './ast.js';
import { parseHcl } from './hcl-parser.js';

/** A JSON string of the file: where it is written and what it decodes to. */
export interface JsonString {
  /** Offset of the opening quote in the file. */
  offset: number;
  /** Length of the string as written, quotes included. */
  length: number;
  value: string;
}

export interface StringExpr {
  expr?: Expr;
  /** A syntax error in the string, at its place in the file. */
  error?: { offset: number; message: string; limit?: true };
}

/** A string without `${` or `%{` (escaped or not) is the same text as a template: no need to parse it. */
export function hasTemplateSequence(s: string): boolean {
  return /[$%]\{/.test(s);
}

/** Parses a string as a template (`mode: template`) or as one expression (`mode: expression`). */
export async function parseStringExpr(file: FileText, str: JsonString, mode: 'template' | 'expression', maxDepth: number): Promise<StringExpr> {
  const { text: source, contentStart } = mode === 'template' ? asHeredoc(str.value) : { text: `x = ${str.value}\n`, contentStart: 4 };
  const parsed = await parseHcl(file.path, source, { maxDepth });
  const map = new OffsetMap(file, str, source, contentStart);
  if (parsed.error) {
    const at = lineStarts(source)[parsed.error.line - 1]! + parsed.error.column - 1;
    const offset = map.toFile(at);
    if (parsed.error.limit) return { error: { offset, message: parsed.error.message, limit: true } };
    return { error: { offset, message: `${mode === 'template' ? 'template' : 'expression'} in a string: ${parsed.error.message}` } };
  }
  const expr = parsed.body.attributes[0]?.expr;
  if (!expr) return { error: { offset: str.offset, message: 'empty expression in a string' } };
  if (mode === 'expression') return { expr: map.relocate(expr) as Expr };
  if (expr.kind !== 'template') return { error: { offset: str.offset, message: 'cannot read the template in this string' } };
  // The heredoc adds a line break after the text.
  const parts = expr.parts;
  const last = parts[parts.length - 1];
  if (last?.kind === 'literal' && last.text.endsWith('\n')) {
    if (last.text === '\n') parts.pop();
    else parts[parts.length - 1] = { ...last, text: last.text.slice(0, -1) };
  }
  // A string that is one interpolation is its expression's value, unconverted (as in Terraform):
  // the expression itself, so that references lead to where their values are written.
  const [first] = parts;
  const only = parts.length === 1 && first?.kind === 'interpolation' ? first.expr : undefined;
  if (only) return { expr: map.relocate(only) as Expr };
  const relocated = map.relocate({ ...expr, heredoc: false }) as Expr;
  return { expr: { ...relocated, ...map.whole(), text: str.value } };
}

/** The file a string is in: its path, text and line starts (computed once per file). */
export interface FileText {
  path: string;
  text: string;
  lines: number[];
}

/** The string as a heredoc, closed by a marker the string does not hold: longer than its longest run of `Z`. */
function asHeredoc(value: string): { text: string; contentStart: number } {
  let longest = 0;
  for (let i = value.indexOf('Z'); i >= 0; ) {
    let end = i;
    while (value[end] === 'Z') end++;
    longest = Math.max(longest, end - i);
    i = value.indexOf('Z', end);
  }
  const marker = `EOT${'Z'.repeat(longest + 1)}`;
  const head = `x = <<${marker}\n`;
  return { text: `${head}${value}\n${marker}\n`, contentStart: head.length };
}

/**
 * Offsets in the parsed text → offsets in the JSON file: the parsed text holds the decoded string,
 * which is shorter than the string as written wherever it has escapes.
 */
class OffsetMap {
  private readonly sourceLines: number[];
  /** For each UTF-16 unit of the decoded string, its offset in the file. */
  private readonly written: number[];

  constructor(
    private readonly file: FileText,
    private readonly str: JsonString,
    source: string,
    private readonly contentStart: number,
  ) {
    this.sourceLines = lineStarts(source);
    this.written = writtenOffsets(file.text, str);
  }

  toFile(offset: number): number {
    const i = offset - this.contentStart;
    if (i <= 0) return this.str.offset + 1;
    return this.written[Math.min(i, this.written.length - 1)]!;
  }

  /** The place of the whole string, quotes included. */
  whole(): { pos: Position; start: number; end: number } {
    const end = this.str.offset + this.str.length;
    return { pos: span(this.file.lines, this.str.offset, end), start: this.str.offset, end };
  }

  /** A copy of a syntax tree with every offset and position moved into the file. */
  relocate(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.relocate(n));
    if (node === null || typeof node !== 'object') return node;
    const src = node as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(src)) out[k] = k === 'pos' ? v : this.relocate(v);
    const pos = src.pos as Position | undefined;
    if (pos && typeof pos.line === 'number') {
      const from = this.sourceOffset(pos.line, pos.column);
      const to = this.sourceOffset(pos.endLine, pos.endColumn);
      out.pos = span(this.file.lines, this.toFile(from), this.toFile(to));
    }
    if (typeof src.start === 'number') out.start = this.toFile(src.start);
    if (typeof src.end === 'number') out.end = this.toFile(src.end);
    return out;
  }

  private sourceOffset(line: number, column: number): number {
    return (this.sourceLines[line - 1] ?? 0) + column - 1;
  }
}

/** Where each UTF-16 unit of a JSON string's value is written in the file, and where the string's text ends. */
function writtenOffsets(text: string, str: JsonString): number[] {
  const out: number[] = [];
  const end = str.offset + str.length - 1;
  for (let i = str.offset + 1; i < end; ) {
    out.push(i);
    i += text[i] !== '\\' ? 1 : text[i + 1] === 'u' ? 6 : 2;
  }
  out.push(end);
  return out;
}
