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

/** A file's lines, split once for all its documents; null when it has no suppression comment. */
const linesByFile = new WeakMap<SourceFile, string[] | null>();

function linesOf(file: SourceFile): string[] | null {
  let lines = linesByFile.get(file);
  if (lines === undefined) {
    lines = file.text.includes('podtrust:ignore') ? file.text.split(/\r?\n/) : null;
    linesByFile.set(file, lines);
  }
  return lines;
}

/** The document's own lines (with the comments directly above it) and the file line they start at. */
function documentLines(lines: string[], doc: ParsedDocument): { text: string; firstLine: number } | undefined {
  const root = doc.positions[''];
  if (!root) return undefined;
  let first = root.line - 1;
  while (first > 0 && COMMENT_LINE.test(lines[first - 1]!)) first--;
  return { text: lines.slice(first, root.endLine).join('\n'), firstLine: first + 1 };
}

/** Adds the comment suppressions of one parsed document to the resources read from it. */
export function documentCommentSuppressions(file: SourceFile, doc: ParsedDocument, byPrefix: { prefix: string; resource: Resource }[], notes: CoverageNote[]): void {
  const lines = byPrefix.length === 0 ? null : linesOf(file);
  const own = lines ? documentLines(lines, doc) : undefined;
  if (!own) return;
  const ordered = [...byPrefix].sort((a, b) => b.prefix.length - a.prefix.length);
  const { found, notes: found_notes } = commentSuppressions(
    own.text,
    doc.positions,
    (pointer) => {
      const hit = ordered.find((e) => pointer === e.prefix || pointer.startsWith(e.prefix + '/'));
      return hit ? { target: hit.resource.id, pointer: pointer.slice(hit.prefix.length) } : undefined;
    },
    file.path,
    own.firstLine,
  );
  notes.push(...found_notes);
  for (const f of found) {
    const entry = byPrefix.find((e) => e.resource.id === f.target);
    if (!entry) continue;
    (entry.resource.suppressions ??= []).push(f.suppression);
  }
}
