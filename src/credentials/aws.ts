/**
 * AWS access keys. Access key ids are `AKIA` (long-term) or `ASIA` (temporary) plus 16 base32
 * characters; secret access keys are 40 base64 characters. Keys from AWS documentation end in
 * `EXAMPLE` (`AKIAIOSFODNN7EXAMPLE`) and are not credentials.
 */

const ID_PREFIXES = ['AKIA', 'ASIA'];
const ID_LENGTH = 20;

function isBase32Upper(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 50 && c <= 55);
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** True for a string that is exactly an access key id (documentation examples excluded). */
export function isAccessKeyId(value: string): boolean {
  return value.length === ID_LENGTH && findAccessKeyIds(value).length === 1;
}

/** Access key ids anywhere in a text, in one linear pass (documentation examples excluded). */
export function findAccessKeyIds(text: string): string[] {
  const out: string[] = [];
  for (const prefix of ID_PREFIXES) {
    let from = 0;
    for (;;) {
      const i = text.indexOf(prefix, from);
      if (i < 0 || i + ID_LENGTH > text.length) break;
      from = i + 1;
      if (i > 0 && isAlnum(text.charCodeAt(i - 1))) continue;
      if (i + ID_LENGTH < text.length && isAlnum(text.charCodeAt(i + ID_LENGTH))) continue;
      let ok = true;
      for (let k = i + prefix.length; k < i + ID_LENGTH; k++) if (!isBase32Upper(text.charCodeAt(k))) ok = false;
      if (!ok) continue;
      const id = text.slice(i, i + ID_LENGTH);
      if (!id.endsWith('EXAMPLE')) out.push(id);
    }
  }
  return out;
}

/** True for a plausible secret access key: 40 base64 characters, mixed, not a documentation example. */
export function isSecretAccessKey(value: string): boolean {
  const v = value.trim();
  if (v.length !== 40 || v.includes('EXAMPLE')) return false;
  let upper = 0;
  let lower = 0;
  let digit = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
    else if (c >= 48 && c <= 57) digit++;
    else if (c !== 43 && c !== 47) return false;
  }
  return upper > 0 && lower > 0 && digit > 0;
}

/** Normalised key names (lowercase letters and digits only) that hold an access key id. */
export function namesAccessKeyId(normalized: string): boolean {
  return normalized.endsWith('accesskeyid') || normalized === 'awsaccesskey';
}

/** Normalised key names that hold a secret access key. */
export function namesSecretAccessKey(normalized: string): boolean {
  return normalized.endsWith('secretaccesskey') || normalized === 'awssecretkey' || normalized === 'awssecret';
}
