/**
 * JSON text for reports: `JSON.stringify` escapes C0 controls but leaves DEL and the C1 range
 * (U+007F–U+009F, where U+009B is an 8-bit CSI) raw, and a terminal showing the report would
 * obey them; it also leaves invisible format characters, `##[` and `::stop-commands::` as
 * they are, and a CI runner printing the report would take them for workflow commands (see
 * `inertForLog`). All of them can only occur inside strings, so `\uXXXX` escapes keep the data
 * intact.
 */
import { escapeForReport } from './sanitize.js';

/** `\uXXXX` for each UTF-16 unit (two for a character beyond the BMP). */
function unicodeEscapes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += `\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

export function jsonText(value: unknown, indent = 2): string {
  return escapeForReport(JSON.stringify(value, null, indent), unicodeEscapes);
}
