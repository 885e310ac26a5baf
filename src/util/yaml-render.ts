/**
 * Renders a live object as block YAML and records where each field lands, so live objects get
 * real positions in the stable per-object file (written with `--objects-dir`), without parsing
 * the text back.
 */
import type { JsonValue, Position, PositionMap } from '../model/types.js';
import { escapeToken } from '../util/pointer.js';

export interface RenderedYaml {
  text: string;
  positions: PositionMap;
}

export interface RenderOptions {
  /** Record positions only down to this many pointer segments (bounded memory on large clusters). */
  maxPointerDepth?: number;
}

const RESERVED_KEY = /^(true|false|yes|no|on|off|null|y|n|~)$/i;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_.\-/]*$/;

function renderKey(key: string): string {
  return PLAIN_KEY.test(key) && !RESERVED_KEY.test(key) ? key : JSON.stringify(key);
}

function renderScalar(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function isContainer(value: JsonValue): value is JsonValue[] | { [key: string]: JsonValue } {
  return typeof value === 'object' && value !== null && (Array.isArray(value) ? value.length > 0 : Object.keys(value).length > 0);
}

export function renderYamlWithPositions(body: JsonValue, options: RenderOptions = {}): RenderedYaml {
  const maxDepth = options.maxPointerDepth ?? Number.POSITIVE_INFINITY;
  const lines: string[] = [];
  const positions: PositionMap = Object.create(null) as PositionMap;

  const record = (pointer: string, depth: number, line: number, column: number): void => {
    if (depth > maxDepth) return;
    const endLine = lines.length;
    const last = lines[endLine - 1] ?? '';
    const pos: Position = { line, column, endLine, endColumn: last.length + 1 };
    positions[pointer] = pos;
  };

  // `prefix` is what goes before the first entry on the current line ("- " of a sequence item).
  const emit = (value: JsonValue, pointer: string, depth: number, indent: number, prefix: string | undefined): void => {
    if (Array.isArray(value)) {
      value.forEach((item, i) => {
        const head = prefix !== undefined && i === 0 ? prefix : ' '.repeat(indent);
        const child = `${pointer}/${i}`;
        const line = lines.length + 1;
        if (isContainer(item)) {
          emit(item, child, depth + 1, indent + 2, `${head}- `);
        } else {
          lines.push(`${head}- ${renderScalar(item)}`);
        }
        record(child, depth + 1, line, head.length + 3);
      });
      return;
    }
    const obj = value as { [key: string]: JsonValue };
    Object.keys(obj).forEach((key, i) => {
      const head = prefix !== undefined && i === 0 ? prefix : ' '.repeat(indent);
      const child = `${pointer}/${escapeToken(key)}`;
      const item = obj[key]!;
      const line = lines.length + 1;
      if (isContainer(item)) {
        lines.push(`${head}${renderKey(key)}:`);
        emit(item, child, depth + 1, Array.isArray(item) ? indent : indent + 2, undefined);
      } else {
        lines.push(`${head}${renderKey(key)}: ${renderScalar(item)}`);
      }
      record(child, depth + 1, line, head.length + 1);
    });
  };

  if (isContainer(body)) emit(body, '', 0, 0, undefined);
  else lines.push(renderScalar(body));
  record('', 0, 1, 1);
  return { text: lines.join('\n') + '\n', positions };
}
