/** Bounding text taken from input before it is shown. */

export const ELLIPSIS = '…';

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
