/**
 * A fast path for parseYaml: the js-yaml-derived @stoplight/yaml-ast-parser builds the tree,
 * and this module turns it into exactly what the `yaml`-library path would produce (values,
 * positions, document indexes). Anything outside the subset proven identical returns
 * undefined, and the caller runs the `yaml`-library path instead.
 *
 * Positions follow the `yaml` library's node ranges: a value ends where its text ends, and a
 * block collection ends where its last entry's line ends (trailing comment and newline included).
 */
import { loadAll, Kind, type YAMLNode, type YAMLScalar, type YAMLMapping, type YAMLSequence, type YAMLException } from '@stoplight/yaml-ast-parser';
import type { JsonValue, Position, PositionMap } from '../model/types.js';
import { escapeToken } from './pointer.js';
import { MAX_POINTER_LENGTH } from './structured-limits.js';
import { createObject, intrinsicForm, isIntrinsicTag, lineStarts, offsetToLineCol, DEFAULT_LIMITS, type ParseOutput, type ParsedDocument, type YamlOptions } from './structured.js';
import { yamlNestingBound, yamlNestingCeiling } from './yaml-nesting.js';

/** Thrown inside the walk when the input leaves the supported subset. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported('outside the fast YAML subset');

/** No types at all: every explicit tag is reported as unknown, which is how tags are found. */
const TAGLESS_SCHEMA = { compiledImplicit: [], compiledTypeMap: {} };

const SPACE = 0x20;
const NEWLINE = 0x0a;
const HASH = 0x23;

/**
 * The parser recurses a few frames per level. A document that might nest deeper than this goes to
 * the `yaml` path, which measures its depth before it recurses. Measured: the parser itself
 * overflowed the main thread's stack at about 1,900 levels of flow mappings, 2,000 of block ones.
 */
const FAST_PATH_MAX_DEPTH = 1000;

export function parseYamlFast(text: string, options: YamlOptions = {}): ParseOutput | undefined {
  if (!withinSubsetLexically(text)) return undefined;
  try {
    return parseSegments(text, options);
  } catch (e) {
    // Unsupported constructs. A stack overflow cannot happen below FAST_PATH_MAX_DEPTH; should it
    // anyway, the `yaml` path still reads the text with its own depth check.
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * Characters whose handling differs between the two parsers (or needs care we do not take), and
 * input the other parser does not survive: a `\x`, `\u` or `\U` escape without its hex digits
 * makes it read past the end of the input and loop forever.
 */
function withinSubsetLexically(text: string): boolean {
  // Searches for single characters, which run far faster than a regular expression over the text;
  // the rare hits are then looked at closely.
  if (OUTSIDE_SUBSET_CHARS.some((c) => text.includes(c))) return false;
  if (text.includes('\\') && BROKEN_HEX_ESCAPE.test(text)) return false;
  // A line starting `---` other than a bare marker (`--- x`, `---# c`, `----`) is read differently.
  // No line breaks but `\n` remain.
  if (atSomeLineStart(text, '%', () => true) || atSomeLineStart(text, '...', () => true)) return false;
  if (atSomeLineStart(text, '---', (at) => at + 3 < text.length && text.charCodeAt(at + 3) !== NEWLINE)) return false;
  // A `?` key indicator with nothing after it (or a plain scalar's last character: both go).
  for (let i = text.indexOf('?'); i >= 0; i = text.indexOf('?', i + 1)) {
    if (i + 1 === text.length || text.charCodeAt(i + 1) === SPACE || text.charCodeAt(i + 1) === NEWLINE) return false;
  }
  return true;
}

const OUTSIDE_SUBSET_CHARS = ['\t', '\r', '\uFEFF', '\u0085', '\u2028', '\u2029'];

/** Whether `word` starts a line somewhere in `text` where `also` holds for its offset. */
function atSomeLineStart(text: string, word: string, also: (at: number) => boolean): boolean {
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
    if ((i === 0 || text.charCodeAt(i - 1) === NEWLINE) && also(i)) return true;
  }
  return false;
}

/**
 * A hex escape without all its digits, or past Unicode (`\U` over 10FFFF: an error for the `yaml`
 * library, garbage for the other parser). Matched anywhere: outside double quotes it costs a fallback.
 */
const BROKEN_HEX_ESCAPE = /\\(?:x(?![0-9A-Fa-f]{2})|u(?![0-9A-Fa-f]{4})|U(?!000[0-9A-Fa-f]{5}|0010[0-9A-Fa-f]{4}))/;

interface Segment {
  start: number;
  end: number;
  /** Offset just after the `---` that opened this document, or -1 for the leading segment. */
  markerEnd: number;
}

/** Documents are separated by `---` lines; nothing else in the subset starts a document. */
function splitDocuments(text: string): Segment[] {
  const segments: Segment[] = [];
  let start = 0;
  let markerEnd = -1;
  const marker = /^---(?:\n|$)/gm;
  for (let m = marker.exec(text); m !== null; m = marker.exec(text)) {
    segments.push({ start, end: m.index, markerEnd });
    markerEnd = m.index + 3;
    start = m.index + m[0].length;
    if (m[0].length === 3) break;
  }
  segments.push({ start, end: text.length, markerEnd });
  return segments;
}

function hasContent(text: string, start: number, end: number): boolean {
  let atLineStart = true;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === NEWLINE) atLineStart = true;
    else if (c === SPACE) continue;
    else if (atLineStart) {
      if (c !== HASH) return true;
      atLineStart = false;
    }
  }
  return false;
}

function parseSegments(text: string, options: YamlOptions): ParseOutput {
  const lines = new LineIndex(text);
  const limits = options.limits ?? DEFAULT_LIMITS;
  const documents: ParsedDocument[] = [];
  let index = 0;
  // Most texts are shallow at a glance; only the others are measured document by document.
  const shallow = yamlNestingCeiling(text, lines.starts) <= FAST_PATH_MAX_DEPTH;
  for (const seg of splitDocuments(text)) {
    const content = hasContent(text, seg.start, seg.end);
    if (!content) {
      if (seg.markerEnd < 0) continue;
      // An empty document still counts: the `yaml` library yields a null value right after `---`.
      if (limits.maxNodes < 1) throw UNSUPPORTED;
      const positions = Object.create(null) as PositionMap;
      positions[''] = lines.span(seg.markerEnd, seg.markerEnd);
      documents.push({ value: null, positions, index: index++ });
      continue;
    }
    if (!shallow && yamlNestingBound(text, seg.start, seg.end) > FAST_PATH_MAX_DEPTH) throw UNSUPPORTED;
    const walker = new Walker(text, seg, lines, limits, options.intrinsicTags === true);
    documents.push({ value: walker.document(text.slice(seg.start, seg.end)), positions: walker.positions, index: index++ });
  }
  return { documents, errors: [] };
}

/**
 * Offset → 1-based line/column spans over the reference path's line table. The walk asks for
 * offsets in nearly rising order, so the line of the previous answer is tried first (and the one
 * after it) before a binary search.
 */
class LineIndex {
  readonly starts: number[];
  private cursor = 0;
  constructor(text: string) {
    this.starts = lineStarts(text);
  }
  span(start: number, end: number): Position {
    const pos: Position = { line: 0, column: 0, endLine: 0, endColumn: 0 };
    this.begin(pos, start);
    this.end(pos, start, end);
    return pos;
  }
  /** Sets where a span starts; its end is set by {@link end} once known. */
  begin(pos: Position, start: number): void {
    const i = this.lineOf(start);
    pos.line = i + 1;
    pos.column = start - this.starts[i]! + 1;
  }
  end(pos: Position, start: number, end: number): void {
    const at = Math.max(start, end);
    const i = this.lineOf(at);
    pos.endLine = i + 1;
    pos.endColumn = at - this.starts[i]! + 1;
  }
  private lineOf(offset: number): number {
    const starts = this.starts;
    const last = starts.length - 1;
    let i = this.cursor;
    if (starts[i]! <= offset) {
      if (i === last || starts[i + 1]! > offset) return i;
      if (i + 1 === last || starts[i + 2]! > offset) return (this.cursor = i + 1);
    }
    i = offsetToLineCol(starts, offset).line - 1;
    return (this.cursor = i);
  }
}

/** What a walked node contributes besides its value: where its text and its line end. */
interface Extent {
  valueEnd: number;
  nodeEnd: number;
}

/** yaml-ast-parser's tree of each document of a source, parsed as the fast path parses it. */
export function yamlAstRoots(source: string, onWarning?: () => void): YAMLNode[] {
  const roots: YAMLNode[] = [];
  loadAll(source, (doc) => roots.push(doc), { schema: TAGLESS_SCHEMA, ignoreDuplicateKeys: true, onWarning });
  return roots;
}

class Walker {
  readonly positions = Object.create(null) as PositionMap;
  private readonly base: number;
  /**
   * Whether a token before a node can be a tag or a `?` key indicator. Looking back reaches no
   * further than the `---` that opened the document, so these are known from the document's text.
   */
  private readonly mayHaveTags: boolean;
  private readonly mayHaveKeyIndicators: boolean;
  private nodes = 0;
  /** Offset of each `!tag` the parser reported → its name; entries are removed as nodes claim them. */
  private readonly tags = new Map<number, string>();
  private readonly extent: Extent = { valueEnd: 0, nodeEnd: 0 };
  /** Offsets of the key {@link key} read last. */
  private keyStart = 0;
  private keyEnd = 0;
  /** The first key's offset of the mapping {@link pairs} read last, and whether its last value was empty. */
  private firstKey = -1;
  private lastEmpty = false;

  constructor(
    private readonly text: string,
    seg: Segment,
    private readonly lines: LineIndex,
    private readonly limits: { maxNodes: number; maxDepth: number },
    private readonly intrinsic: boolean,
  ) {
    this.base = seg.start;
    this.mayHaveTags = occursIn(text, '!', seg.start, seg.end);
    this.mayHaveKeyIndicators = occursIn(text, '?', seg.start, seg.end);
  }

  document(source: string): JsonValue {
    let roots: YAMLNode[];
    let warned = false;
    try {
      roots = yamlAstRoots(source, () => {
        warned = true;
      });
    } catch {
      // The parser trips over some malformed input; the `yaml` path reports it.
      throw UNSUPPORTED;
    }
    const root = roots[0];
    if (warned || roots.length !== 1 || !root) throw UNSUPPORTED;
    for (const err of root.errors) this.noteTag(err);
    // The parser stretches the root's end to the end of input, so only block collections (whose
    // end comes from their entries) can be the root.
    if (root.kind !== Kind.MAP && root.kind !== Kind.SEQ) throw UNSUPPORTED;
    if (this.isFlowStart(root)) throw UNSUPPORTED;
    const value = this.walk(root, '', 0, false);
    if (this.tags.size > 0) throw UNSUPPORTED;
    return value;
  }

  /** Unknown-tag reports do not disturb the parse; any other problem sends the input to the `yaml` path. */
  private noteTag(err: YAMLException): void {
    const m = /^unknown tag <!([A-Za-z]+)>$/.exec(err.reason);
    if (err.isWarning || !m || !this.intrinsic || !isIntrinsicTag(m[1]!)) throw UNSUPPORTED;
    const at = this.base + err.mark.position;
    if (this.text.charCodeAt(at) !== 0x21 || !this.text.startsWith(`!${m[1]!}`, at)) throw UNSUPPORTED;
    this.tags.set(at, m[1]!);
  }

  private isFlowStart(node: YAMLNode): boolean {
    const c = this.text.charCodeAt(this.base + node.startPosition);
    return c === 0x5b || c === 0x7b;
  }

  /**
   * Walks a value node; leaves its extent in this.extent. Mirrors walkYaml's counting and checks.
   * `recorded`: the caller has just recorded the pair span at `pointer`.
   */
  private walk(node: YAMLNode, pointer: string, depth: number, recorded: boolean): JsonValue {
    if (++this.nodes > this.limits.maxNodes || depth > this.limits.maxDepth) throw UNSUPPORTED;
    if (node.anchorId !== undefined) throw UNSUPPORTED;
    const start = this.base + node.startPosition;
    const flow = this.isFlowStart(node);
    const tag = this.claimTag(start, node.kind !== Kind.SCALAR && !flow);
    // walkYaml records a node's own range only where nothing (a pair span, an earlier duplicate) is
    // recorded. The slot is taken now, keeping key order, and its end set once the node is walked.
    let own: Position | undefined;
    if (!recorded && this.positions[pointer] === undefined) {
      own = { line: 0, column: 0, endLine: 0, endColumn: 0 };
      this.lines.begin(own, start);
      this.positions[pointer] = own;
    }
    let value: JsonValue;
    switch (node.kind) {
      case Kind.SCALAR:
        value = this.scalar(node as YAMLScalar, tag !== undefined);
        break;
      case Kind.MAP:
        value = flow ? this.flowMap(node, pointer, depth) : this.blockMap(node, pointer, depth, tag?.at ?? -1);
        break;
      case Kind.SEQ:
        value = flow ? this.flowSeq(node, pointer, depth) : this.blockSeq(node, pointer, depth);
        break;
      default:
        throw UNSUPPORTED;
    }
    if (own !== undefined) this.lines.end(own, start, this.extent.valueEnd);
    return tag === undefined ? value : intrinsicForm(tag.name, value);
  }

  /** Sets this.extent; returns nothing so that a value and its extent need no wrapper. */
  private setExtent(valueEnd: number, nodeEnd: number): void {
    this.extent.valueEnd = valueEnd;
    this.extent.nodeEnd = nodeEnd;
  }

  /**
   * The `!tag` written right before a node (only blanks between), if any. A tag must sit on an
   * earlier line than a block collection it applies to; on the same line it would tag the key.
   */
  private claimTag(start: number, blockCollection: boolean): { name: string; at: number } | undefined {
    if (!this.mayHaveTags) return undefined;
    const at = this.previousTokenStart(start);
    if (at < 0 || this.text.charCodeAt(at) !== 0x21) return undefined;
    const name = this.tags.get(at);
    if (name === undefined) throw UNSUPPORTED;
    const nl = this.text.indexOf('\n', at);
    if (blockCollection && (nl < 0 || nl > start)) throw UNSUPPORTED;
    this.tags.delete(at);
    return { name, at };
  }

  private previousTokenStart(start: number): number {
    const t = this.text;
    let i = start - 1;
    while (i >= 0 && (t.charCodeAt(i) === SPACE || t.charCodeAt(i) === NEWLINE)) i--;
    if (i < 0) return -1;
    while (i >= 0 && !isTokenBoundary(t.charCodeAt(i))) i--;
    return i + 1;
  }

  private scalar(node: YAMLScalar, tagged: boolean): JsonValue {
    const start = this.base + node.startPosition;
    if (node.plainScalar) {
      const valueEnd = this.base + node.endPosition;
      this.setExtent(valueEnd, this.lineTail(valueEnd));
      return tagged ? node.value : scalarValue(resolvePlain(node.value));
    }
    if (node.doubleQuoted || node.singleQuoted) {
      const valueEnd = this.base + node.endPosition;
      if (this.text.lastIndexOf('\n', valueEnd - 1) >= start) throw UNSUPPORTED;
      this.setExtent(valueEnd, this.lineTail(valueEnd));
      return node.value;
    }
    const block = readBlockScalar(this.text, start);
    if (block === undefined || block.value !== node.value) throw UNSUPPORTED;
    this.setExtent(block.end, block.end);
    return block.value;
  }

  private key(mapping: YAMLMapping, sharedTagStart: number): string {
    const k = mapping.key as YAMLNode | null;
    if (!k || k.kind !== Kind.SCALAR || k.anchorId !== undefined) throw UNSUPPORTED;
    const start = this.base + k.startPosition;
    const tokenStart = this.mayHaveTags || this.mayHaveKeyIndicators ? this.previousTokenStart(start) : -1;
    if (tokenStart >= 0) {
      const c = this.text.charCodeAt(tokenStart);
      const explicitKey = c === 0x3f && isTokenBoundary(this.text.charCodeAt(tokenStart + 1));
      if ((c === 0x21 && tokenStart !== sharedTagStart) || explicitKey) throw UNSUPPORTED;
    }
    const s = k as YAMLScalar;
    const end = this.base + s.endPosition;
    let key: string;
    if (s.plainScalar) key = String(resolvePlain(s.value));
    else if (s.doubleQuoted || s.singleQuoted) {
      if (this.text.lastIndexOf('\n', end - 1) >= start) throw UNSUPPORTED;
      key = s.value;
    } else throw UNSUPPORTED;
    if (key === '<<') throw UNSUPPORTED;
    this.keyStart = start;
    this.keyEnd = end;
    return key;
  }

  /**
   * Offset where the `yaml` library places an empty value: after the indicator and its spaces.
   * Something else there (`&anchor` or `!tag` with nothing after it) is not an empty value here.
   */
  private emptyValueAt(indicatorEnd: number): number {
    let i = indicatorEnd;
    while (this.text.charCodeAt(i) === SPACE) i++;
    if (i < this.text.length && !ENDS_EMPTY_VALUE.has(this.text.charCodeAt(i))) throw UNSUPPORTED;
    return i;
  }

  /** Offset just past `:` following a key on the same line, or a fallback. */
  private colonAfter(keyEnd: number): number {
    let i = keyEnd;
    while (this.text.charCodeAt(i) === SPACE) i++;
    if (this.text.charCodeAt(i) !== 0x3a) throw UNSUPPORTED;
    return i + 1;
  }

  /** Reads a mapping's pairs; leaves the last value's extent in this.extent. */
  private pairs(node: YAMLNode, pointer: string, depth: number, sharedTagStart: number, flow: boolean): Record<string, JsonValue> {
    const obj = createObject();
    let lastValueEnd = 0;
    let lastNodeEnd = 0;
    let firstKey = -1;
    let firstColumn = -1;
    let lastEmpty = false;
    let prevEnd = this.base + node.startPosition + (flow ? 1 : 0);
    const prefix = pointer + '/';
    const mappings = (node.mappings ?? []) as YAMLMapping[];
    for (let m = 0; m < mappings.length; m++) {
      const mapping = mappings[m];
      if (!mapping || mapping.kind !== Kind.MAPPING) throw UNSUPPORTED;
      const key = this.key(mapping, sharedTagStart);
      const start = this.keyStart;
      const end = this.keyEnd;
      if (flow) this.checkFlowGap(prevEnd, start, firstKey < 0 ? 0 : 1);
      // The pair's span starts at its key; its end is set once the value is read.
      const pos: Position = { line: 0, column: 0, endLine: 0, endColumn: 0 };
      this.lines.begin(pos, start);
      if (firstKey < 0) {
        firstKey = start;
        firstColumn = pos.column;
      } else if (!flow && pos.column !== firstColumn) throw UNSUPPORTED;
      const child = prefix + escapeToken(key);
      // The full parser reports the limit with its line.
      if (child.length > MAX_POINTER_LENGTH) throw UNSUPPORTED;
      const colonEnd = this.colonAfter(end);
      const valueNode = mapping.value as YAMLNode | null;
      lastEmpty = valueNode === null;
      if (valueNode === null) {
        const at = this.emptyValueAt(colonEnd);
        this.lines.end(pos, start, at);
        this.positions[child] = pos;
        this.countEmptyValue(depth + 1);
        obj[key] = null;
        lastValueEnd = at;
        lastNodeEnd = this.emptyNodeEnd(at);
      } else {
        const valueStart = this.base + valueNode.startPosition;
        if (flow && !FLOW_VALUE_GAP.test(this.text.slice(colonEnd, valueStart))) throw UNSUPPORTED;
        // walkYaml writes the pair span before walking the value: the slot is taken now, keeping key order.
        this.positions[child] = pos;
        const value = this.walk(valueNode, child, depth + 1, true);
        this.lines.end(pos, start, this.extent.valueEnd);
        obj[key] = value;
        lastValueEnd = this.extent.valueEnd;
        lastNodeEnd = this.extent.nodeEnd;
      }
      prevEnd = lastValueEnd;
    }
    if (firstKey < 0) throw UNSUPPORTED;
    this.firstKey = firstKey;
    this.lastEmpty = lastEmpty;
    this.setExtent(lastValueEnd, lastNodeEnd);
    return obj;
  }

  private blockMap(node: YAMLNode, pointer: string, depth: number, tagStart: number): JsonValue {
    const obj = this.pairs(node, pointer, depth, tagStart, false);
    const firstKey = this.firstKey;
    const nodeEnd = this.extent.nodeEnd;
    if (firstKey !== this.base + node.startPosition) throw UNSUPPORTED;
    this.checkNoTrailingComment(firstKey, nodeEnd, depth === 0, this.lastEmpty);
    this.setExtent(nodeEnd, nodeEnd);
    return obj;
  }

  private flowMap(node: YAMLNode, pointer: string, depth: number): JsonValue {
    const start = this.base + node.startPosition;
    const valueEnd = this.base + node.endPosition;
    this.checkFlowSpan(start, valueEnd, 0x7d);
    if ((node.mappings ?? []).length === 0) {
      this.checkFlowGap(start + 1, valueEnd - 1, 0);
      this.setExtent(valueEnd, this.lineTail(valueEnd));
      return createObject();
    }
    const obj = this.pairs(node, pointer, depth, -1, true);
    this.checkFlowGap(this.extent.valueEnd, valueEnd - 1, -1);
    this.setExtent(valueEnd, this.lineTail(valueEnd));
    return obj;
  }

  private blockSeq(node: YAMLNode, pointer: string, depth: number): JsonValue {
    const arr: JsonValue[] = [];
    const items = ((node as YAMLSequence).items ?? []) as (YAMLNode | null)[];
    if (items.length === 0) throw UNSUPPORTED;
    let prevEnd = this.base + node.startPosition;
    const column = this.column(prevEnd);
    let nodeEnd = prevEnd;
    let lastEmpty = false;
    const prefix = pointer + '/';
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      const child = prefix + i;
      lastEmpty = item === null;
      const dash = this.nextDash(prevEnd, column);
      if (item === null) {
        const at = this.emptyValueAt(dash + 1);
        if (this.positions[child] === undefined) this.positions[child] = this.lines.span(at, at);
        this.countEmptyValue(depth + 1);
        arr.push(null);
        prevEnd = at;
        nodeEnd = this.emptyNodeEnd(at);
        continue;
      }
      if (item.kind === Kind.MAPPING) throw UNSUPPORTED;
      if (!isBlockItemGap(this.text, dash + 1, this.base + item.startPosition)) throw UNSUPPORTED;
      arr.push(this.walk(item, child, depth + 1, false));
      prevEnd = this.extent.valueEnd;
      nodeEnd = this.extent.nodeEnd;
    }
    this.checkNoTrailingComment(this.base + node.startPosition, nodeEnd, depth === 0, lastEmpty);
    this.setExtent(nodeEnd, nodeEnd);
    return arr;
  }

  /**
   * Comment lines right after a block collection's last entry, indented at least as deep as the
   * collection, stretch ranges in the `yaml` library in ways not modelled here.
   */
  private checkNoTrailingComment(collectionStart: number, end: number, root: boolean, lastEmpty: boolean): void {
    const t = this.text;
    const indent = collectionStart - (t.lastIndexOf('\n', collectionStart - 1) + 1);
    let lineStart = end;
    if (lineStart > 0 && t.charCodeAt(lineStart - 1) !== NEWLINE) {
      const nl = t.indexOf('\n', lineStart);
      if (nl < 0) return;
      lineStart = nl + 1;
    }
    for (;;) {
      let i = lineStart;
      while (t.charCodeAt(i) === SPACE) i++;
      const c = t.charCodeAt(i);
      if (c === NEWLINE) {
        lineStart = i + 1;
        continue;
      }
      if (c !== HASH) return;
      // After an empty last value the `yaml` library's ranges run on through the comments.
      if (lastEmpty) throw UNSUPPORTED;
      const commentIndent = i - lineStart;
      if (commentIndent > indent || (commentIndent === indent && !root)) throw UNSUPPORTED;
      return;
    }
  }

  private flowSeq(node: YAMLNode, pointer: string, depth: number): JsonValue {
    const start = this.base + node.startPosition;
    const valueEnd = this.base + node.endPosition;
    this.checkFlowSpan(start, valueEnd, 0x5d);
    const arr: JsonValue[] = [];
    let prevEnd = start + 1;
    const prefix = pointer + '/';
    const items = ((node as YAMLSequence).items ?? []) as (YAMLNode | null)[];
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (item === null || item.kind === Kind.MAPPING) throw UNSUPPORTED;
      this.checkFlowGap(prevEnd, this.base + item.startPosition, i === 0 ? 0 : 1);
      arr.push(this.walk(item, prefix + i, depth + 1, false));
      prevEnd = this.extent.valueEnd;
    }
    this.checkFlowGap(prevEnd, valueEnd - 1, arr.length === 0 ? 0 : -1);
    this.setExtent(valueEnd, this.lineTail(valueEnd));
    return arr;
  }

  /** A flow collection on one line, closed by the expected bracket. */
  private checkFlowSpan(start: number, end: number, closer: number): void {
    if (this.text.charCodeAt(end - 1) !== closer) throw UNSUPPORTED;
    const nl = this.text.indexOf('\n', start);
    if (nl >= 0 && nl < end) throw UNSUPPORTED;
  }

  /** Between flow entries only blanks and the expected number of commas (-1: zero or one). */
  private checkFlowGap(from: number, to: number, commas: number): void {
    let seen = 0;
    let tags = 0;
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      if (c === 0x2c && tags === 0) seen++;
      else if (c === 0x21 && tags++ === 0) {
        while (isLetter(this.text.charCodeAt(i + 1))) i++;
        if (this.text.charCodeAt(i + 1) !== SPACE) throw UNSUPPORTED;
      } else if (c !== SPACE) throw UNSUPPORTED;
    }
    if (commas < 0 ? seen > 1 : seen !== commas) throw UNSUPPORTED;
  }

  /**
   * The `-` indicator of the next block sequence entry at or after `from`, in the sequence's
   * column (the other parser reads `- - x\n- y` as one nested sequence).
   */
  private nextDash(from: number, column: number): number {
    const t = this.text;
    let i = from;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === SPACE || c === NEWLINE) i++;
      else if (c === HASH) {
        const nl = t.indexOf('\n', i);
        if (nl < 0) throw UNSUPPORTED;
        i = nl + 1;
      } else break;
    }
    if (t.charCodeAt(i) !== 0x2d || this.column(i) !== column) throw UNSUPPORTED;
    return i;
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  private countEmptyValue(depth: number): void {
    if (++this.nodes > this.limits.maxNodes || depth > this.limits.maxDepth) throw UNSUPPORTED;
  }

  /** End of a node's line: trailing spaces, a comment and one newline belong to the node. */
  private lineTail(valueEnd: number): number {
    const t = this.text;
    let i = valueEnd;
    while (t.charCodeAt(i) === SPACE) i++;
    if (t.charCodeAt(i) === HASH) {
      // `"x"#c` is an error for the `yaml` library but a comment for the other parser.
      if (i === valueEnd) throw UNSUPPORTED;
      const nl = t.indexOf('\n', i);
      i = nl < 0 ? t.length : nl;
    }
    if (t.charCodeAt(i) === NEWLINE) i++;
    return i;
  }

  /**
   * An empty value's node end: a comment on its line belongs to it, and then so do the line
   * breaks and blanks up to the next token (the `yaml` library's range for a comment-only value).
   */
  private emptyNodeEnd(at: number): number {
    if (this.text.charCodeAt(at) !== HASH) return at;
    const nl = this.text.indexOf('\n', at);
    if (nl < 0) return this.text.length;
    let i = nl + 1;
    while (this.text.charCodeAt(i) === SPACE || this.text.charCodeAt(i) === NEWLINE) i++;
    return i;
  }
}

/** What may follow an empty value: a line break, a comment, the end of a flow entry. */
const ENDS_EMPTY_VALUE = new Set([NEWLINE, HASH, 0x2c, 0x7d, 0x5d]);
/**
 * Between `-` and its entry (`text[from, to)`): blanks, at most one tag, then at least one blank
 * before the entry, on this or a later line (as `/^ *(?:![A-Za-z]+)?[ \n]+$/` would match).
 */
function isBlockItemGap(text: string, from: number, to: number): boolean {
  let i = from;
  while (i < to && text.charCodeAt(i) === SPACE) i++;
  if (i < to && text.charCodeAt(i) === 0x21) {
    const name = ++i;
    while (i < to && isLetter(text.charCodeAt(i))) i++;
    if (i === name || i === to) return false;
  } else if (from === to) return false;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== SPACE && c !== NEWLINE) return false;
  }
  return true;
}
/** Between `:` and a flow value: blanks and at most one tag. */
const FLOW_VALUE_GAP = /^ *(?:![A-Za-z]+ +)?$/;

function occursIn(text: string, char: string, start: number, end: number): boolean {
  const at = text.indexOf(char, start);
  return at >= 0 && at < end;
}

function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isTokenBoundary(c: number): boolean {
  return c === SPACE || c === NEWLINE || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2c;
}

function scalarValue(v: null | boolean | number | string): JsonValue {
  if (typeof v === 'number') return Number.isFinite(v) ? v : String(v);
  return v;
}

const NULL_RE = /^(?:~|[Nn]ull|NULL)$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** YAML 1.2 core schema resolution of a plain scalar, as the `yaml` library performs it. */
export function resolvePlain(s: string): null | boolean | number | string {
  if (s === '') return null;
  const c = s.charCodeAt(0);
  // Fast exit: most plain scalars start with a letter that no core type can start with.
  const maybeTyped = c === 0x7e || c === 0x2b || c === 0x2d || c === 0x2e || (c >= 0x30 && c <= 0x39) || c === 0x4e || c === 0x6e || c === 0x54 || c === 0x74 || c === 0x46 || c === 0x66;
  if (!maybeTyped) return s;
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return c === 0x74 || c === 0x54;
  if (OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (SPECIAL_FLOAT_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

/**
 * A block scalar with the header `|`, `|-`, `>` or `>-` (no keep chomping, no explicit
 * indentation, no more-indented folded lines): its value and the offset after its last content line.
 */
export function readBlockScalar(text: string, start: number): { value: string; end: number } | undefined {
  const folded = text.charCodeAt(start) === 0x3e;
  let i = start + 1;
  const strip = text.charCodeAt(i) === 0x2d;
  if (strip) i++;
  const afterHeader = i;
  while (text.charCodeAt(i) === SPACE) i++;
  if (text.charCodeAt(i) === HASH) {
    if (i === afterHeader) return undefined;
    i = text.indexOf('\n', i);
    if (i < 0) return undefined;
  }
  if (text.charCodeAt(i) !== NEWLINE) return undefined;
  let lineStart = i + 1;
  let indent = -1;
  const lines: string[] = [];
  let leadingBlankMax = 0;
  let end = -1;
  let lastContent = -1;
  while (lineStart < text.length) {
    let nl = text.indexOf('\n', lineStart);
    if (nl < 0) nl = text.length;
    let k = lineStart;
    while (k < nl && text.charCodeAt(k) === SPACE) k++;
    const blank = k === nl;
    const spaces = k - lineStart;
    if (blank) {
      if (indent < 0) leadingBlankMax = Math.max(leadingBlankMax, spaces);
      else if (spaces > indent) return undefined;
      lines.push('');
    } else {
      if (indent < 0) indent = spaces;
      if (spaces < indent) break;
      if (nl === text.length) return undefined;
      if (folded && spaces > indent) return undefined;
      lines.push(text.slice(lineStart + indent, nl));
      lastContent = lines.length - 1;
      end = nl + 1;
    }
    lineStart = nl + 1;
  }
  if (indent <= 0 || lastContent < 0 || leadingBlankMax > indent) return undefined;
  const content = lines.slice(0, lastContent + 1);
  let value: string;
  if (!folded) value = content.join('\n');
  else {
    value = '';
    let pendingBreaks = 0;
    let seenText = false;
    for (const line of content) {
      if (line === '') {
        pendingBreaks++;
        continue;
      }
      if (seenText) value += pendingBreaks === 0 ? ' ' : '\n'.repeat(pendingBreaks);
      else value += '\n'.repeat(pendingBreaks);
      value += line;
      pendingBreaks = 0;
      seenText = true;
    }
  }
  return { value: strip ? value : value + '\n', end };
}
