/** Saving and loading inventories: versioned, schema-validated JSON without secret values. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { Inventory, JsonValue, Resource } from '../model/types.js';
import { inventorySchema } from '../model/inventory-schema.js';
import { PodtrustError } from '../errors.js';
import { createObject, parseJson } from '../util/structured.js';
import { jsonText } from '../reporters/json-text.js';
import { isUnread, lazyPositions } from '../live/lazy-positions.js';
import { renderYamlWithPositions } from '../live/yaml-render.js';

let validate: ReturnType<Ajv['compile']> | undefined;

export function validateInventory(data: unknown): string[] {
  validate ??= new Ajv({ allErrors: false, strict: false }).compile(inventorySchema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/**
 * Writes the inventory in pieces, one resource at a time: a large cluster's inventory is larger
 * than the longest string Node can hold. Stable key order and two-space indentation, so the same
 * inventory gives the same bytes.
 */
export function writeInventory(inventory: Inventory, write: (text: string) => void): void {
  const nested = (value: unknown, indent: string): string => jsonText(value).replace(/\n/g, `\n${indent}`);
  write(`{\n  "version": ${JSON.stringify(inventory.version)},\n  "resources": [`);
  inventory.resources.forEach((r, i) => write(`${i > 0 ? ',' : ''}\n    ${nested(saved(r), '    ')}`));
  write(inventory.resources.length > 0 ? '\n  ],\n' : '],\n');
  write(`  "clusters": ${nested(inventory.clusters, '  ')},\n  "notes": ${nested(inventory.notes, '  ')}\n}\n`);
}

export function renderInventory(inventory: Inventory): string {
  const parts: string[] = [];
  writeInventory(inventory, (text) => parts.push(text));
  return parts.join('');
}

/** A live object's positions follow from its body; never-read ones are left out and rebuilt on load. */
function saved(r: Resource): Resource {
  return isLiveObject(r) && isUnread(r.positions) ? { ...r, positions: {} } : r;
}

function isLiveObject(r: Resource): boolean {
  return r.format === 'live' && r.id.startsWith('k8s:live:');
}

export function loadInventory(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PodtrustError('usage', `--inventory ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    // Only to say where: positions of every value of a large inventory would cost more than the parse.
    const e = parseJson(text).errors[0];
    throw new PodtrustError('input', `${file}:${e?.line ?? 1}: ${e?.message ?? 'not JSON'}`);
  }
  if (data === null || data === undefined) throw new PodtrustError('input', `${file}:1: empty inventory`);
  const errors = validateInventory(data);
  if (errors.length > 0) throw new PodtrustError('input', `${file}: not a podtrust inventory (version 1): ${errors.slice(0, 3).join('; ')}`);
  let inventory: Inventory;
  try {
    inventory = withoutPrototypes(data as JsonValue) as unknown as Inventory;
  } catch (e) {
    if (e instanceof RangeError) throw new PodtrustError('input', `${file}: nested too deeply to load`);
    throw e;
  }
  for (const r of inventory.resources) {
    if (isLiveObject(r) && Object.keys(r.positions).length === 0) r.positions = lazyPositions(() => renderYamlWithPositions(r.body).positions);
  }
  return inventory;
}

/** Objects as the collectors make them (no prototype), so a key such as `constructor` is only data. */
function withoutPrototypes(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (value === null || typeof value !== 'object') return value;
  const out = createObject();
  for (const key of Object.keys(value)) out[key] = withoutPrototypes((value as Record<string, JsonValue>)[key]!);
  return out;
}
