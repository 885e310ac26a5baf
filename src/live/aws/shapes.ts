/**
 * AWS API answers → the canonical shapes the IaC collectors produce (see `ResourceType` in
 * src/model/types.ts). IAM returns policy documents URL-encoded; they are decoded here.
 */
import type { JsonValue } from '../../model/types.js';
import { plain } from '../cloud.js';
import { DEFAULT_LIMITS } from '../../util/structured.js';
import { NestingTooDeep, parseJsonWithin } from '../../util/nesting.js';

export type Decoded = { ok: true; value: JsonValue } | { ok: false; reason: string };

/** A policy document as IAM returns it: URL-encoded JSON text (or already an object). */
export function decodePolicyDocument(raw: unknown): Decoded {
  if (raw !== null && typeof raw === 'object') return { ok: true, value: plain(raw) };
  if (typeof raw !== 'string') return { ok: false, reason: 'missing' };
  let text = raw;
  if (!/^\s*[{[]/.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return { ok: false, reason: 'not valid URL-encoded text' };
    }
  }
  try {
    return { ok: true, value: parseJsonWithin(text, DEFAULT_LIMITS.maxDepth) as JsonValue };
  } catch (e) {
    return { ok: false, reason: e instanceof NestingTooDeep ? `nested deeper than ${DEFAULT_LIMITS.maxDepth} levels` : 'not valid JSON' };
  }
}

export function accountOfArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[4] !== '' ? parts[4] : undefined;
}
