/** Whether a matcher admits one value: linear in the patterns and the value (see wildcard.ts). */
import type { Matcher, Pattern } from './types.js';
import { wildcardMatch } from './wildcard.js';

export function patternMatches(p: Pattern, value: string): boolean {
  if (p.wildcard) return wildcardMatch(p.value, value, p.ignoreCase);
  return p.ignoreCase ? p.value.toLowerCase() === value.toLowerCase() : p.value === value;
}

/** Whether the known constraints admit the value (with `m.unknown`, a lower bound). */
export function admits(m: Matcher, value: string): boolean {
  if (m.allow !== null && !m.allow.some((p) => patternMatches(p, value))) return false;
  for (const group of m.allowAlso ?? []) if (!group.some((p) => patternMatches(p, value))) return false;
  return !m.deny.some((p) => patternMatches(p, value));
}
