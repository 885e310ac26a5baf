/**
 * Parsing a saved inventory as it is read, piece by piece. An inventory as `podtrust collect`
 * writes it (one resource per line, between a short head and tail) is parsed line by line, so no
 * string ever holds more than one resource; any other JSON (edited by hand, pretty-printed by
 * another tool) is parsed whole, if it fits in one string.
 */
import { constants } from 'node:buffer';
import { PodtrustError } from '../errors.js';
import { DEFAULT_LIMITS, lineStarts, offsetToLineCol, parseJson } from '../util/structured.js';
import { jsonNestingOverflow, nestingMessage } from '../util/nesting.js';

/** The lines podtrust collect writes around the resources (see writeInventory). */
export const RESOURCES_OPEN = '  "resources": [';
export const RESOURCES_CLOSE = '\n  ]';

/** Levels above a resource body: the inventory, its `resources` list, the resource. */
const BODY_LEVEL = 3;

const NEWLINE = 0x0a;

type Mode = 'head' | 'resources' | 'tail' | 'whole';

export class InventoryParser {
  private mode: Mode = 'head';
  /** Raw pieces kept until the layout is known: all of them if the file turns out not to be in it. */
  private kept: Buffer[] = [];
  private keptBytes = 0;
  /** The start of a line whose end has not arrived yet. */
  private partial: Buffer[] = [];
  private partialBytes = 0;
  private line = 0;
  private readonly head: string[] = [];
  private readonly tail: string[] = [];
  private readonly resources: unknown[] = [];

  constructor(
    private readonly file: string,
    private readonly maxDepth: number = DEFAULT_LIMITS.maxDepth,
    /** The longest text parsed whole (tests lower it). */
    private readonly maxText: number = constants.MAX_STRING_LENGTH,
  ) {}

  push(chunk: Buffer): void {
    if (this.mode === 'head' || this.mode === 'whole') this.keep(chunk);
    if (this.mode === 'whole') return;
    let start = 0;
    for (let nl = chunk.indexOf(NEWLINE); nl >= 0 && !this.whole(); nl = chunk.indexOf(NEWLINE, start)) {
      const piece = chunk.subarray(start, nl);
      const bytes = this.partial.length > 0 ? Buffer.concat([...this.partial, piece]) : piece;
      this.partial = [];
      this.partialBytes = 0;
      start = nl + 1;
      this.onLine(bytes.toString('utf8'));
    }
    if (this.whole() || start >= chunk.length) return;
    this.partial.push(chunk.subarray(start));
    this.partialBytes += chunk.length - start;
    if (this.partialBytes > constants.MAX_STRING_LENGTH) {
      if (this.mode === 'head') {
        this.mode = 'whole';
        this.checkWholeSize();
      } else throw new PodtrustError('input', `${this.file}:${this.line + 1}: a line longer than the longest string Node can hold`);
    }
  }

  /** Whether the file is read whole (a method: the mode changes under the line callbacks). */
  private whole(): boolean {
    return this.mode === 'whole';
  }

  /** The parsed inventory (not yet validated). */
  end(): unknown {
    if (this.mode !== 'whole' && this.partial.length > 0) this.onLine(Buffer.concat(this.partial).toString('utf8'));
    this.partial = [];
    if (this.mode === 'whole' || this.mode === 'head') return this.parseWhole();
    if (this.mode === 'resources') throw new PodtrustError('input', `${this.file}:${this.line}: the resources list is not closed`);
    // The head and tail with an empty resources list: small, whatever the number of resources.
    const data = parseText(`${this.head.join('\n')}\n${this.tail.join('\n')}`, this.file, this.maxDepth);
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) (data as { resources?: unknown[] }).resources = this.resources;
    return data;
  }

  private keep(chunk: Buffer): void {
    this.keptBytes += chunk.length;
    this.kept.push(chunk);
    if (this.mode === 'whole') this.checkWholeSize();
  }

  private checkWholeSize(): void {
    if (this.keptBytes <= this.maxText) return;
    this.kept = [];
    throw new PodtrustError('input', `${this.file}: too large to read as one text (over ${this.maxText} bytes); inventories this large can be read only as podtrust collect writes them, one resource per line`);
  }

  private onLine(text: string): void {
    this.line++;
    if (this.mode === 'head') return this.onHeadLine(text);
    if (this.mode === 'tail') {
      this.tail.push(text);
      return;
    }
    if (text === '  ]' || text.startsWith('  ],')) {
      this.mode = 'tail';
      this.tail.push(text);
      return;
    }
    this.onResourceLine(text);
  }

  /**
   * `{`, `  "version": N,`, the resources opening and the first resource, whole on its line (or the
   * list's end), decide whether the file is laid out as podtrust writes it; until then its pieces are kept.
   */
  private onHeadLine(text: string): void {
    const emptyList = this.line === 3 && text.startsWith(`${RESOURCES_OPEN}]`);
    const listEnd = this.line === 4 && (text === '  ]' || text.startsWith('  ],'));
    const parsed = this.line === 4 && !listEnd && text.startsWith('    {"') ? this.resourceOf(text) : undefined;
    const first = parsed && 'value' in parsed ? parsed : undefined;
    const laidOut =
      (this.line === 1 && text === '{') ||
      (this.line === 2 && /^ {2}"version": \d+,$/.test(text)) ||
      (this.line === 3 && (text === RESOURCES_OPEN || emptyList)) ||
      listEnd ||
      first !== undefined;
    if (!laidOut) {
      this.mode = 'whole';
      this.checkWholeSize();
    } else if (emptyList || listEnd) {
      this.tail.push(text);
      this.confirm('tail');
    } else if (first !== undefined) {
      this.resources.push(first.value);
      this.confirm('resources');
    } else {
      this.head.push(text);
    }
  }

  /** One resource line: the resource, or why it is not one. */
  private resourceOf(line: string): { value: unknown } | { error: string } {
    const text = line.endsWith(',') ? line.slice(0, -1).trim() : line.trim();
    if (jsonNestingOverflow(text, this.maxDepth + 1) >= 0) return { error: `a resource body: ${nestingMessage(this.maxDepth)}` };
    try {
      return { value: JSON.parse(text) as unknown };
    } catch {
      return { error: 'not one resource per line as podtrust collect writes it' };
    }
  }

  private confirm(mode: Mode): void {
    this.kept = [];
    this.keptBytes = 0;
    this.mode = mode;
  }

  private onResourceLine(line: string): void {
    const resource = this.resourceOf(line);
    if ('error' in resource) throw new PodtrustError('input', `${this.file}:${this.line}: ${resource.error}`);
    this.resources.push(resource.value);
  }

  private parseWhole(): unknown {
    const text = Buffer.concat(this.kept).toString('utf8');
    this.kept = [];
    return parseText(text, this.file, this.maxDepth);
  }
}

/** A whole inventory text; resource bodies sit BODY_LEVEL below its root (their own `--max-depth` levels come on top). */
function parseText(withBom: string, file: string, maxDepth: number): unknown {
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  if (text.trim() === '') throw new PodtrustError('input', `${file}:1: empty inventory`);
  const over = jsonNestingOverflow(text, maxDepth + BODY_LEVEL);
  if (over >= 0) {
    const { line } = offsetToLineCol(lineStarts(text), over);
    throw new PodtrustError('input', `${file}:${line}: a resource body: ${nestingMessage(maxDepth)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // A hand-edited inventory may hold comments or trailing commas; the tolerant parser, which
    // also says where a real error is, costs more and is only needed then.
    const parsed = parseJson(text, { ...DEFAULT_LIMITS, maxDepth: maxDepth + BODY_LEVEL });
    const e = parsed.errors[0];
    if (!e && parsed.documents[0]) return parsed.documents[0].value;
    throw new PodtrustError('input', `${file}:${e?.line ?? 1}: ${e?.message ?? 'empty inventory'}`);
  }
}
