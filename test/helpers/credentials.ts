/**
 * Credentials made up at run time (so no test depends on a committed value), and the check that
 * no part of them reached an output.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ENTRA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~.-';

export function pick(alphabet: string, n: number): string {
  return Array.from(randomBytes(n), (b) => alphabet[b % alphabet.length]).join('');
}

export function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

export const accessKeyId = (): string => `AKIA${pick(BASE32, 16)}`;
/** 40 base64 characters with upper and lower case letters and digits, as AWS issues them. */
export const secretAccessKey = (): string => `a${pick(BASE64, 37)}9Z`;
export const entraSecret = (): string => `${pick(ENTRA.slice(0, 62), 3)}8Q~${pick(ENTRA, 34)}`;
/** A client secret as the Azure portal made them before 2021: 32 characters, `[]@?:` among them, no `Q~`. */
export const legacyAzureSecret = (): string => `a7${pick(ENTRA.slice(0, 62) + '[]@?:=', 28)}]@`;

export function fakeCredentials() {
  const keyId = accessKeyId();
  const secretKey = secretAccessKey();
  const azureSecret = entraSecret();
  const privateKeyBody = randomBytes(96).toString('base64');
  const gcpKey = JSON.stringify({
    type: 'service_account',
    project_id: 'acme-prod',
    private_key_id: randomBytes(20).toString('hex'),
    private_key: `-----BEGIN PRIVATE KEY-----\n${privateKeyBody}\n-----END PRIVATE KEY-----\n`,
    client_email: 'exporter@acme-prod.iam.gserviceaccount.com',
    client_id: '1048573928174658392',
  });
  return { keyId, secretKey, azureSecret, privateKeyBody, gcpKey, clientId: randomUUID() };
}

/** Every 8-character window of each secret (an access key id's first 4 characters may be shown). */
export function secretWindows(...secrets: string[]): string[] {
  const windows = (s: string): string[] => Array.from({ length: s.length - 7 }, (_, i) => s.slice(i, i + 8));
  return secrets.flatMap((s) => windows(s.startsWith('AKIA') || s.startsWith('ASIA') ? s.slice(4) : s));
}

/** A text an output holds: a command's stdout or stderr, or a file it wrote. */
export interface Output {
  what: string;
  text: string;
}

/** Every file under a folder (an --objects-dir), as outputs. */
export function filesUnder(dir: string): Output[] {
  const out: Output[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesUnder(path));
    else out.push({ what: path, text: readFileSync(path, 'utf8') });
  }
  return out;
}

/** Fails naming each output that holds any of the forbidden parts. */
export function expectNoneLeaked(outputs: Output[], forbidden: string[]): void {
  expect(outputs.length).toBeGreaterThan(0);
  const leaks = outputs.flatMap((o) => forbidden.filter((p) => o.text.includes(p)).map((p) => `${o.what}: …${p}…`));
  expect(leaks, 'outputs holding part of a planted secret').toEqual([]);
}
