/** GCP service-account key files: JSON with `"type": "service_account"` and a `private_key`. */

type Obj = Record<string, unknown>;

export function isServiceAccountKey(doc: Obj): boolean {
  return doc.type === 'service_account' && typeof doc.private_key === 'string' && doc.private_key.includes('PRIVATE KEY');
}

/** The numeric OAuth client id of the key's service account, which is not secret. */
export function serviceAccountClientId(doc: Obj): string | undefined {
  return typeof doc.client_id === 'string' ? doc.client_id : undefined;
}
