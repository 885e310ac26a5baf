/**
 * `# podtrust:ignore <rule-id> <reason>` comments in Kubernetes manifests. Only the lines of one
 * document (plus the comments directly above it) are read for that document, so a multi-document
 * file attaches each comment once, to the object that follows it.
 */
import type { CoverageNote, Resource } from '../model/types.js';
import type { ParsedDocument } from '../util/structured.js';
import type { SourceFile } from './types.js';
import { commentSuppressions } from './comment-suppressions.js';

const COMMENT_LINE = /^\s*#/;

/** The file's text with every line outside the document's own range blanked, so line numbers still match. */
function documentText(text: string, doc: ParsedDocument): string {
  const root = doc.positions[''];
  if (!root) return '';
  const lines = text.split(/\r?\n/);
  let first = root.line - 1;
  while (first > 0 && COMMENT_LINE.test(lines[first - 1]!)) first--;
  const last = root.endLine;
  return lines.map((l, i) => (i + 1 >= first + 1 && i + 1 <= last ? l : '')).join('\n');
}

/** Adds the comment suppressions of one parsed document to the resources read from it. */
export function documentCommentSuppressions(file: SourceFile, doc: ParsedDocument, byPrefix: { prefix: string; resource: Resource }[], notes: CoverageNote[]): void {
  if (byPrefix.length === 0 || !file.text.includes('podtrust:ignore')) return;
  const ordered = [...byPrefix].sort((a, b) => b.prefix.length - a.prefix.length);
  const { found, notes: found_notes } = commentSuppressions(
    documentText(file.text, doc),
    doc.positions,
    (pointer) => {
      const hit = ordered.find((e) => pointer === e.prefix || pointer.startsWith(e.prefix + '/'));
      return hit ? { target: hit.resource.id, pointer: pointer.slice(hit.prefix.length) } : undefined;
    },
    file.path,
  );
  notes.push(...found_notes);
  for (const f of found) {
    const entry = byPrefix.find((e) => e.resource.id === f.target);
    if (!entry) continue;
    (entry.resource.suppressions ??= []).push(f.suppression);
  }
}
