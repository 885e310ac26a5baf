/**
 * The positions at and below a pointer, without scanning the whole map for every lookup.
 *
 * Collectors copy one subtree per item out of a document's positions: each pod of a
 * `kubectl get -o yaml` List, each resource of a plan, each role of an account's
 * authorization details. Scanning the map for each item made those inputs quadratic
 * (10,000 items x 500,000 positions). A map is indexed on its first lookup: when its keys
 * are in document order (every pointer after its ancestors, each subtree one run) a subtree
 * is the run that starts at its pointer. The map must be complete by then (a parsed
 * document's positions); a map in any other order is scanned as before.
 */
import type { Position, PositionMap } from '../model/types.js';

interface Runs {
  keys: string[];
  start: Map<string, number>;
}

const indexes = new WeakMap<PositionMap, Runs | null>();

function isAncestor(a: string, pointer: string): boolean {
  return a === '' || (pointer.length > a.length && pointer.startsWith(a) && pointer[a.length] === '/');
}

/** The nearest pointer above `key` that the map holds (`''` for a top-level one), if any. */
function nearestAncestor(positions: PositionMap, key: string): string | undefined {
  for (let slash = key.lastIndexOf('/'); slash >= 0; slash = slash === 0 ? -1 : key.lastIndexOf('/', slash - 1)) {
    const ancestor = key.slice(0, slash);
    if (positions[ancestor] !== undefined) return ancestor;
  }
  return undefined;
}

/**
 * The keys with the index each subtree starts at, or null when the keys are not in document
 * order. `open` holds the chain of pointers whose subtree is still running, each the nearest
 * held ancestor of the one above it; a key must find its nearest ancestor on that chain (not
 * yet seen: it came after its descendant; no longer on it: its subtree was interrupted).
 */
function indexOf(positions: PositionMap): Runs | null {
  const keys = Object.keys(positions);
  const start = new Map<string, number>();
  const open: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const ancestor = nearestAncestor(positions, key);
    if (ancestor === undefined) open.length = 0;
    else {
      if (!start.has(ancestor)) return null;
      while (open.length > 0 && open[open.length - 1] !== ancestor) open.pop();
      if (open.length === 0) return null;
    }
    open.push(key);
    start.set(key, i);
  }
  return { keys, start };
}

/**
 * Below this many keys a map is scanned rather than indexed: one resource's positions (a
 * Terraform instance's, copied a few subtrees at a time) cost more to index than to scan.
 */
const INDEX_FROM = 64;

function fewerKeysThan(positions: PositionMap, n: number): boolean {
  let count = 0;
  for (const _ in positions) if (++count >= n) return false;
  return true;
}

/** Calls `visit` for `from` and every pointer below it, in the map's order. */
export function forEachInSubtree(positions: PositionMap, from: string, visit: (pointer: string, position: Position) => void): void {
  let runs = indexes.get(positions);
  if (runs === undefined && !fewerKeysThan(positions, INDEX_FROM)) indexes.set(positions, (runs = indexOf(positions)));
  const first = runs?.start.get(from);
  if (runs && first !== undefined) {
    const { keys } = runs;
    for (let i = first; i < keys.length && (i === first || isAncestor(from, keys[i]!)); i++) visit(keys[i]!, positions[keys[i]!]!);
    return;
  }
  for (const pointer in positions) if (pointer === from || isAncestor(from, pointer)) visit(pointer, positions[pointer]!);
}
