/**
 * Text taken from scanned input, bounded before a message or a report shows it: a pull request
 * can put a pattern of ten thousand characters in a trust policy, or fifty of them.
 */

import { isUnknown } from '../model/unknown.js';

export const ELLIPSIS = '…';

/** Characters of one value from the input that a message quotes. */
export const QUOTED_CHARACTERS = 200;
/** Characters of a name from the input that a message shows: longer, for GCP principal sets and ARNs. */
export const NAME_CHARACTERS = 400;
/** Values of one list from the input that a message quotes; the rest are counted. */
export const QUOTED_VALUES = 10;
/** Characters of a finding's message at most, whatever a rule wrote. */
export const MESSAGE_CHARACTERS = 4_000;
/** Characters of an error line (an exception's, a tool's) that a note keeps. */
const ERROR_LINE_CHARACTERS = 160;

/**
 * The text when it has at most `max` characters (code points); otherwise its first `max - 1`
 * followed by an ellipsis. Reads no further than the cut, however long the text.
 */
export function cutText(text: string, max: number): string {
  const limit = Math.max(1, Math.floor(max));
  // Never more code points than code units.
  if (text.length <= limit) return text;
  let end = 0;
  let keep = 0;
  for (let n = 0; n < limit; n++) {
    if (end >= text.length) return text;
    if (n === limit - 1) keep = end;
    end += text.codePointAt(end)! > 0xffff ? 2 : 1;
  }
  return end >= text.length ? text : `${text.slice(0, keep)}${ELLIPSIS}`;
}

/** A name from the input as a message shows it: a role, a host, a member. */
export function shown(value: string): string {
  return cutText(value, NAME_CHARACTERS);
}

/**
 * A value from the input as JSON, cut to {@link QUOTED_CHARACTERS}: a string in double quotes
 * (quotes and backslashes inside escaped), `true` or `12` as they are, an unresolved value as the
 * expression it came from, never its internal shape.
 */
export function quote(value: unknown): string {
  if (isUnknown(value)) return cutText(value.$unknown, QUOTED_CHARACTERS);
  const text = typeof value === 'string' ? value : (JSON.stringify(value, (_k, v: unknown) => (isUnknown(v) ? v.$unknown : v)) ?? String(value));
  const cut = cutText(text, QUOTED_CHARACTERS);
  return typeof value === 'string' ? JSON.stringify(cut) : cut;
}

/** `"a", "b", "c"`, or the first {@link QUOTED_VALUES} and `and N more`. */
export function quoteEach(values: readonly string[]): string {
  const listed = values.slice(0, QUOTED_VALUES).map(quote).join(', ');
  return values.length > QUOTED_VALUES ? `${listed} and ${values.length - QUOTED_VALUES} more` : listed;
}

/** The first line of `text` that says something, bounded, without control characters or quoted text. */
export function boundedLine(text: string): string {
  const line = (text.split('\n').find((l) => l.trim() !== '') ?? '')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
    .replace(/(["'`])(?:(?!\1).)*\1/g, '$1…$1')
    .trim();
  return line.length > ERROR_LINE_CHARACTERS ? `${line.slice(0, ERROR_LINE_CHARACTERS)}…` : line;
}
