import { basename } from 'node:path';
import type { CodeRule } from './rule-api.js';
import { codeRules } from './rule-index.generated.js';
import { PodtrustError } from '../errors.js';

let cache: CodeRule[] | undefined;

/** Every rule podtrust has, sorted by id. Rule ids must equal their file names and be unique. */
export function allRules(): CodeRule[] {
  if (cache) return cache;
  const ids = new Set<string>();
  for (const r of codeRules) {
    if (ids.has(r.meta.id)) throw new PodtrustError('internal', `duplicate rule id ${r.meta.id}`);
    ids.add(r.meta.id);
  }
  cache = [...codeRules].sort((a, b) => (a.meta.id < b.meta.id ? -1 : 1));
  return cache;
}

/** The file name a rule must have: its id. */
export function ruleIdOfFile(file: string): string {
  return basename(file).replace(/\.ts$/, '');
}
