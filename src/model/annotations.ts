/** The ServiceAccount annotations that name the cloud identity a ServiceAccount's pods obtain. */

/** AWS IRSA: the IAM role ARN. */
export const AWS_ROLE_ARN_ANNOTATION = 'eks.amazonaws.com/role-arn';
/** Azure Workload Identity: the managed identity's client id. */
export const AZURE_CLIENT_ID_ANNOTATION = 'azure.workload.identity/client-id';
/** GKE Workload Identity: the Google service account's email. */
export const GCP_SERVICE_ACCOUNT_ANNOTATION = 'iam.gke.io/gcp-service-account';

export const IDENTITY_ANNOTATIONS: readonly string[] = [AWS_ROLE_ARN_ANNOTATION, AZURE_CLIENT_ID_ANNOTATION, GCP_SERVICE_ACCOUNT_ANNOTATION];
