/**
 * Terraform references whose type makes them credentials whatever their value
 * (`aws_iam_access_key.ci.secret`, `google_service_account_key.app.private_key`,
 * `azuread_application_password.app.value`).
 */
import type { Detection } from './types.js';

const CREDENTIAL_ATTRIBUTES: { resource: string; attributes: string[]; detection: Detection }[] = [
  { resource: 'aws_iam_access_key.', attributes: ['.id', '.secret'], detection: { kind: 'aws-access-key', form: 'aws_iam_access_key reference' } },
  { resource: 'google_service_account_key.', attributes: ['.private_key'], detection: { kind: 'gcp-service-account-key', form: 'google_service_account_key reference' } },
  { resource: 'azuread_application_password.', attributes: ['.value'], detection: { kind: 'azure-client-secret', form: 'azuread_application_password reference' } },
  { resource: 'azuread_service_principal_password.', attributes: ['.value'], detection: { kind: 'azure-client-secret', form: 'azuread_service_principal_password reference' } },
];

/** The credential an unresolved expression refers to, if its resource type says so. */
export function credentialOfExpression(expression: string): Detection | undefined {
  for (const c of CREDENTIAL_ATTRIBUTES) {
    const at = expression.indexOf(c.resource);
    if (at < 0) continue;
    const rest = expression.slice(at + c.resource.length);
    if (c.attributes.some((a) => rest.includes(a))) return { ...c.detection };
  }
  return undefined;
}
