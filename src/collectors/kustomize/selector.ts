/**
 * Kustomize target selectors (`patches[].target`, `replacements[].targets[].select`): group,
 * version, kind, name and namespace as anchored regular expressions, and label/annotation
 * selectors. A selector matches an object by its current or its original name and namespace.
 */
import type { JsonValue } from '../../model/types.js';
import { isObject } from '../../util/json-object.js';
import { groupVersionOf, idOf, kindOf, metadataOf, type KObject } from './objects.js';
import { splitOutside } from './split-outside.js';
import { quote } from '../../util/input-text.js';

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

const FIELDS = ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const;

/** The selector written at `value`, or undefined when it is not a mapping. */
export function readSelector(value: JsonValue | undefined): Selector | undefined {
  if (!isObject(value)) return undefined;
  const out: Selector = {};
  for (const f of FIELDS) if (typeof value[f] === 'string' && value[f] !== '') out[f] = value[f];
  return out;
}

/**
 * A pattern as a regular expression, or an error. Input is hostile: a group with a quantifier
 * after it and back references can backtrack for ever, and are refused.
 */
function compile(pattern: string): RegExp | string {
  if (pattern.length > 256) return 'a selector pattern longer than 256 characters';
  if (/\)\s*[*+?{]|\\[1-9]|\(\?<?[=!]/.test(pattern)) return `the selector pattern ${quote(pattern)} (a quantified group, a back reference or a look-around)`;
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch {
    return `the selector pattern ${quote(pattern)} (not a valid regular expression)`;
  }
}

export type Matcher = ((o: KObject) => boolean) & { error?: string };

export function matcher(s: Selector): Matcher {
  const res: Partial<Record<'group' | 'version' | 'kind' | 'name' | 'namespace', RegExp>> = {};
  let error: string | undefined;
  for (const f of ['group', 'version', 'kind', 'name', 'namespace'] as const) {
    const p = s[f];
    if (p === undefined) continue;
    const re = compile(p);
    if (typeof re === 'string') error ??= re;
    else res[f] = re;
  }
  const labels = s.labelSelector !== undefined ? parseLabelSelector(s.labelSelector) : undefined;
  const annotations = s.annotationSelector !== undefined ? parseLabelSelector(s.annotationSelector) : undefined;
  if (typeof labels === 'string') error ??= labels;
  if (typeof annotations === 'string') error ??= annotations;
  const fn = ((o: KObject): boolean => {
    if (error) return false;
    const gv = groupVersionOf(o);
    if (res.group && !res.group.test(gv.group)) return false;
    if (res.version && !res.version.test(gv.version)) return false;
    if (res.kind && !res.kind.test(kindOf(o))) return false;
    const ids = [idOf(o), o.previous[0] ?? idOf(o)];
    if (res.name && !ids.some((id) => res.name!.test(id.name))) return false;
    if (res.namespace && !ids.some((id) => res.namespace!.test(id.namespace ?? 'default'))) return false;
    if (Array.isArray(labels) && !labels.every((r) => r(stringMap(metadataOf(o)?.labels)))) return false;
    if (Array.isArray(annotations) && !annotations.every((r) => r(stringMap(metadataOf(o)?.annotations)))) return false;
    return true;
  }) as Matcher;
  if (error) fn.error = error;
  return fn;
}

function stringMap(v: JsonValue | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (isObject(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out.set(k, x);
  return out;
}

type Requirement = (labels: Map<string, string>) => boolean;

/** `a=b,c!=d,e in (f,g),h notin (i),j,!k` → its requirements, or an error. */
function parseLabelSelector(text: string): Requirement[] | string {
  const out: Requirement[] = [];
  for (const raw of splitOutside(text, ',', '(', ')')) {
    const p = raw.trim();
    if (p === '') continue;
    let m: RegExpMatchArray | null;
    if ((m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^()]*)\)$/.exec(p))) {
      const [, key, op, list] = m as unknown as [string, string, string, string];
      const values = new Set(list.split(',').map((v) => v.trim()));
      out.push(op === 'in' ? (l) => l.has(key) && values.has(l.get(key)!) : (l) => !l.has(key) || !values.has(l.get(key)!));
    } else if ((m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(p))) {
      const [, key, op, value] = m as unknown as [string, string, string, string];
      out.push(op === '!=' ? (l) => l.get(key) !== value : (l) => l.get(key) === value);
    } else if ((m = /^!\s*([^\s!=(),]+)$/.exec(p))) {
      const key = m[1]!;
      out.push((l) => !l.has(key));
    } else if (/^[^\s!=(),]+$/.test(p)) out.push((l) => l.has(p));
    else return `the label selector ${quote(text)}`;
  }
  return out;
}
