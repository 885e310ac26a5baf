/**
 * `replacements`: a value read from one object's field copied into fields of others. The copied
 * value keeps the position of the source field (where a reviewer changes it).
 */
import type { JsonObject, JsonValue, Position } from '../../model/types.js';
import { createObject } from '../../util/structured.js';
import { cloneLocated, positionAt, setChild } from './located.js';
import { isObject } from '../../util/json-object.js';
import { matcher, readSelector, type Selector } from './selector.js';
import type { KObject } from './objects.js';
import { splitOutside } from './split-outside.js';
import { quote } from '../../util/input-text.js';

export class ReplacementError extends Error {}

/** `spec.containers.[name=app].image`, `metadata.annotations.[eks.amazonaws.com/role-arn]` → its segments. */
export function fieldPathSegments(path: string): string[] {
  return splitOutside(path, '.', '[', ']').map((s) => (s.startsWith('[') && s.endsWith(']') && !s.includes('=') ? s.slice(1, -1) : s));
}

interface Found {
  container: JsonObject | JsonValue[];
  key: string | number;
}

/** The fields a path names (a `[k=v]` segment or `*` may name several); with `create`, missing mappings are made. */
function find(root: JsonObject, segments: string[], create: boolean): Found[] {
  let level: (JsonObject | JsonValue[])[] = [root];
  const out: Found[] = [];
  segments.forEach((seg, i) => {
    const last = i === segments.length - 1;
    const next: (JsonObject | JsonValue[])[] = [];
    for (const node of level) {
      const sel = /^\[([^=\]]+)=([^\]]*)\]$/.exec(seg);
      let hits: Found[] = [];
      if (Array.isArray(node)) {
        if (sel) node.forEach((item, j) => isObject(item) && String(item[sel[1]!]) === sel[2] && hits.push({ container: node, key: j }));
        else if (seg === '*') hits = node.map((_, j) => ({ container: node, key: j }));
        else if (/^\d+$/.test(seg) && Number(seg) < node.length) hits.push({ container: node, key: Number(seg) });
      } else if (seg === '*') hits = Object.keys(node).map((k) => ({ container: node, key: k }));
      else if (!sel) {
        if (!(seg in node) && create && !last) setChild(node, seg, createObject(), undefined);
        if (seg in node || (create && last)) hits.push({ container: node, key: seg });
      }
      if (last) for (const h of hits) out.push(h);
      else for (const h of hits) {
        const v = (h.container as Record<string, JsonValue>)[h.key as never];
        if (typeof v === 'object' && v !== null) next.push(v);
      }
    }
    level = next;
  });
  return out;
}

function valueAt(f: Found): JsonValue | undefined {
  return (f.container as Record<string, JsonValue>)[f.key as never];
}

function optionsOf(v: JsonValue | undefined): { delimiter?: string; index: number; create: boolean } {
  const o = isObject(v) ? v : {};
  return { ...(typeof o.delimiter === 'string' ? { delimiter: o.delimiter } : {}), index: typeof o.index === 'number' ? o.index : 0, create: o.create === true };
}

/** Runs one replacement over the objects in place. */
export function applyReplacement(objects: KObject[], replacement: JsonObject): void {
  const source = isObject(replacement.source) ? replacement.source : undefined;
  const sourceSel = readSelector(source);
  if (!source || !sourceSel) throw new ReplacementError('a replacement has no source');
  const pick = matcher(sourceSel as Selector);
  if (pick.error) throw new ReplacementError(`unsupported: ${pick.error}`);
  const sources = objects.filter(pick);
  if (sources.length !== 1) throw new ReplacementError(`the replacement source selects ${sources.length} objects, not one`);
  const path = typeof source.fieldPath === 'string' ? source.fieldPath : 'metadata.name';
  const found = find(sources[0]!.body, fieldPathSegments(path), false)[0];
  const raw = found ? valueAt(found) : undefined;
  if (raw === undefined) throw new ReplacementError(`the replacement source has no field ${quote(path)}`);
  const at: Position | undefined = positionAt(found!.container, found!.key);
  const srcOpts = optionsOf(source.options);
  let value: JsonValue = raw;
  if (srcOpts.delimiter !== undefined && typeof raw === 'string') value = raw.split(srcOpts.delimiter)[srcOpts.index] ?? '';
  const targets = Array.isArray(replacement.targets) ? replacement.targets : [];
  for (const t of targets) {
    if (!isObject(t)) continue;
    const sel = readSelector(t.select);
    if (!sel) continue;
    const select = matcher(sel);
    const rejects = (Array.isArray(t.reject) ? t.reject : []).map((r) => readSelector(r)).filter((r): r is Selector => r !== undefined).map(matcher);
    const error = select.error ?? rejects.find((r) => r.error)?.error;
    if (error) throw new ReplacementError(`unsupported: ${error}`);
    const opts = optionsOf(t.options);
    const paths = Array.isArray(t.fieldPaths) ? t.fieldPaths.filter((p): p is string => typeof p === 'string') : [];
    for (const o of objects) {
      if (!select(o) || rejects.some((r) => r(o))) continue;
      for (const p of paths) {
        for (const f of find(o.body, fieldPathSegments(p), opts.create)) {
          let next = value;
          const cur = valueAt(f);
          if (opts.delimiter !== undefined && typeof cur === 'string') {
            const parts = cur.split(opts.delimiter);
            if (opts.index >= parts.length) parts.push(String(value));
            else parts[Math.max(0, opts.index)] = String(value);
            next = parts.join(opts.delimiter);
          }
          setChild(f.container, f.key, cloneLocated(next), at);
        }
      }
    }
  }
}
