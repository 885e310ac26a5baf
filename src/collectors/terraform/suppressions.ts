/** `# podtrust:ignore <rule-id> <reason>` (or `//`) on the line before a block or attribute. */
import type { CoverageNote, InSourceSuppression, PositionMap } from '../../model/types.js';

const COMMENT = /^\s*(?:#|\/\/)\s*podtrust:ignore\s+(\S+)(?:\s+(.*\S))?\s*$/;

export interface SuppressionComment {
  ruleId: string;
  reason?: string;
  line: number;
  column: number;
}

/** Suppression comments of a file by line. */
export function suppressionComments(text: string): Map<number, SuppressionComment> {
  const out = new Map<number, SuppressionComment>();
  if (!text.includes('podtrust:ignore')) return out;
  text.split('\n').forEach((line, i) => {
    const m = COMMENT.exec(line);
    if (m) out.set(i + 1, { ruleId: m[1]!, reason: m[2], line: i + 1, column: line.search(/\S/) + 1 });
  });
  return out;
}

/** Suppressions for every mapped element whose first line follows a suppression comment. */
export function suppressionsFor(file: string, positions: PositionMap, comments: Map<number, SuppressionComment>, notes: CoverageNote[], reported: Set<string>): InSourceSuppression[] {
  const out: InSourceSuppression[] = [];
  if (comments.size === 0) return out;
  const seen = new Set<number>();
  for (const [pointer, pos] of Object.entries(positions).sort((a, b) => a[0].length - b[0].length)) {
    if (pos.file !== undefined && pos.file !== file) continue;
    const c = comments.get(pos.line - 1);
    if (!c || seen.has(c.line)) continue;
    seen.add(c.line);
    if (!c.reason) {
      const key = `${file}:${c.line}`;
      if (!reported.has(key)) {
        reported.add(key);
        notes.push({ kind: 'unsupported', level: 'warning', message: `${file}:${c.line}: podtrust:ignore ${c.ruleId} has no reason and is ignored`, file, line: c.line, column: c.column });
      }
      continue;
    }
    out.push({ ruleId: c.ruleId, justification: c.reason, pointer, position: { line: c.line, column: c.column, endLine: c.line, endColumn: c.column + 1 } });
  }
  return out;
}
