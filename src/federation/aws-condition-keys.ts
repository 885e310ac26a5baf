/**
 * What IAM condition keys mean in a role trust policy: which keys STS puts in the request context
 * of an AssumeRoleWithWebIdentity call (a key that is never there makes a positive test false, so
 * the statement is dead), and which keys say who the caller is (a positive test on one narrows a
 * wildcard principal; a test on any other key does not).
 *
 * Sources:
 * - Global keys and their availability: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * - Web identity and STS keys: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif
 * - Keys of each STS action: https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html
 * - AssumeRoleWithWebIdentity is unsigned and takes a RoleSessionName, no ExternalId:
 *   https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 * - Provider-specific claims (GitHub, Google, CircleCI, OCI) as keys since January 2026:
 *   https://aws.amazon.com/about-aws/whats-new/2026/01/aws-sts-supports-validation-identity-provider-claims/
 * - A missing key: positive operators are false, negated ones true, `…IfExists` and `ForAllValues:` true:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
import type { ParsedOperator } from '../iam/policy-statements.js';
import type { ConditionUse } from './types.js';
import { hasWildcard } from './wildcard.js';

/** Whether a key is in the request context: on every request, on some, or on none. */
export type KeyPresence = 'always' | 'sometimes' | 'never';

/**
 * Global and STS keys in an AssumeRoleWithWebIdentity request. The call is anonymous (no AWS
 * credentials sign it) and no AWS service makes it on someone's behalf, so the keys that
 * describe a signed caller or a calling service are never there.
 */
const WEB_IDENTITY_KEYS: Record<string, KeyPresence> = {
  // "This key is always included in the request context."
  'aws:currenttime': 'always',
  'aws:epochtime': 'always',
  'aws:securetransport': 'always',
  'aws:requestedregion': 'always',
  'aws:useragent': 'always',
  // A required parameter of AssumeRoleWithWebIdentity.
  'sts:rolesessionname': 'always',
  // Absent when the request comes through a VPC endpoint (then aws:VpcSourceIp is there).
  'aws:sourceip': 'sometimes',
  // Only through a VPC endpoint.
  'aws:vpcsourceip': 'sometimes',
  'aws:sourcevpc': 'sometimes',
  'aws:sourcevpce': 'sometimes',
  'aws:sourcevpcarn': 'sometimes',
  // Only when the token carries session tags (the https://aws.amazon.com/tags claim) or a source identity.
  'aws:tagkeys': 'sometimes',
  'sts:transitivetagkeys': 'sometimes',
  'aws:sourceidentity': 'sometimes',
  'sts:sourceidentity': 'sometimes',
  'aws:referer': 'sometimes',
  // "included for all signed requests; anonymous requests do not include this key".
  'aws:principalarn': 'never',
  'aws:principalaccount': 'never',
  'aws:principalorgid': 'never',
  'aws:principalorgpaths': 'never',
  'aws:principalisawsservice': 'never',
  'aws:principalservicename': 'never',
  'aws:principalservicenameslist': 'never',
  // "only when the call to your resource is made directly by an AWS service principal".
  'aws:sourceaccount': 'never',
  'aws:sourcearn': 'never',
  'aws:sourceorgid': 'never',
  'aws:sourceorgpaths': 'never',
  // A parameter of AssumeRole only.
  'sts:externalid': 'never',
};

/** Key families with a tag or name after the slash. */
const WEB_IDENTITY_KEY_FAMILIES: [string, KeyPresence][] = [
  ['aws:requesttag/', 'sometimes'],
  ['aws:resourcetag/', 'sometimes'],
  // The tags of the role being assumed, listed among AssumeRoleWithWebIdentity's keys.
  ['iam:resourcetag/', 'sometimes'],
  // Tags of a signed caller.
  ['aws:principaltag/', 'never'],
];

/**
 * Whether STS puts the key of `use` in the request context of an AssumeRoleWithWebIdentity call
 * made with a token of the statement's issuer. A key that names an issuer is taken to name the
 * statement's own (a key of another issuer is an issuer mismatch, which callers report apart):
 * its `sub` and `aud` are always there, its other claims on some tokens. A key podtrust cannot
 * classify (an unresolved expression, an `aws:` or `sts:` key not listed here) is `sometimes`:
 * it never makes a statement dead.
 */
export function webIdentityKeyPresence(use: Pick<ConditionUse, 'key' | 'claim'>): KeyPresence {
  if (use.claim !== undefined) return use.claim === 'sub' || use.claim === 'aud' ? 'always' : 'sometimes';
  const key = use.key.toLowerCase();
  if (key.includes('${')) return 'sometimes';
  const colon = key.indexOf(':');
  // Every key IAM fills has a prefix: a bare `clusterID` or `sub` is in no request.
  if (colon < 0) return 'never';
  const listed = WEB_IDENTITY_KEYS[key] ?? WEB_IDENTITY_KEY_FAMILIES.find(([family]) => key.startsWith(family))?.[1];
  if (listed) return listed;
  const prefix = key.slice(0, colon);
  if (prefix === 'aws' || prefix === 'sts' || prefix.includes('.') || prefix.includes('/')) return 'sometimes';
  // Keys of other services (`s3:prefix`, `ec2:SourceInstanceARN`, `iam:PassedToService`): an
  // unsigned STS call carries none of them.
  return 'never';
}

/**
 * Keys whose value says who calls (or which account or resource a calling service acts for),
 * and where in a value the part that says it ends: a pattern with a wildcard before that point
 * admits callers of any account. `aws:PrincipalTag/*` is not among them: the caller's own account
 * sets its tags. Nor are `aws:SecureTransport`, `aws:RequestedRegion`, the MFA keys or network
 * keys: they say how the call is made, not by whom.
 */
const CALLER_KEYS: Record<string, (value: string) => number> = {
  'aws:principalaccount': wholeValue,
  'aws:principalorgid': wholeValue,
  'aws:principalorgpaths': firstPathSegment,
  'aws:principalarn': arnAccount,
  'aws:userid': uniqueIdPart,
  'aws:sourceaccount': wholeValue,
  'aws:sourcearn': arnAccount,
  'aws:sourceorgid': wholeValue,
  'aws:sourceorgpaths': firstPathSegment,
  'sts:externalid': wholeValue,
};

/** The condition keys that can narrow a wildcard principal, lower-cased, for docs and tests. */
export const CALLER_BOUNDING_KEYS: readonly string[] = Object.keys(CALLER_KEYS);

/** Operators whose values admit the callers they name: exact or pattern matches. */
const BOUNDING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

/** One test of a condition block, as written. */
export type KeyTest = ParsedOperator & { key: string; values: readonly (string | object)[] };

/**
 * Whether the test bounds who can call: a positive string or ARN operator on a caller key, every
 * value of which fixes the account or organisation. Not under a negated operator, `Null`,
 * `…IfExists` or `ForAllValues:` (a caller without the key passes those). An unresolved value
 * may name one account: it counts as bounding, so nothing is reported on a guess.
 */
export function boundsCaller(test: KeyTest): boolean {
  const identifyingEnd = CALLER_KEYS[test.key.toLowerCase()];
  if (!identifyingEnd || !BOUNDING_OPERATORS.has(test.base) || test.ifExists || test.setOperator === 'ForAllValues') return false;
  if (test.values.length === 0) return false;
  const patterns = test.base.includes('Like') || test.base.startsWith('Arn');
  return test.values.every((v) => typeof v !== 'string' || !patterns || !hasWildcard(v.slice(0, identifyingEnd(v))));
}

function wholeValue(value: string): number {
  return value.length;
}

/** `arn:partition:service:region:account:` — up to the end of the account field. */
function arnAccount(value: string): number {
  let at = -1;
  for (let field = 0; field < 5; field++) {
    at = value.indexOf(':', at + 1);
    if (at < 0) return value.length;
  }
  return at;
}

/** `o-a1b2c3/r-ab12/ou-…`: the organization id. */
function firstPathSegment(value: string): number {
  const slash = value.indexOf('/');
  return slash < 0 ? value.length : slash;
}

/** `AROAEXAMPLE:session`: the unique id of the role or user, before the session name. */
function uniqueIdPart(value: string): number {
  const colon = value.indexOf(':');
  return colon < 0 ? value.length : colon;
}
