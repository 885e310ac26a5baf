/** Saving and loading inventories: versioned, schema-validated JSON without secret values. */
import { Ajv } from 'ajv';
import type { Inventory, JsonValue, Resource } from '../model/types.js';
import { inventorySchema } from '../model/inventory-schema.js';
import { PodtrustError } from '../errors.js';
import { createObject, DEFAULT_LIMITS } from '../util/structured.js';
import { InventoryParser, RESOURCES_CLOSE, RESOURCES_OPEN } from './inventory-parse.js';
import { jsonText } from '../reporters/json-text.js';
import { bodyPositions, lazyPositions, positionsUnread } from './lazy-positions.js';
import { DEFAULT_MAX_TOTAL_BYTES, readNamedFileChunks } from '../util/input-reader.js';
import { redactResources } from '../credentials/redact.js';

let validate: ReturnType<Ajv['compile']> | undefined;

export function validateInventory(data: unknown): string[] {
  validate ??= new Ajv({ allErrors: false, strict: false }).compile(inventorySchema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/**
 * Writes the inventory in pieces, one resource per line: a large cluster's inventory is larger
 * than the longest string Node can hold, and a file laid out this way can be loaded line by line.
 */
export function writeInventory(inventory: Inventory, write: (text: string) => void): void {
  const nested = (value: unknown, indent: string): string => jsonText(value).replace(/\n/g, `\n${indent}`);
  write(`{\n  "version": ${inventory.fleet ? 2 : 1},\n${RESOURCES_OPEN}`);
  inventory.resources.forEach((r, i) => write(`${i > 0 ? ',' : ''}\n    ${jsonText(saved(r), 0)}`));
  const fleet = inventory.fleet ? `,\n  "fleet": ${nested(inventory.fleet, '  ')}` : '';
  write(`${inventory.resources.length > 0 ? RESOURCES_CLOSE : ']'},\n  "clusters": ${nested(inventory.clusters, '  ')},\n  "notes": ${nested(inventory.notes, '  ')}${fleet}\n}\n`);
}


export function renderInventory(inventory: Inventory): string {
  const parts: string[] = [];
  writeInventory(inventory, (text) => parts.push(text));
  return parts.join('');
}

/**
 * A live object's positions follow from its body; never-read ones are left out and rebuilt on load.
 * (Other lazy maps, a worker's packed positions, are unread too until used: only a live object's
 * can be rebuilt, hence the check of both.)
 */
function saved(r: Resource): Resource {
  if (!isLiveObject(r) || !positionsUnread(r)) return r;
  // A copy that does not read them (a spread would compute them), its keys in the same order.
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(r)) out[key] = key === 'positions' ? {} : r[key as keyof Resource];
  return out as unknown as Resource;
}

function isLiveObject(r: Resource): boolean {
  return r.format === 'live' && r.id.startsWith('k8s:live:');
}

export interface LoadOptions {
  /** `--max-depth`, for the resource bodies: a deeper inventory is refused before anything recurses into it. */
  maxDepth?: number;
  /** The longest inventory not laid out as podtrust writes it that is parsed as one text (tests lower it). */
  maxText?: number;
  /** `--max-total-size`: the most one inventory file may hold. */
  maxBytes?: number;
}

/** Reads a saved inventory as it streams in: a file the user named (it may lie anywhere), within the size cap. */
export function loadInventory(file: string, options: LoadOptions = {}): Inventory {
  const parser = new InventoryParser(file, options.maxDepth ?? DEFAULT_LIMITS.maxDepth, options.maxText);
  const read = readNamedFileChunks(file, options.maxBytes ?? DEFAULT_MAX_TOTAL_BYTES, (chunk) => parser.push(chunk));
  if (!read.ok) throw new PodtrustError('usage', `--inventory ${file}: ${read.note?.message ?? 'not read'}`);
  const data = parser.end();
  if (data === null || data === undefined) throw new PodtrustError('input', `${file}:1: empty inventory`);
  const errors = validateInventory(data);
  if (errors.length > 0) throw new PodtrustError('input', `${file}: not a podtrust inventory (version 1 or 2): ${errors.slice(0, 3).join('; ')}`);
  let inventory: Inventory;
  try {
    inventory = withoutPrototypes(data as JsonValue) as unknown as Inventory;
    // An inventory written by another tool, by hand or by an older podtrust may hold what a collector
    // would have redacted: it goes through the same scan (a no-op on what podtrust collect wrote).
    redactResources(inventory.resources);
  } catch (e) {
    if (e instanceof RangeError) throw new PodtrustError('input', `${file}: nested too deeply to load`);
    throw e;
  }
  for (const r of inventory.resources) {
    if (isLiveObject(r) && Object.keys(r.positions).length === 0) r.positions = lazyPositions(bodyPositions, undefined, r.body);
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
