/**
 * JSON text for reports: `JSON.stringify` escapes C0 controls but leaves DEL and the C1 range
 * (U+007F–U+009F, where U+009B is an 8-bit CSI) raw, and a terminal showing the report would
 * obey them. They can only occur inside strings, so `\u00XX` escapes keep the data intact.
 */
export function jsonText(value: unknown, indent = 2): string {
  // eslint-disable-next-line no-control-regex
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
