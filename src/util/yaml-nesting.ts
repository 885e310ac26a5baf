/**
 * How deep a YAML text nests, known before either YAML parser recurses into it: exactly from the
 * `yaml` library's syntax tree (its parser keeps an explicit stack; its composer recurses once per
 * level), and as a cheap upper bound from the text, for the fast path.
 */
import type { CST } from 'yaml';

/**
 * The offset of the first node of a document more than `maxDepth` levels below its root (keys
 * count: the composer builds them as it builds values), or -1. Aliases are not expanded here;
 * the walk over the composed document counts them.
 */
export function cstNestingOverflow(doc: CST.Document, maxDepth: number): number {
  if (!doc.value) return -1;
  const stack: { token: CST.Token; depth: number }[] = [{ token: doc.value, depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    const { token, depth } = top;
    if (depth > maxDepth) return token.offset;
    if (token.type !== 'block-map' && token.type !== 'block-seq' && token.type !== 'flow-collection') continue;
    const items = token.items as CST.CollectionItem[];
    for (let i = items.length - 1; i >= 0; i--) {
      const { key, value } = items[i]!;
      if (value) stack.push({ token: value, depth: depth + 1 });
      if (key) stack.push({ token: key, depth: depth + 1 });
    }
  }
  return -1;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/**
 * A bound no document in `text[start, end)` can nest deeper than, as the js-yaml-derived parser
 * of the fast path reads it, however the text is quoted or commented (so it may be far above the
 * real depth, never below). Flow collections: at most one level per `[` or `{`. Block
 * collections: a nested collection's entries start further right than its parent's, except a
 * sequence that is a mapping value, so two levels take at least one column; the entries of a
 * line start within its leading run of blanks, indicators (`-`, `?`, `:`) and node properties.
 */
export function yamlNestingBound(text: string, start: number, end: number): number {
  const flow = flowOpeners(text, start, end);
  let widest = 0;
  for (let i = start; i < end; ) {
    const lineEnd = text.indexOf('\n', i);
    const stop = lineEnd < 0 || lineEnd > end ? end : lineEnd;
    const run = leadingRun(text, i, stop);
    if (run > widest) widest = run;
    i = stop + 1;
  }
  return flow + 2 * (widest + 1);
}

/**
 * A bound at or above {@link yamlNestingBound} for every part of `text`, from its line table
 * (offsets where lines start) alone: a line's leading run is no wider than the line.
 */
export function yamlNestingCeiling(text: string, lineStarts: readonly number[]): number {
  let longest = text.length - lineStarts[lineStarts.length - 1]!;
  for (let i = 1; i < lineStarts.length; i++) longest = Math.max(longest, lineStarts[i]! - lineStarts[i - 1]!);
  return flowOpeners(text, 0, text.length) + 2 * (longest + 1);
}

function flowOpeners(text: string, start: number, end: number): number {
  let flow = 0;
  for (let i = text.indexOf('[', start); i >= 0 && i < end; i = text.indexOf('[', i + 1)) flow++;
  for (let i = text.indexOf('{', start); i >= 0 && i < end; i = text.indexOf('{', i + 1)) flow++;
  return flow;
}

/** Columns taken by a line's leading blanks, indicators (`- `, `? `, `: `) and properties (`!tag `, `&anchor `). */
function leadingRun(text: string, from: number, stop: number): number {
  let i = from;
  for (;;) {
    while (i < stop && text.charCodeAt(i) === SPACE) i++;
    const c = text.charCodeAt(i);
    if (i >= stop || c === NEWLINE) return i - from;
    if (c === 0x2d || c === 0x3f || c === 0x3a) {
      const next = text.charCodeAt(i + 1);
      if (i + 1 < stop && next !== SPACE) return i - from;
      i++;
    } else if (c === 0x21 || c === 0x26) {
      while (i < stop && text.charCodeAt(i) !== SPACE) i++;
    } else {
      return i - from;
    }
  }
}
