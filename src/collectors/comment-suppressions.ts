/**
 * In-source suppressions written as comments: `# podtrust:ignore <rule-id> <reason>` on the
 * line(s) directly before a YAML mapping key or sequence item covers that element and all of it.
 */
import type { CoverageNote, InSourceSuppression, Position, PositionMap } from '../model/types.js';

/** Which resource (by any key the caller chooses) and which pointer of its body a document pointer belongs to. */
export interface SuppressionTarget {
  target: string;
  pointer: string;
}

export interface FoundSuppression {
  target: string;
  suppression: InSourceSuppression;
}

const COMMENT = /^(\s*)(?:#|\/\/)\s*podtrust:ignore\b(.*)$/;
const RULE_ID = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * Finds suppression comments in `text` and attaches each to the element that starts on the
 * next non-comment line. `mapPointer` translates a document pointer into the resource and body
 * pointer it belongs to (undefined: not part of any resource). `firstLine` is the file line
 * `text` starts at (positions are the file's).
 */
export function commentSuppressions(
  text: string,
  positions: PositionMap,
  mapPointer: (docPointer: string) => SuppressionTarget | undefined,
  file?: string,
  firstLine = 1,
): { found: FoundSuppression[]; notes: CoverageNote[] } {
  const found: FoundSuppression[] = [];
  const notes: CoverageNote[] = [];
  if (!text.includes('podtrust:ignore')) return { found, notes };
  const lines = text.split(/\r?\n/);
  const startsByLine = new Map<number, { pointer: string; column: number }>();
  for (const [pointer, p] of Object.entries(positions)) {
    const best = startsByLine.get(p.line);
    if (!best || p.column < best.column || (p.column === best.column && pointer.length < best.pointer.length)) {
      startsByLine.set(p.line, { pointer, column: p.column });
    }
  }
  lines.forEach((line, i) => {
    const m = COMMENT.exec(line);
    if (!m) return;
    const lineNo = i + firstLine;
    const position: Position = { line: lineNo, column: m[1]!.length + 1, endLine: lineNo, endColumn: line.length + 1 };
    const warn = (message: string) => notes.push({ kind: 'skipped', level: 'warning', message, ...(file ? { file } : {}), line: lineNo, column: position.column });
    const rest = m[2]!.trim();
    const space = rest.search(/\s/);
    const ruleId = space < 0 ? rest : rest.slice(0, space);
    const justification = space < 0 ? '' : rest.slice(space).trim();
    if (!RULE_ID.test(ruleId)) return warn(`podtrust:ignore needs a rule id and a reason: "# podtrust:ignore <rule-id> <reason>"`);
    if (!justification) return warn(`podtrust:ignore ${ruleId} has no reason; a reason is required, the suppression is ignored`);
    let next = i + 1;
    while (next < lines.length && /^\s*(#|\/\/)/.test(lines[next]!)) next++;
    const start = startsByLine.get(next + firstLine);
    const target = start ? mapPointer(start.pointer) : undefined;
    if (!target) return warn(`podtrust:ignore ${ruleId} is not followed by an element it can apply to`);
    found.push({ target: target.target, suppression: { ruleId, justification, pointer: target.pointer, position } });
  });
  return { found, notes };
}
