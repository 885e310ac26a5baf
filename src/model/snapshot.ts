/** Saving and loading inventories: versioned, schema-validated JSON without secret values. */
import { constants } from 'node:buffer';
import { Ajv } from 'ajv';
import type { Inventory, JsonValue, Resource } from '../model/types.js';
import { inventorySchema } from '../model/inventory-schema.js';
import { PodtrustError } from '../errors.js';
import { createObject, DEFAULT_LIMITS, lineStarts, offsetToLineCol, parseJson } from '../util/structured.js';
import { jsonNestingOverflow, nestingMessage } from '../util/nesting.js';
import { jsonText } from '../reporters/json-text.js';
import { isUnread, lazyPositions } from './lazy-positions.js';
import { renderYamlWithPositions } from '../util/yaml-render.js';
import { DEFAULT_MAX_TOTAL_BYTES, readNamedFile } from '../util/input-reader.js';
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

const RESOURCES_OPEN = '  "resources": [';
const RESOURCES_CLOSE = '\n  ]';

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
  return isLiveObject(r) && isUnread(r.positions) ? { ...r, positions: {} } : r;
}

function isLiveObject(r: Resource): boolean {
  return r.format === 'live' && r.id.startsWith('k8s:live:');
}

export interface LoadOptions {
  /** `--max-depth`, for the resource bodies: a deeper inventory is refused before anything recurses into it. */
  maxDepth?: number;
  /** Longer files are read line by line (tests lower it). */
  maxText?: number;
  /** `--max-total-size`: the most one inventory file may hold. */
  maxBytes?: number;
}

/** Levels above a resource body: the inventory, its `resources` list, the resource. */
const BODY_LEVEL = 3;

/** Reads a saved inventory: a file the user named (it may lie anywhere), within the size cap. */
export function loadInventory(file: string, options: LoadOptions = {}): Inventory {
  const maxDepth = options.maxDepth ?? DEFAULT_LIMITS.maxDepth;
  const read = readNamedFile(file, options.maxBytes ?? DEFAULT_MAX_TOTAL_BYTES);
  if (!read.ok) throw new PodtrustError('usage', `--inventory ${file}: ${read.note?.message ?? 'not read'}`);
  const buf = read.bytes;
  const data = buf.length <= (options.maxText ?? constants.MAX_STRING_LENGTH) ? parseText(buf.toString('utf8'), file, maxDepth, BODY_LEVEL) : parseByLines(buf, file, maxDepth);
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
    if (isLiveObject(r) && Object.keys(r.positions).length === 0) r.positions = lazyPositions(() => renderYamlWithPositions(r.body).positions);
  }
  return inventory;
}

/** `bodyLevel`: how far below the text's root resource bodies sit (their own `--max-depth` levels come on top). */
function parseText(withBom: string, file: string, maxDepth: number, bodyLevel: number): unknown {
  const text = withBom.charCodeAt(0) === 0xfeff ? withBom.slice(1) : withBom;
  if (text.trim() === '') throw new PodtrustError('input', `${file}:1: empty inventory`);
  const over = jsonNestingOverflow(text, maxDepth + bodyLevel);
  if (over >= 0) {
    const { line } = offsetToLineCol(lineStarts(text), over);
    throw new PodtrustError('input', `${file}:${line}: a resource body: ${nestingMessage(maxDepth)}`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // A hand-edited inventory may hold comments or trailing commas; the tolerant parser, which
    // also says where a real error is, costs more and is only needed then.
    const parsed = parseJson(text, { ...DEFAULT_LIMITS, maxDepth: maxDepth + bodyLevel });
    const e = parsed.errors[0];
    if (!e && parsed.documents[0]) return parsed.documents[0].value;
    throw new PodtrustError('input', `${file}:${e?.line ?? 1}: ${e?.message ?? 'empty inventory'}`);
  }
}

/** A file too large for one string: read as writeInventory lays it out, one resource per line. */
function parseByLines(buf: Buffer, file: string, maxDepth: number): unknown {
  const tooLarge = (): never => {
    throw new PodtrustError('input', `${file}: too large to read as one text (${buf.length} bytes); inventories this large can be read only as podtrust collect writes them, one resource per line`);
  };
  const open = buf.indexOf(`\n${RESOURCES_OPEN}\n`);
  const close = buf.indexOf(`${RESOURCES_CLOSE},\n  "clusters": `, open < 0 ? 0 : open);
  if (open < 0 || close < 0) return tooLarge();
  const head = buf.toString('utf8', 0, open + 1 + RESOURCES_OPEN.length) + ']' + buf.toString('utf8', close + RESOURCES_CLOSE.length);
  const data = parseText(head, file, maxDepth, BODY_LEVEL) as { resources?: unknown[] };
  const resources: unknown[] = [];
  let at = open + RESOURCES_OPEN.length + 2;
  let line = buf.subarray(0, at).reduce((n, b) => (b === 0x0a ? n + 1 : n), 1);
  while (at < close) {
    const end = Math.min(buf.indexOf(0x0a, at) < 0 ? close : buf.indexOf(0x0a, at), close);
    let text = buf.toString('utf8', at, end).trim();
    if (text.endsWith(',')) text = text.slice(0, -1);
    const over = jsonNestingOverflow(text, maxDepth + 1);
    if (over >= 0) throw new PodtrustError('input', `${file}:${line}: a resource body: ${nestingMessage(maxDepth)}`);
    try {
      resources.push(JSON.parse(text));
    } catch {
      throw new PodtrustError('input', `${file}:${line}: not one resource per line as podtrust collect writes it`);
    }
    at = end + 1;
    line++;
  }
  data.resources = resources;
  return data;
}

/** Objects as the collectors make them (no prototype), so a key such as `constructor` is only data. */
function withoutPrototypes(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutPrototypes);
  if (value === null || typeof value !== 'object') return value;
  const out = createObject();
  for (const key of Object.keys(value)) out[key] = withoutPrototypes((value as Record<string, JsonValue>)[key]!);
  return out;
}
