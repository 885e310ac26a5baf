/**
 * AWS API answers → the canonical shapes the IaC collectors produce (see `ResourceType` in
 * src/model/types.ts). IAM returns policy documents URL-encoded; they are decoded here.
 */
import { plain } from '../cloud.js';
import { decodePolicyText, type DecodedPolicy } from '../../iam/policy-statements.js';
import { DEFAULT_LIMITS } from '../../util/structured.js';

/** A policy document as IAM returns it: URL-encoded JSON text (or already an object). */
export function decodePolicyDocument(raw: unknown): DecodedPolicy {
  if (raw !== null && typeof raw === 'object') return { ok: true, value: plain(raw) };
  if (typeof raw !== 'string') return { ok: false, reason: 'missing' };
  return decodePolicyText(raw, DEFAULT_LIMITS.maxDepth);
}

export function accountOfArn(arn: unknown): string | undefined {
  if (typeof arn !== 'string') return undefined;
  const parts = arn.split(':');
  return parts.length >= 6 && parts[0] === 'arn' && parts[4] !== '' ? parts[4] : undefined;
}
