/**
 * An empty object without a prototype, so keys like `__proto__` or `constructor` are ordinary data.
 * Not `Object.create(null)`: V8 keeps such an object in dictionary mode, about four times the memory
 * of a small object with the same keys (and slower to build), for as long as the inventory lives.
 * A fresh literal whose prototype is then removed stays in fast mode and shares its shape with other
 * objects of the same keys.
 */
export function bareObject<T>(): Record<string, T> {
  const o = {};
  Object.setPrototypeOf(o, null);
  return o as Record<string, T>;
}
