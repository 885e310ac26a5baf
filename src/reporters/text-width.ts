/** How many terminal columns text takes. */
import stringWidth from 'string-width';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * Columns a terminal gives plain text (no escape sequences: see sanitize.ts). East Asian wide
 * characters and emoji take two, combining marks none. Most text is printable ASCII: it is
 * measured by its length, without string-width's regular expressions.
 */
export function displayWidth(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : stringWidth(text);
}

/** Text whose every character takes one column: its width is its length, and so is any slice's. */
export function isPrintableAscii(text: string): boolean {
  return PRINTABLE_ASCII.test(text);
}
