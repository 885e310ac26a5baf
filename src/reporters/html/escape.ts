import { characterReference, escapeForReport, sanitizeTerminal } from '../sanitize.js';

/** Text from scanned input as inert HTML (element content and quoted attribute values), and inert in a CI log that prints the report. */
export function escapeHtml(text: string): string {
  return escapeForReport(sanitizeTerminal(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`), characterReference);
}

/** Rule prose is Markdown: show code spans as code, everything else as escaped text. */
export function inlineMarkdown(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part) => (part.length > 1 && part.startsWith('`') && part.endsWith('`') ? `<code>${escapeHtml(part.slice(1, -1))}</code>` : escapeHtml(part)))
    .join('');
}

/** A link only for http(s) URLs; anything else stays text. */
export function safeLink(url: string): string {
  return /^https?:\/\/[^\s"'<>]+$/i.test(url)
    ? `<a href="${escapeHtml(url)}" rel="noreferrer noopener">${escapeHtml(url)}</a>`
    : escapeHtml(url);
}
