/**
 * PEM private keys (`-----BEGIN [RSA |EC |OPENSSH |ENCRYPTED ]PRIVATE KEY-----`), in clear or
 * base64-encoded as a kubeconfig's `client-key-data` holds them.
 */

/** `-----BEGIN` encoded at the start of a base64 text. */
const BASE64_BEGIN = 'LS0tLS1CRUdJTi';
/** Base64 characters enough to decode the longest header (`-----BEGIN ENCRYPTED PRIVATE KEY-----`). */
const HEADER_CHARS = 64;

/** How the text holds a private key: `'pem'`, `'base64'`, or undefined for none. */
export function privateKeyIn(text: string): 'pem' | 'base64' | undefined {
  const pem = text.indexOf('PRIVATE KEY-----');
  if (pem >= 0 && text.lastIndexOf('-----BEGIN', pem) >= 0) return 'pem';
  for (let from = 0; ; ) {
    const i = text.indexOf(BASE64_BEGIN, from);
    if (i < 0) return undefined;
    from = i + BASE64_BEGIN.length;
    if (Buffer.from(text.slice(i, i + HEADER_CHARS), 'base64').toString('latin1').includes('PRIVATE KEY-----')) return 'base64';
  }
}
