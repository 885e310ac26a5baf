/**
 * JSON 6902 patches on located values: `add`, `remove`, `replace`, `move`, `copy`, `test`. The
 * value an operation writes keeps the position of the operation's `value` in the patch file.
 */
import type { JsonObject, JsonValue, Position } from '../../model/types.js';
import { split } from '../../util/pointer.js';
import { quote } from '../../util/input-text.js';
import { cloneLocated, deleteChild, insertChild, positionAt, setChild } from './located.js';
import { isObject } from '../../util/json-object.js';

export class PatchError extends Error {}

interface Slot {
  container: JsonObject | JsonValue[];
  key: string;
}

function slotOf(root: JsonObject, path: string): Slot {
  if (path === '') throw new PatchError('a JSON patch path must not be empty here (the whole object)');
  if (!path.startsWith('/')) throw new PatchError(`${quote(path)} is not a JSON pointer`);
  const tokens = split(path);
  let cur: JsonValue = root;
  for (const t of tokens.slice(0, -1)) {
    const next: JsonValue | undefined = Array.isArray(cur) ? cur[arrayIndex(cur, t, false)] : isObject(cur) && Object.prototype.hasOwnProperty.call(cur, t) ? cur[t] : undefined;
    if (next === undefined || next === null || typeof next !== 'object') throw new PatchError(`path ${quote(path)} does not exist`);
    cur = next;
  }
  if (typeof cur !== 'object' || cur === null) throw new PatchError(`path ${quote(path)} does not exist`);
  return { container: cur, key: tokens[tokens.length - 1]! };
}

function arrayIndex(array: JsonValue[], token: string, forAdd: boolean): number {
  if (forAdd && token === '-') return array.length;
  if (!/^(0|[1-9][0-9]*)$/.test(token)) throw new PatchError(`${quote(token)} is not an array index`);
  const i = Number(token);
  if (i > array.length || (!forAdd && i === array.length)) throw new PatchError(`index ${i} is out of range`);
  return i;
}

function read(slot: Slot, path: string): { value: JsonValue; at: Position | undefined } {
  const { container, key } = slot;
  if (Array.isArray(container)) {
    const i = arrayIndex(container, key, false);
    return { value: container[i]!, at: positionAt(container, i) };
  }
  if (!Object.prototype.hasOwnProperty.call(container, key)) throw new PatchError(`path ${quote(path)} does not exist`);
  return { value: container[key]!, at: positionAt(container, key) };
}

function add(slot: Slot, value: JsonValue, at: Position | undefined): void {
  if (Array.isArray(slot.container)) insertChild(slot.container, arrayIndex(slot.container, slot.key, true), value, at);
  else setChild(slot.container, slot.key, value, at);
}

function remove(slot: Slot, path: string): void {
  read(slot, path);
  deleteChild(slot.container, Array.isArray(slot.container) ? arrayIndex(slot.container, slot.key, false) : slot.key);
}

/** Applies one patch (a list of operations, located) to `root` in place. */
export function applyJsonPatch(root: JsonObject, ops: JsonValue): void {
  if (!Array.isArray(ops)) throw new PatchError('a JSON 6902 patch is a list of operations');
  ops.forEach((op) => {
    if (!isObject(op)) throw new PatchError('a JSON 6902 operation is a mapping');
    const path = typeof op.path === 'string' ? op.path : undefined;
    if (path === undefined) throw new PatchError('a JSON 6902 operation has no path');
    const from = typeof op.from === 'string' ? op.from : undefined;
    const value = (): JsonValue => {
      if (!('value' in op)) throw new PatchError(`operation ${quote(op.op)} on ${quote(path)} has no value`);
      return cloneLocated(op.value!);
    };
    switch (op.op) {
      case 'add':
        add(slotOf(root, path), value(), positionAt(op, 'value'));
        break;
      case 'remove':
        remove(slotOf(root, path), path);
        break;
      case 'replace': {
        const slot = slotOf(root, path);
        read(slot, path);
        setChild(slot.container, Array.isArray(slot.container) ? arrayIndex(slot.container, slot.key, false) : slot.key, value(), positionAt(op, 'value'));
        break;
      }
      case 'move':
      case 'copy': {
        if (from === undefined) throw new PatchError(`operation ${op.op} on ${quote(path)} has no from`);
        const source = slotOf(root, from);
        const got = read(source, from);
        const moved = op.op === 'copy' ? cloneLocated(got.value) : got.value;
        if (op.op === 'move') remove(source, from);
        add(slotOf(root, path), moved, got.at);
        break;
      }
      case 'test': {
        const got = read(slotOf(root, path), path);
        if (JSON.stringify(got.value) !== JSON.stringify(op.value)) throw new PatchError(`test on ${quote(path)} failed`);
        break;
      }
      default:
        throw new PatchError(`unknown JSON 6902 operation ${quote(op.op)}`);
    }
  });
}
