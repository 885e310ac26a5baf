/**
 * Collectors build parsed values without a prototype (see util/bare-object.ts), so a key from the
 * input such as `constructor` or `toString` is only data. Structured clone, which carries a
 * worker's result to the main thread, gives every object it rebuilds `Object.prototype`: without
 * this, what a lookup by an input's key finds would depend on the thread that collected it, which
 * the input's size chooses. The worker lists which of its objects have no prototype; the main
 * thread walks what arrived in the same order and removes theirs, so each object gets back the
 * prototype it was built with.
 *
 * Both walks visit the same objects in the same order: structured clone keeps each object's own
 * enumerable keys in order, and an object reached twice (a value shared by two resources) once.
 */

/** Which objects of a value have no prototype, in walk order. */
export interface BareObjects {
  indices: Int32Array<ArrayBuffer>;
  /** Whether some object is reached twice: only then does the receiving walk pay for remembering what it saw. */
  shared: boolean;
}

export function bareObjectsOf(value: unknown): BareObjects {
  const bare: number[] = [];
  const shared = walk(value, true, (o, index) => {
    if (Object.getPrototypeOf(o) === null) bare.push(index);
  });
  return { indices: Int32Array.from(bare), shared };
}

/** Removes the prototype of the objects `bare` lists (from {@link bareObjectsOf} on the value before it was cloned). */
export function restoreBareObjects(value: unknown, bare: BareObjects): void {
  const { indices } = bare;
  let next = 0;
  walk(value, bare.shared, (o, index) => {
    if (indices[next] !== index) return;
    Object.setPrototypeOf(o, null);
    next++;
  });
}

/**
 * Calls `visit` on every object that is not an array, with its index in walk order; once each
 * when `once` (else a tree is assumed). Returns whether some object was reached twice.
 */
function walk(value: unknown, once: boolean, visit: (o: object, index: number) => void): boolean {
  const seen = once ? new Set<object>() : undefined;
  const stack: unknown[] = [value];
  let index = 0;
  let again = false;
  // A stack rather than recursion: nesting is bounded by the parsers' limits, not by the call stack.
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object') continue;
    if (seen) {
      if (seen.has(v)) {
        again = true;
        continue;
      }
      seen.add(v);
    }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]);
      continue;
    }
    visit(v, index++);
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    for (let i = keys.length - 1; i >= 0; i--) stack.push(o[keys[i]!]);
  }
  return again;
}
