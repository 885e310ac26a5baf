/**
 * Collected bodies hold strings cut from the files they were parsed from. V8 keeps a long cut as
 * a slice of the whole text, so one kept value holds its file's text alive, and a value that
 * repeats across resources (an ARN, an action, an image) is held once per resource. A result that
 * crosses from a worker is copied by structured clone and loses the slices, not the repeats; what
 * the main thread collects kept both. Storing a string as a property key makes V8 keep one
 * internalized, flat copy of it: the bodies the main thread collects point at that copy instead.
 */
import type { Resource } from '../model/types.js';

/** V8 cuts shorter strings by copying them (`SlicedString::kMinLength`). */
const SLICED_MIN_LENGTH = 13;

/**
 * V8 hashes a longer string by its length alone (`String::kMaxHashCalcLength`): all such strings
 * of one length collide in its string table, and interning n of them compares each with the
 * others, text and all (2,000 strings of 20,000 characters took 7 s). They are left as they are.
 */
const HASHED_MAX_LENGTH = 16_383;

/** One holder for every call: a fresh object per string would be garbage as large as what is saved. */
const holder: Record<string, 0> = Object.create(null) as Record<string, 0>;

function worthInterning(s: string): boolean {
  return s.length >= SLICED_MIN_LENGTH && s.length <= HASHED_MAX_LENGTH;
}

function internalized(s: string): string {
  holder[s] = 0;
  let out = s;
  // The key read back has the same text; an array index comes back as its canonical spelling, which is the same too.
  for (const key in holder) if (key === s) out = key;
  delete holder[s];
  return out;
}

/** Replaces each long string of the resources' bodies (up to {@link HASHED_MAX_LENGTH}) with its internalized copy (the same text). */
export function internBodyStrings(resources: readonly Resource[]): void {
  // Most long strings repeat (an ARN, an image, an action): a repeat is found here, not through the holder.
  const canonical = new Map<string, string>();
  const intern = (s: string): string => {
    let c = canonical.get(s);
    if (c === undefined) canonical.set((c = internalized(s)), c);
    return c;
  };
  const seen = new Set<object>();
  const stack: unknown[] = [];
  for (const r of resources) stack.push(r.body);
  // A stack rather than recursion, and each object once: values shared between resources are walked once.
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || typeof v !== 'object' || seen.has(v)) continue;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x: unknown = v[i];
        if (typeof x === 'string') {
          if (worthInterning(x)) v[i] = intern(x);
        } else if (x !== null && typeof x === 'object') stack.push(x);
      }
      continue;
    }
    const o = v as Record<string, unknown>;
    // for-in reads a plain object's keys from its map's cache; Object.keys copies them out for each object.
    for (const key in o) {
      const x = o[key];
      if (typeof x === 'string') {
        if (worthInterning(x)) o[key] = intern(x);
      } else if (x !== null && typeof x === 'object') stack.push(x);
    }
  }
}
