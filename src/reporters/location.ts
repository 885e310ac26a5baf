import type { Location, Position } from '../model/types.js';

/** The file a location points into: a position in another file (a module caller) wins. */
export function locationFile(location: Location): string {
  return location.position?.file ?? location.file;
}

export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

function atLeast(min: number, value: number): number {
  return Number.isFinite(value) ? Math.max(min, Math.trunc(value)) : min;
}

/** A 1-based region that every consumer accepts: the end never precedes the start and is never empty. */
export function clampRegion(position: Position): Region {
  const startLine = atLeast(1, position.line);
  const startColumn = atLeast(1, position.column);
  const endLine = atLeast(startLine, position.endLine);
  const endColumn = endLine === startLine ? atLeast(startColumn + 1, position.endColumn) : atLeast(1, position.endColumn);
  return { startLine, startColumn, endLine, endColumn };
}
