/** What credential scanning records: the kind of credential and where it is, never any part of a secret. */

export type CredentialKind = 'aws-access-key' | 'azure-client-secret' | 'gcp-service-account-key';

/** One credential found in one value. */
export interface Detection {
  kind: CredentialKind;
  /** First 4 characters of an identifier that is not secret (access key id, client id). */
  idPrefix?: string;
  /** How it was recognised (`access key id`, `shared credentials file`, ...); never a value. */
  form: string;
}

/** Redacted evidence a collector stores in a resource body under {@link EVIDENCE_FIELD}. */
export interface CredentialEvidence {
  kind: CredentialKind;
  /** The key that holds it: a Secret/ConfigMap data key or an env variable name. */
  key: string;
  /** JSON pointer into the resource body of the element that holds it. */
  pointer: string;
  form: string;
  idPrefix?: string;
}

/** The podtrust-owned body field that carries {@link CredentialEvidence}[]. */
export const EVIDENCE_FIELD = 'x-podtrust-credentials';

/** What every redacted value is replaced with. */
export const REDACTED = '<redacted>';
