/**
 * Where a Bicep file declares its resources, for placing what the compiled ARM template holds.
 * Bicep emits no source map by default, so this is a reading of the declarations themselves:
 * `resource <symbolic> '<type>@<version>' [existing] = …` and the brace block after it. A
 * resource is found by its symbolic name (ARM templates with `languageVersion` 2.0 key their
 * resources by it), else by its type and order among declarations of that type; a property by
 * its key, when that key is written once in the declaration's block.
 */
import type { Position } from '../../model/types.js';

export interface Declaration {
  symbolic: string;
  type: string;
  existing: boolean;
  /** 1-based lines of the declaration and of its block's end. */
  line: number;
  end: number;
  column: number;
}

export function declarations(text: string): Declaration[] {
  const lines = text.split('\n');
  const out: Declaration[] = [];
  lines.forEach((l, i) => {
    const m = /^(\s*)resource\s+([A-Za-z_]\w*)\s+'([^'@]+)(?:@[^']*)?'\s+(existing\s+)?=/.exec(l);
    if (!m) return;
    out.push({ symbolic: m[2]!, type: m[3]!, existing: m[4] !== undefined, line: i + 1, end: blockEnd(lines, i), column: m[1]!.length + 1 });
  });
  return out;
}

/** The line where the block opened on line `from` (0-based) closes; strings and comments are not counted. */
function blockEnd(lines: string[], from: number): number {
  let depth = 0;
  let opened = false;
  for (let i = from; i < lines.length; i++) {
    const code = lines[i]!.replace(/'(?:[^'\\]|\\.)*'/g, "''").replace(/\/\/.*$/, '');
    for (const ch of code) {
      if (ch === '{' || ch === '[') {
        depth++;
        opened = true;
      } else if (ch === '}' || ch === ']') depth--;
    }
    if (opened && depth <= 0) return i + 1;
  }
  return lines.length;
}

export function declarationPosition(d: Declaration, text: string): Position {
  const line = text.split('\n')[d.line - 1] ?? '';
  return { line: d.line, column: d.column, endLine: d.line, endColumn: line.length + 1 };
}

/** The line of `key:` inside the declaration's block, when it is written there exactly once. */
export function propertyPosition(d: Declaration, text: string, key: string): Position | undefined {
  if (!/^[A-Za-z_]\w*$/.test(key)) return undefined;
  const lines = text.split('\n');
  const hits: number[] = [];
  for (let i = d.line; i < d.end; i++) if (new RegExp(`^\\s*${key}\\s*:`).test(lines[i]!)) hits.push(i);
  if (hits.length !== 1) return undefined;
  const l = lines[hits[0]!]!;
  const column = l.length - l.trimStart().length + 1;
  return { line: hits[0]! + 1, column, endLine: hits[0]! + 1, endColumn: l.length + 1 };
}
