/** What credential scanning records: the kind of credential and where it is, never any part of a secret. */
import type { CredentialKind } from '../model/types.js';

/** One credential found in one value. */
export interface Detection {
  kind: CredentialKind;
  /** First 4 characters of an identifier that is not secret (access key id, client id). */
  idPrefix?: string;
  /** How it was recognised (`access key id`, `shared credentials file`, ...); never a value. */
  form: string;
}

/** What every redacted value is replaced with. */
export const REDACTED = '<redacted>';
