/**
 * YAML and JSON documents parsed into plain data plus a JSON-pointer → position map.
 *
 * Objects are created without a prototype so keys like `__proto__` are ordinary data.
 * Alias expansion and nesting are bounded: a billion-laughs document or a 100,000-deep
 * nesting is an error with a line, never a hang or a crash.
 */
import { Composer, LineCounter, Parser, type CST, type Document, isAlias, isMap, isScalar, isSeq, isPair, visit, type Node as YamlNode } from 'yaml';
import { parseTree, type Node as JsonNode, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { CoverageNote, JsonValue, Position, PositionMap } from '../model/types.js';
import { escapeToken } from './pointer.js';
import { bareObject } from './bare-object.js';
import { jsonNestingOverflow, nestingMessage } from './nesting.js';
import { cstNestingOverflow } from './yaml-nesting.js';
import { DEFAULT_LIMITS, MAX_POINTER_LENGTH, type StructuredLimits } from './structured-limits.js';

export type { JsonNode };

export interface ParsedDocument {
  value: JsonValue;
  /** Pointers relative to this document's root. */
  positions: PositionMap;
  /** 0-based index of the document in a multi-document stream. */
  index: number;
}

export interface ParseIssue {
  line: number;
  column: number;
  message: string;
  /** Set when the document is over `--max-depth` or `--max-document-values`, not malformed. */
  limit?: true;
}

export interface ParseOutput {
  documents: ParsedDocument[];
  errors: ParseIssue[];
  /** JSON only: the first comment or trailing comma, read leniently although JSON has neither. */
  lenient?: ParseIssue;
}

export { DEFAULT_LIMITS, type StructuredLimits };

export interface YamlOptions {
  /** Translate CloudFormation short-form tags (`!Ref`, `!Sub`, ...) into their `Fn::` long form. */
  intrinsicTags?: boolean;
  limits?: StructuredLimits;
}

function pointerTooLong(pointer: string): string {
  return `a key, or the path of keys to it, is longer than ${MAX_POINTER_LENGTH} characters (${pointer.length})`;
}

class LimitError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    /** False for a problem found by the same walk that is not a limit (an unresolvable alias). */
    readonly limit = true,
  ) {
    super(message);
  }
}

export function createObject(): Record<string, JsonValue> {
  return bareObject<JsonValue>();
}

const CFN_FUNCTIONS = new Set([
  'Base64', 'Cidr', 'FindInMap', 'GetAtt', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Condition', 'ToJsonString', 'Length',
]);

function positionOf(lc: LineCounter, start: number, end: number): Position {
  const a = lc.linePos(start);
  const b = lc.linePos(Math.max(start, end));
  return { line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** The `yaml`-library path: handles all of YAML; the fast path must match its results exactly. */
export function parseYamlReference(text: string, options: YamlOptions = {}): ParseOutput {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const lineCounter = new LineCounter();
  const errors: ParseIssue[] = [];
  const documents: ParsedDocument[] = [];
  // Documents nested deeper than the limit, by index: the composer recurses once per level, so
  // each is given an empty body before it is composed (indexes of the others stay as they are).
  const tooDeep = new Map<number, number>();
  let docs: Document.Parsed[];
  try {
    const composer = new Composer({ uniqueKeys: false, strict: false });
    docs = Array.from(composer.compose(checkedDepth(new Parser(lineCounter.addNewLine).parse(text), limits.maxDepth, tooDeep)));
  } catch (e) {
    return { documents, errors: [{ line: 1, column: 1, message: `cannot parse YAML: ${(e as Error).message}` }] };
  }
  docs.forEach((doc, index) => {
    const deepAt = tooDeep.get(index);
    if (deepAt !== undefined) {
      const pos = lineCounter.linePos(deepAt);
      errors.push({ line: pos.line, column: pos.col, message: nestingMessage(limits.maxDepth), limit: true });
      return;
    }
    const docErrors = doc.errors;
    if (docErrors.length > 0) {
      const err = docErrors[0]!;
      const pos = lineCounter.linePos(err.pos[0]);
      errors.push({ line: pos.line, column: pos.col, message: firstLine(err.message) });
      return;
    }
    if (doc.contents === null) return;
    const positions: PositionMap = Object.create(null) as PositionMap;
    const state: YamlWalkState = { nodes: 0, doc: doc as Document };
    try {
      const value = walkYaml(doc.contents as YamlNode, '', 0, positions, lineCounter, state, limits, options.intrinsicTags === true, new Set());
      documents.push({ value, positions, index });
    } catch (e) {
      if (e instanceof LimitError) {
        const pos = lineCounter.linePos(e.offset);
        errors.push({ line: pos.line, column: pos.col, message: e.message, ...(e.limit ? { limit: true as const } : {}) });
      } else {
        throw e;
      }
    }
  });
  return { documents, errors };
}

/** Passes the parser's tokens on, emptying each document deeper than `maxDepth` and noting where its depth was crossed. */
function* checkedDepth(tokens: Generator<CST.Token>, maxDepth: number, tooDeep: Map<number, number>): Generator<CST.Token> {
  let index = 0;
  for (const token of tokens) {
    if (token.type === 'document') {
      const at = cstNestingOverflow(token, maxDepth);
      if (at >= 0) {
        tooDeep.set(index, at);
        token.value = { type: 'scalar', offset: token.value!.offset, indent: 0, source: '' };
      }
      index++;
    }
    yield token;
  }
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).trim();
}

interface YamlWalkState {
  /** Values walked so far, each expansion of an alias or merge counted again. */
  nodes: number;
  /** Offset of the alias whose expansion is being walked, as written in the document (the outermost one). */
  expanding?: number | undefined;
  doc: Document;
  /** Each alias's anchor, found in one pass over the document on the first alias. */
  aliasTargets?: Map<YamlNode, YamlNode | undefined>;
}

/**
 * The anchor an alias names: the last node with that anchor before the alias, in document
 * order, as `Alias.resolve` finds it. That method searches the document again for every
 * alias (quadratic: a list of 20,000 aliases took a minute), so all are found in one visit.
 */
function aliasTarget(alias: YamlNode, state: YamlWalkState): YamlNode | undefined {
  if (state.aliasTargets === undefined) {
    const targets = new Map<YamlNode, YamlNode | undefined>();
    const latest = new Map<string, YamlNode>();
    visit(state.doc, {
      Node: (_key, node) => {
        if (isAlias(node)) targets.set(node, latest.get(node.source));
        else if (node.anchor !== undefined) latest.set(node.anchor, node);
      },
    });
    state.aliasTargets = targets;
  }
  return state.aliasTargets.get(alias);
}

function walkYaml(
  node: YamlNode,
  pointer: string,
  depth: number,
  /** Undefined inside an alias or merge expansion: those positions would point at the anchor, and are not kept. */
  positions: PositionMap | undefined,
  lc: LineCounter,
  state: YamlWalkState,
  limits: StructuredLimits,
  intrinsic: boolean,
  resolving: Set<YamlNode>,
): JsonValue {
  const offset = node.range?.[0] ?? 0;
  if (++state.nodes > limits.maxNodes) {
    // Inside an expansion the node is in the anchor's definition: the alias that expands is where to look.
    throw new LimitError(`document expands to more than ${limits.maxNodes} values (alias bomb?); raise the limit with --max-document-values`, state.expanding ?? offset);
  }
  if (depth > limits.maxDepth) throw new LimitError(nestingMessage(limits.maxDepth), offset);
  if (isAlias(node)) {
    const target = aliasTarget(node, state);
    if (!target || resolving.has(target)) throw new LimitError(`unresolvable or recursive alias *${node.source}`, offset, false);
    resolving.add(target);
    const outermost = state.expanding === undefined;
    if (outermost) state.expanding = offset;
    // Positions inside an alias point at the anchor's definition; keep only the alias site itself.
    const value = walkYaml(target, pointer, depth, undefined, lc, state, limits, intrinsic, resolving);
    if (outermost) state.expanding = undefined;
    resolving.delete(target);
    if (positions && node.range) positions[pointer] = positionOf(lc, node.range[0], node.range[1]);
    return value;
  }
  if (positions && node.range && positions[pointer] === undefined) positions[pointer] = positionOf(lc, node.range[0], node.range[1]);
  let value: JsonValue;
  if (isMap(node)) {
    const obj = createObject();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YamlNode | null;
      const key = keyNode === null ? '' : scalarKey(keyNode);
      // Only a plain `<<` merges, as YAML 1.1 and the yaml library read it: a quoted "<<" is a key like any other.
      if (key === '<<' && isScalar(keyNode) && (keyNode.type === undefined || keyNode.type === 'PLAIN') && pair.value) {
        // Merge keys: copy entries of the referenced mapping(s) that are not set explicitly.
        const merged = walkYaml(pair.value as YamlNode, pointer, depth + 1, undefined, lc, state, limits, intrinsic, resolving);
        for (const src of Array.isArray(merged) ? merged : [merged]) {
          if (src && typeof src === 'object' && !Array.isArray(src)) {
            for (const k of Object.keys(src)) if (!(k in obj)) obj[k] = (src as Record<string, JsonValue>)[k]!;
          }
        }
        continue;
      }
      const child = pointer + '/' + escapeToken(key);
      const start = keyNode?.range?.[0] ?? (pair.value as YamlNode | null)?.range?.[0] ?? offset;
      if (child.length > MAX_POINTER_LENGTH) throw new LimitError(pointerTooLong(child), start);
      const valueNode = pair.value as YamlNode | null;
      const end = valueNode?.range?.[1] ?? keyNode?.range?.[1] ?? start;
      if (positions) positions[child] = positionOf(lc, start, end);
      obj[key] = valueNode === null ? null : walkYaml(valueNode, child, depth + 1, positions, lc, state, limits, intrinsic, resolving);
    }
    value = obj;
  } else if (isSeq(node)) {
    const arr: JsonValue[] = [];
    node.items.forEach((item, i) => {
      arr.push(item === null ? null : walkYaml(item as YamlNode, `${pointer}/${i}`, depth + 1, positions, lc, state, limits, intrinsic, resolving));
    });
    value = arr;
  } else if (isScalar(node)) {
    value = scalarValue(node.value);
  } else {
    value = null;
  }
  if (intrinsic && node.tag && node.tag.startsWith('!') && !node.tag.startsWith('!!')) {
    return intrinsicForm(node.tag.slice(1), value);
  }
  return value;
}

function scalarKey(node: YamlNode): string {
  if (isScalar(node)) return String(node.value);
  return String((node as { toString(): string }).toString());
}

function scalarValue(v: unknown): JsonValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return String(v);
}

/** Whether `!name` is a CloudFormation short form that intrinsicForm rewrites. */
export function isIntrinsicTag(name: string): boolean {
  return name === 'Ref' || name === 'Condition' || CFN_FUNCTIONS.has(name);
}

export function intrinsicForm(tag: string, value: JsonValue): JsonValue {
  if (tag === 'Ref') return { Ref: value } as JsonValue;
  if (tag === 'Condition') return { Condition: value } as JsonValue;
  if (tag === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] } as JsonValue;
  }
  if (CFN_FUNCTIONS.has(tag)) {
    const o = createObject();
    o[`Fn::${tag}`] = value;
    return o;
  }
  return value;
}

/** A JSON document as jsonc-parser's tree (with offsets), or the first error; see {@link parseJson}. */
export interface JsonTree {
  root?: JsonNode;
  errors: ParseIssue[];
  /** The first comment or trailing comma, read leniently although JSON has neither. */
  lenient?: ParseIssue;
  /** Line starts of the text, for offset → line/column. */
  lines: number[];
}

/**
 * Parses one JSON document into a syntax tree, errors reported with line, for readers that need
 * offsets (Terraform's JSON syntax). Comments and trailing commas are read leniently, and the
 * first of them is returned in `lenient`.
 */
export function parseJsonTree(text: string, limits: StructuredLimits = DEFAULT_LIMITS): JsonTree {
  const lines = lineStarts(text);
  // The parser recurses once per level: it must not see a text deeper than the limit.
  const tooDeep = jsonNestingOverflow(text, limits.maxDepth);
  if (tooDeep >= 0) {
    const { line, column } = offsetToLineCol(lines, tooDeep);
    return { errors: [{ line, column, message: nestingMessage(limits.maxDepth), limit: true }], lines };
  }
  const strictErrors: ParseError[] = [];
  let root = parseTree(text, strictErrors, { allowTrailingComma: false, disallowComments: true });
  let errs = strictErrors;
  let lenientAt: ParseError | undefined;
  if (strictErrors.length > 0) {
    // Rare: a broken or lenient document is parsed again with comments and trailing commas allowed.
    const lenientErrors: ParseError[] = [];
    root = parseTree(text, lenientErrors, { allowTrailingComma: true, disallowComments: false });
    errs = lenientErrors;
    if (lenientErrors.length === 0) lenientAt = strictErrors[0];
  }
  if (errs.length > 0 || root === undefined) {
    const e = errs[0];
    const { line, column } = offsetToLineCol(lines, e?.offset ?? 0);
    return { errors: [{ line, column, message: e ? `invalid JSON: ${jsonErrorText(printParseErrorCode(e.error))}` : 'empty JSON document' }], lines };
  }
  const tree: JsonTree = { root, errors: [], lines };
  if (lenientAt) tree.lenient = lenientPlace(text, lines, lenientAt);
  return tree;
}

/**
 * Parses one JSON document, errors reported with line. Comments and trailing commas are read
 * leniently, and the first of them is returned in `lenient`: other tools (IAM among them) reject
 * such a document, so the user hears of it.
 */
export function parseJson(text: string, limits: StructuredLimits = DEFAULT_LIMITS): ParseOutput {
  const { root, errors, lenient, lines } = parseJsonTree(text, limits);
  if (!root) return { documents: [], errors };
  const positions: PositionMap = Object.create(null) as PositionMap;
  try {
    const value = walkJson(root, '', 0, positions, lines, limits, { nodes: 0 });
    const out: ParseOutput = { documents: [{ value, positions, index: 0 }], errors: [] };
    if (lenient) out.lenient = lenient;
    return out;
  } catch (e) {
    if (e instanceof LimitError) {
      const { line, column } = offsetToLineCol(lines, e.offset);
      return { documents: [], errors: [{ line, column, message: e.message, limit: true }] };
    }
    throw e;
  }
}

/**
 * Where the strict parse stopped, in a document the lenient parse reads: a comment, or the `}`/`]`
 * after a trailing comma. Errors come in text order, so only white space lies between that comma
 * and the bracket (a comment there would have been reported first).
 */
function lenientPlace(text: string, lines: number[], at: ParseError): ParseIssue {
  if (printParseErrorCode(at.error) === 'InvalidCommentToken') return { ...offsetToLineCol(lines, at.offset), message: 'a comment' };
  let comma = at.offset - 1;
  while (comma > 0 && /\s/.test(text[comma]!)) comma--;
  return { ...offsetToLineCol(lines, text[comma] === ',' ? comma : at.offset), message: 'a trailing comma' };
}

/** The warning for a JSON file read leniently. */
export function lenientJsonNote(file: string, at: ParseIssue): CoverageNote {
  return {
    kind: 'parse-error',
    level: 'warning',
    file,
    line: at.line,
    column: at.column,
    message: `not valid JSON: ${at.message} (the first such place); read leniently, but AWS IAM and other strict readers reject it`,
  };
}

const JSON_ERRORS: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: 'expected ":" after the property name',
  CommaExpected: 'expected "," between values',
  CloseBraceExpected: 'expected "}" (an unclosed object, or a missing comma before this line)',
  CloseBracketExpected: 'expected "]" (an unclosed array, or a missing comma before this line)',
  EndOfFileExpected: 'unexpected content after the end of the document',
  InvalidCommentToken: 'malformed comment',
  UnexpectedEndOfComment: 'unterminated comment',
  UnexpectedEndOfString: 'unterminated string',
  UnexpectedEndOfNumber: 'unterminated number',
  InvalidUnicode: 'malformed \\u escape',
  InvalidEscapeCharacter: 'invalid escape sequence',
  InvalidCharacter: 'invalid character in a string',
};

function jsonErrorText(code: string): string {
  return JSON_ERRORS[code] ?? code;
}

function walkJson(node: JsonNode, pointer: string, depth: number, positions: PositionMap, lines: number[], limits: StructuredLimits, state: { nodes: number }): JsonValue {
  if (++state.nodes > limits.maxNodes) throw new LimitError(`document has more than ${limits.maxNodes} values; raise the limit with --max-document-values`, node.offset);
  if (depth > limits.maxDepth) throw new LimitError(nestingMessage(limits.maxDepth), node.offset);
  if (positions[pointer] === undefined) positions[pointer] = span(lines, node.offset, node.offset + node.length);
  switch (node.type) {
    case 'object': {
      const obj = createObject();
      for (const prop of node.children ?? []) {
        const [k, v] = prop.children ?? [];
        if (!k) continue;
        const key = String(k.value);
        const child = pointer + '/' + escapeToken(key);
        if (child.length > MAX_POINTER_LENGTH) throw new LimitError(pointerTooLong(child), prop.offset);
        positions[child] = span(lines, prop.offset, prop.offset + prop.length);
        obj[key] = v ? walkJson(v, child, depth + 1, positions, lines, limits, state) : null;
      }
      return obj;
    }
    case 'array':
      return (node.children ?? []).map((c, i) => walkJson(c, `${pointer}/${i}`, depth + 1, positions, lines, limits, state));
    case 'string':
    case 'number':
    case 'boolean':
      return node.value as JsonValue;
    default:
      return null;
  }
}

/** Offsets of every line start, for offset → line/column. */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

export function offsetToLineCol(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo]! + 1 };
}

/** The position of the text between two offsets, given the text's line starts. */
export function span(lines: number[], start: number, end: number): Position {
  const a = offsetToLineCol(lines, start);
  const b = offsetToLineCol(lines, end);
  return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
}
