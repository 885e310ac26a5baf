/** Saving and loading inventories: versioned, schema-validated JSON without secret values. */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import type { Inventory } from '../model/types.js';
import { inventorySchema } from '../model/inventory-schema.js';
import { PodtrustError } from '../errors.js';
import { parseJson } from '../util/structured.js';
import { jsonText } from '../reporters/json-text.js';

let validate: ReturnType<Ajv['compile']> | undefined;

export function validateInventory(data: unknown): string[] {
  validate ??= new Ajv({ allErrors: false, strict: false }).compile(inventorySchema);
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
}

/** Stable key order and two-space indentation, so the same inventory gives the same bytes. */
export function renderInventory(inventory: Inventory): string {
  return jsonText(inventory) + '\n';
}

export function loadInventory(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new PodtrustError('usage', `--inventory ${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const parsed = parseJson(text);
  if (parsed.errors.length > 0 || !parsed.documents[0]) {
    const e = parsed.errors[0];
    throw new PodtrustError('input', `${file}:${e?.line ?? 1}: ${e?.message ?? 'empty inventory'}`);
  }
  const data = parsed.documents[0].value;
  const errors = validateInventory(JSON.parse(JSON.stringify(data)));
  if (errors.length > 0) throw new PodtrustError('input', `${file}: not a podtrust inventory (version 1): ${errors.slice(0, 3).join('; ')}`);
  return data as unknown as Inventory;
}
