import { hash } from 'node:crypto';

/** Names the fingerprint scheme in SARIF `partialFingerprints`; baselines read it back under the same key. */
export const FINGERPRINT_KEY = 'podtrust/v1';

/**
 * A finding's identity across runs: rule, resource and pointer (plus a rule-chosen key),
 * never line numbers or values, so it survives moved lines and reformatting.
 */
export function fingerprint(ruleId: string, resourceId: string, pointer: string, key = ''): string {
  return hash('sha256', `${ruleId}\u0000${resourceId}\u0000${pointer}\u0000${key}`, 'hex').slice(0, 32);
}
