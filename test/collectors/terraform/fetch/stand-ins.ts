/** Module stand-ins the registry tests serve, and the callers that use them. */

/** An IRSA-role module stand-in; the role name says which version was evaluated. */
export function irsaModule(version: string, operator: string): string {
  return `
variable "role_name" { type = string }
variable "oidc_provider_arn" { type = string }
variable "oidc_issuer" { type = string }
variable "namespace_service_accounts" { type = list(string) }

resource "aws_iam_role" "this" {
  name = "\${var.role_name}-v${version}"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = var.oidc_provider_arn }
      Condition = {
        ${operator} = { "\${var.oidc_issuer}:sub" = [for sa in var.namespace_service_accounts : "system:serviceaccount:\${sa}"] }
        StringEquals = { "\${var.oidc_issuer}:aud" = "sts.amazonaws.com" }
      }
    }]
  })
}
`;
}

export function caller(host: string, name: string, source: string, version?: string): string {
  return `
module "${name}" {
  source  = "${source.replace('HOST', host)}"
${version !== undefined ? `  version = "${version}"\n` : ''}  role_name                  = "${name}"
  oidc_provider_arn          = "arn:aws:iam::111122223333:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABC"
  oidc_issuer                = "oidc.eks.eu-west-1.amazonaws.com/id/ABC"
  namespace_service_accounts = ["team-*:app"]
}
`;
}
