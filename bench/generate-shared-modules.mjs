// Deterministic generator of the Terraform shape most estates have: many small root modules
// (`live/<env>/<stack>/main.tf`) that all call the same local modules (`../../../modules/*`), five
// calls per root, each `for_each` over 5 to 20 items. The GKE workloads' Kubernetes
// ServiceAccounts are annotated with `module.gsa[k].email`, which is unknown before apply, and
// most workloads get a Workload Identity binding (in about a third of the roots one does not): the rules must join them through indexes.
// Same seed and roots → byte-identical tree. Half a megabyte of HCL expands to tens of
// thousands of module instances.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rng } from './generate-iac.mjs';

const ENVS = ['prod', 'staging', 'dev', 'test', 'sandbox'];

const MODULES = {
  gsa: `variable "name" {}
variable "project" {}

resource "google_service_account" "this" {
  account_id   = var.name
  project      = var.project
  display_name = "workload \${var.name}"
}

output "email" {
  value = google_service_account.this.email
}

output "name" {
  value = google_service_account.this.name
}
`,
  'wi-binding': `variable "service_account" {}
variable "project" {}
variable "namespace" {}
variable "ksa" {}

resource "google_service_account_iam_member" "wi" {
  service_account_id = var.service_account
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:\${var.project}.svc.id.goog[\${var.namespace}/\${var.ksa}]"
}
`,
  ksa: `variable "name" {}
variable "namespace" {}
variable "gsa_email" {}

resource "kubernetes_service_account" "this" {
  metadata {
    name      = var.name
    namespace = var.namespace
    annotations = {
      "iam.gke.io/gcp-service-account" = var.gsa_email
    }
  }
}
`,
  'project-role': `variable "project" {}
variable "member" {}
variable "role" {}

resource "google_project_iam_member" "this" {
  project = var.project
  role    = var.role
  member  = var.member
}
`,
  irsa: `variable "name" {}
variable "namespace" {}
variable "issuer" {}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/\${var.issuer}"]
    }
    condition {
      test     = "StringEquals"
      variable = "\${var.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "\${var.issuer}:sub"
      values   = ["system:serviceaccount:\${var.namespace}:\${var.name}"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = data.aws_iam_policy_document.trust.json
}
`,
};

function root(r, env, i) {
  const project = `${env}-stack-${i}`;
  const width = (min, max) => min + Math.floor(r() * (max - min + 1));
  const items = (n, prefix) => Array.from({ length: n }, (_, k) => `"${prefix}-${k}"`).join(', ');
  const workloads = width(5, 20);
  const roles = width(5, 20);
  const irsa = width(5, 20);
  return `locals {
  project   = "${project}"
  namespace = "team-${i % 17}"
  workloads = toset([${items(workloads, 'wl')}])
  bound     = toset([${items(r() < 0.3 ? workloads - 1 : workloads, 'wl')}])
  roles     = toset([${items(roles, 'roles/viewer')}])
  irsa      = toset([${items(irsa, 'svc')}])
  issuer    = "oidc.eks.eu-west-1.amazonaws.com/id/${(0x5c8f3e2a + i).toString(16).toUpperCase().padStart(32, 'B')}"
}

module "gsa" {
  source   = "../../../modules/gsa"
  for_each = local.workloads
  name     = each.key
  project  = local.project
}

module "ksa" {
  source    = "../../../modules/ksa"
  for_each  = local.workloads
  name      = each.key
  namespace = local.namespace
  gsa_email = module.gsa[each.key].email
}

module "wi" {
  source          = "../../../modules/wi-binding"
  for_each        = local.bound
  service_account = module.gsa[each.key].name
  project         = local.project
  namespace       = local.namespace
  ksa             = each.key
}

module "roles" {
  source   = "../../../modules/project-role"
  for_each = local.roles
  project  = local.project
  role     = each.key
  member   = "serviceAccount:${r() < 0.1 ? `\${local.project}.svc.id.goog[\${local.namespace}/wl-0]` : 'ci@ops.iam.gserviceaccount.com'}"
}

module "irsa" {
  source    = "../../../modules/irsa"
  for_each  = local.irsa
  name      = each.key
  namespace = ${r() < 0.1 ? '"*"' : 'local.namespace'}
  issuer    = local.issuer
}
`;
}

/** Writes `roots` root modules under `dir` (emptied first). Returns counts for the report. */
export function generateSharedModules(dir, roots, seed) {
  rmSync(dir, { recursive: true, force: true });
  const r = rng(seed);
  let bytes = 0;
  let files = 0;
  const write = (path, text) => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
    files++;
  };
  for (const [name, text] of Object.entries(MODULES)) write(join(dir, 'modules', name, 'main.tf'), text);
  for (let i = 0; i < roots; i++) {
    const env = ENVS[i % ENVS.length];
    write(join(dir, 'live', env, `stack-${String(i).padStart(4, '0')}`, 'main.tf'), root(r, env, i));
  }
  return { roots, files, bytes };
}
