/**
 * Makes untrusted text safe to print on a terminal: a resource name or message taken from
 * scanned input must not be able to move the cursor, recolour, retitle or spoof lines.
 */

// CSI (ESC [ … final byte, or the 8-bit 0x9B form), OSC / DCS / SOS / PM / APC strings up to
// their terminator (BEL or ST), and the remaining two-byte ESC sequences.
const ESCAPE_SEQUENCE =
  /(?:\u001b\[|\u009b)[\u0030-\u003f]*[\u0020-\u002f]*[\u0040-\u007e]?|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[\u0020-\u002f]*[\u0030-\u007e]?/g;

// Line breaks and tabs become one space so that input cannot start a line of its own.
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]+/g;

// Other C0/C1 controls, DEL, and bidirectional overrides that reorder what is displayed.
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

// Every character the three patterns above start with: text without one is returned as it is.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u0085\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function sanitizeTerminal(text: string): string {
  if (!ANY_CONTROL.test(text)) return text;
  return text.replace(ESCAPE_SEQUENCE, '').replace(LINE_BREAKS, ' ').replace(CONTROLS, '');
}
