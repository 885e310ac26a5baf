/**
 * Azure client secrets: the `AZURE_CLIENT_SECRET` environment variable, service-principal JSON
 * (`az ad sp create-for-rbac` output with `appId`/`password`, SDK auth files with
 * `clientId`/`clientSecret`, the cloud provider's `azure.json` with `aadClientId`/`aadClientSecret`),
 * and secrets in the current Entra format (`xxx8Q~` followed by 34 characters: 40 in all) anywhere.
 */

/**
 * Characters of client secrets: the current format uses `[A-Za-z0-9_~.-]`; secrets the portal made
 * before 2021 are 32 or 44 characters that can also hold `+/=` and `[]@?:`.
 */
const SECRET_CHARS = /^[A-Za-z0-9_~.+/=@?:[\]-]+$/;

function isSecretChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 126 || c === 46 || c === 45;
}

/** True when the text contains a secret in the current Entra client-secret format. */
export function containsEntraSecret(text: string): boolean {
  let from = 0;
  for (;;) {
    const i = text.indexOf('Q~', from);
    if (i < 0) return false;
    from = i + 2;
    if (i < 4) continue;
    const d = text.charCodeAt(i - 1);
    if (d < 48 || d > 57) continue;
    let ok = true;
    for (let k = i - 4; k < i - 1; k++) if (!isSecretChar(text.charCodeAt(k))) ok = false;
    if (!ok) continue;
    let n = 0;
    while (n < 35 && i + 2 + n < text.length && isSecretChar(text.charCodeAt(i + 2 + n))) n++;
    if (n === 34) return true;
  }
}

/**
 * True for a value that can be a real client secret: long enough, one token, not a placeholder
 * or a template left unrendered.
 */
export function isPlausibleClientSecret(value: string): boolean {
  const v = value.trim();
  if (v.length < 16 || v.length > 256) return false;
  if (!SECRET_CHARS.test(v)) return false;
  const lower = v.toLowerCase();
  if (lower.includes('example') || lower.includes('changeme') || lower.includes('placeholder') || lower.includes('xxxxxxxx')) return false;
  let letters = 0;
  let digits = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) letters++;
    else if (c >= 48 && c <= 57) digits++;
  }
  return letters > 0 && digits > 0;
}

/** Normalised key names that hold an Azure client secret whatever the surrounding document. */
export function namesAzureClientSecret(normalized: string): boolean {
  return normalized.endsWith('azureclientsecret') || normalized === 'aadclientsecret' || normalized === 'armclientsecret';
}

/** Normalised key names of a client (application) id. */
export function namesAzureClientId(normalized: string): boolean {
  return normalized.endsWith('azureclientid') || normalized === 'aadclientid' || normalized === 'armclientid' || normalized === 'appid' || normalized === 'clientid';
}

/** Keys of a service-principal document: its secret and its client id. */
export const SP_SECRET_KEYS = ['clientSecret', 'password', 'aadClientSecret'];
export const SP_ID_KEYS = ['clientId', 'appId', 'aadClientId'];
export const SP_MARKER_KEYS = ['tenant', 'tenantId', 'subscriptionId', 'activeDirectoryEndpointUrl'];

/**
 * The AAD Pod Identity admin Secret (`aadpodidentity-admin-secret`, read by MIC): its `ClientSecret`
 * is a service principal's secret beside `ClientID` and `TenantID`, whatever format the secret has
 * (secrets created before 2021 have no `Q~`). The key that holds it, when the keys have that shape.
 */
export function podIdentityAdminSecretKey(keys: readonly string[]): string | undefined {
  const has = new Set(keys);
  return has.has('ClientSecret') && has.has('ClientID') && (has.has('TenantID') || has.has('SubscriptionID')) ? 'ClientSecret' : undefined;
}

/**
 * The keys of the Secret an AAD Pod Identity `AzureIdentity` names in `clientPassword`, by its type:
 * 1, a service principal with a secret (`clientSecret`); 2, one with a certificate (`certificate`,
 * the PKCS#12 file, and its `password`). Type 0, a managed identity, names no Secret.
 */
export const AZURE_IDENTITY_SECRET_KEYS: Readonly<Record<string, readonly string[]>> = { 1: ['clientSecret'], 2: ['certificate', 'password'] };
