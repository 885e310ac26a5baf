// Deterministic generator of a realistic IaC monorepo for the benchmark: Terraform (IRSA roles
// with policy documents, OIDC providers, node groups, launch templates), Kubernetes manifests
// (multi-document, Helm-rendered), CloudFormation templates and IAM policy JSON, with problems
// sprinkled in. Same seed and size → byte-identical tree.
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n, w = 4) => String(n).padStart(w, '0');

function issuerOf(i) {
  return `oidc.eks.eu-west-1.amazonaws.com/id/${(0x5c8f3e2a + i).toString(16).toUpperCase().padStart(32, 'A')}`;
}

function terraformStack(r, team, i) {
  const wide = r() < 0.1;
  const noSub = r() < 0.05;
  const roles = [];
  for (let k = 0; k < ROLES_PER_STACK; k++) {
    const ns = `${team}-${k % 3}`;
    const sa = `svc-${k}`;
    const sub = wide && k === 0 ? 'system:serviceaccount:*:*' : `system:serviceaccount:${ns}:${sa}`;
    const test = wide && k === 0 ? 'StringLike' : 'StringEquals';
    roles.push(`
data "aws_iam_policy_document" "assume_${k}" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.eks.arn]
    }
${noSub && k === 1 ? '' : `    condition {
      test     = "${test}"
      variable = "\${local.issuer}:sub"
      values   = ["${sub}"]
    }
`}    condition {
      test     = "StringEquals"
      variable = "\${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "app_${k}" {
  name               = "${team}-${i}-app-${k}"
  assume_role_policy = data.aws_iam_policy_document.assume_${k}.json
  tags = {
    team        = "${team}"
    cost_center = "cc-${pad(i)}"
  }
}

resource "aws_iam_role_policy" "app_${k}" {
  name = "access"
  role = aws_iam_role.app_${k}.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid      = "ReadData"
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"]
        Resource = ["arn:aws:s3:::${team}-${i}-data", "arn:aws:s3:::${team}-${i}-data/*"]
      },
      {
        Sid      = "Queue"
        Effect   = "Allow"
        Action   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]
        Resource = "arn:aws:sqs:eu-west-1:111122223333:${team}-${i}-${k}"
      },
      {
        Sid      = "Secrets"
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:${team}/${i}/svc-${k}-*"
      },
    ]
  })
}

resource "aws_iam_role_policy_attachment" "app_${k}_xray" {
  role       = aws_iam_role.app_${k}.name
  policy_arn = "arn:aws:iam::aws:policy/${r() < 0.01 ? 'AdministratorAccess' : 'AWSXrayWriteOnlyAccess'}"
}
`);
  }
  return `locals {
  cluster_name = "${team}-${i}"
  issuer       = replace(aws_iam_openid_connect_provider.eks.url, "https://", "")
}

variable "subnet_ids" {
  type    = list(string)
  default = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
}

resource "aws_eks_cluster" "this" {
  name     = local.cluster_name
  role_arn = "arn:aws:iam::111122223333:role/${team}-${i}-cluster"
  vpc_config {
    subnet_ids = var.subnet_ids
  }
}

resource "aws_iam_openid_connect_provider" "eks" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"]
}

resource "aws_launch_template" "nodes" {
  name = "${team}-${i}-nodes"
  metadata_options {
    http_tokens                 = "${r() < 0.2 ? 'optional' : 'required'}"
    http_put_response_hop_limit = ${r() < 0.3 ? 2 : 1}
  }
}

resource "aws_eks_node_group" "default" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "default"
  node_role_arn   = "arn:aws:iam::111122223333:role/${team}-${i}-nodes"
  subnet_ids      = var.subnet_ids
  launch_template {
    id      = aws_launch_template.nodes.id
    version = "$Latest"
  }
  scaling_config {
    desired_size = 3
    max_size     = 6
    min_size     = 1
  }
}
${roles.join('')}${i % 2 === 0 ? gkeStack(r, team, i) : aksStack(r, team, i)}`;
}

/** A GKE cluster with a workload-identity node pool and KSA bindings on Google service accounts. */
function gkeStack(r, team, i) {
  const project = `${team}-prod-${pad(i % 97, 3)}`;
  const bindings = [];
  for (let k = 0; k < 3; k++) {
    bindings.push(`
resource "google_service_account" "svc_${k}" {
  project      = "${project}"
  account_id   = "${team}-svc-${k}"
  display_name = "${team} service ${k}"
}

resource "google_service_account_iam_member" "svc_${k}_wi" {
  service_account_id = google_service_account.svc_${k}.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${project}.svc.id.goog[${team}-${k}/svc-${k}]"
}
`);
  }
  return `
resource "google_container_cluster" "gke" {
  project  = "${project}"
  name     = "${team}-${i}-gke"
  location = "europe-west1"
  workload_identity_config {
    workload_pool = "${project}.svc.id.goog"
  }
  remove_default_node_pool = true
  initial_node_count       = 1
}

resource "google_container_node_pool" "general" {
  project  = "${project}"
  name     = "general"
  cluster  = google_container_cluster.gke.name
  location = "europe-west1"
  node_config {
    machine_type    = "e2-standard-4"
    service_account = "${team}-nodes@${project}.iam.gserviceaccount.com"
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
    workload_metadata_config {
      mode = "${r() < 0.1 ? 'GCE_METADATA' : 'GKE_METADATA'}"
    }
  }
  autoscaling {
    min_node_count = 1
    max_node_count = 5
  }
}
${bindings.join('')}`;
}

/** An AKS cluster with a user-assigned identity federated to a ServiceAccount. */
function aksStack(r, team, i) {
  const subject = `system:serviceaccount:${team}-0:svc-0`;
  const audience = r() < 0.05 ? 'api://AzureADTokenExchange/custom' : 'api://AzureADTokenExchange';
  return `
resource "azurerm_resource_group" "rg" {
  name     = "rg-${team}-${i}"
  location = "westeurope"
}

resource "azurerm_kubernetes_cluster" "aks" {
  name                      = "${team}-${i}-aks"
  location                  = azurerm_resource_group.rg.location
  resource_group_name       = azurerm_resource_group.rg.name
  dns_prefix                = "${team}${i}"
  oidc_issuer_enabled       = true
  workload_identity_enabled = true
  default_node_pool {
    name       = "system"
    node_count = 3
    vm_size    = "Standard_D4s_v5"
  }
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_user_assigned_identity" "svc" {
  name                = "id-${team}-${i}"
  location            = azurerm_resource_group.rg.location
  resource_group_name = azurerm_resource_group.rg.name
}

resource "azurerm_federated_identity_credential" "svc" {
  name                = "fic-${team}-${i}"
  resource_group_name = azurerm_resource_group.rg.name
  parent_id           = azurerm_user_assigned_identity.svc.id
  issuer              = azurerm_kubernetes_cluster.aks.oidc_issuer_url
  subject             = "${subject}"
  audience            = ["${audience}"]
}
`;
}

export function manifests(r, team, i) {
  const docs = [];
  for (let k = 0; k < MANIFESTS_PER_FILE; k++) {
    const ns = `${team}-${k % 3}`;
    const isDefault = r() < 0.03;
    docs.push(`---
# Source: ${team}/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${isDefault ? 'default' : `svc-${k}`}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: svc-${k}
    app.kubernetes.io/managed-by: Helm
  annotations:
    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/${team}-${i}-app-${r() < 0.05 ? k + 1 : k}
---
# Source: ${team}/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-${k}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: svc-${k}
spec:
  replicas: ${1 + Math.floor(r() * 4)}
  selector:
    matchLabels:
      app.kubernetes.io/name: svc-${k}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: svc-${k}
    spec:
      serviceAccountName: svc-${k}
      containers:
        - name: app
          image: registry.example.com/${team}/svc-${k}:1.${Math.floor(r() * 40)}.${Math.floor(r() * 9)}
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: AWS_REGION
              value: eu-west-1
          resources:
            requests: { cpu: 100m, memory: 128Mi }
            limits: { cpu: 500m, memory: 512Mi }
          readinessProbe:
            httpGet:
              path: /healthz
              port: 8080
            periodSeconds: 10
          volumeMounts:
            - name: config
              mountPath: /etc/svc-${k}
      volumes:
        - name: config
          configMap:
            name: svc-${k}-config
---
# Source: ${team}/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: svc-${k}
  namespace: ${ns}
  labels:
    app.kubernetes.io/name: svc-${k}
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: svc-${k}
  ports:
    - name: http
      port: 80
      targetPort: 8080
---
# Source: ${team}/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: svc-${k}-config
  namespace: ${ns}
data:
  LOG_FORMAT: json
  QUEUE_URL: https://sqs.eu-west-1.amazonaws.com/111122223333/${team}-${i}-${k}
  FEATURE_FLAGS: "checkout-v2,search-boost"
${r() < 0.01 ? '  AWS_ACCESS_KEY_ID: AKIAIOSFODNN7EXAMPLE\n  AWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' : ''}`);
  }
  return docs.join('');
}

export function cloudformation(r, team, i) {
  const issuer = issuerOf(i);
  const pattern = r() < 0.1 ? `system:serviceaccount:${team}:*` : `system:serviceaccount:${team}:worker`;
  return `AWSTemplateFormatVersion: "2010-09-09"
Description: IRSA role for ${team} worker ${i}
Parameters:
  OidcIssuer:
    Type: String
    Default: ${issuer}
Resources:
  WorkerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: ${team}-${i}-worker
      AssumeRolePolicyDocument: !Sub |
        {
          "Version": "2012-10-17",
          "Statement": [
            {
              "Effect": "Allow",
              "Principal": { "Federated": "arn:aws:iam::\${AWS::AccountId}:oidc-provider/\${OidcIssuer}" },
              "Action": "sts:AssumeRoleWithWebIdentity",
              "Condition": {
                "StringEquals": { "\${OidcIssuer}:aud": "sts.amazonaws.com" },
                "StringLike": { "\${OidcIssuer}:sub": "${pattern}" }
              }
            }
          ]
        }
      Policies:
        - PolicyName: queue
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action: [sqs:ReceiveMessage, sqs:DeleteMessage]
                Resource: !Sub arn:aws:sqs:\${AWS::Region}:\${AWS::AccountId}:${team}-${i}
`;
}

/** An `aws iam get-account-authorization-details` dump of the stack's exporter roles. */
function policyJson(r, team, i) {
  const issuer = issuerOf(i);
  const roles = [];
  for (let k = 0; k < ROLES_PER_DUMP; k++) {
    const name = `${team}-${i}-exporter-${k}`;
    const cond = r() < 0.1 ? { StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' } } : { StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: `system:serviceaccount:${team}:exporter-${k}` } };
    roles.push({
      Path: '/',
      RoleName: name,
      RoleId: `AROA${pad(i, 6)}${pad(k, 2)}EXAMPLE`,
      Arn: `arn:aws:iam::111122223333:role/${name}`,
      CreateDate: '2024-03-05T17:09:20Z',
      AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: cond }] },
      InstanceProfileList: [],
      RolePolicyList: [{ PolicyName: 'metrics', PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['cloudwatch:PutMetricData', 'cloudwatch:GetMetricData', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] } }],
      AttachedManagedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }],
      Tags: [{ Key: 'team', Value: team }, { Key: 'stack', Value: `stack-${pad(i)}` }],
      RoleLastUsed: { LastUsedDate: '2026-10-01T08:00:00Z', Region: 'eu-west-1' },
    });
  }
  return JSON.stringify({ UserDetailList: [], GroupDetailList: [], RoleDetailList: roles, Policies: [] }, null, 2) + '\n';
}

const ROLES_PER_STACK = 10;
const MANIFESTS_PER_FILE = 7;
const ROLES_PER_DUMP = 3;

export const SIZES = { small: 312, medium: 1250, large: 5000 };

/** Writes `files` files under dir (cleared first). Every stack is one folder with four files. */
export function generateIac(dir, files, seed = 42) {
  rmSync(dir, { recursive: true, force: true });
  const r = rng(seed);
  const teams = ['payments', 'search', 'catalog', 'identity', 'billing', 'growth', 'data', 'edge'];
  let written = 0;
  let bytes = 0;
  for (let i = 0; written < files; i++) {
    const team = teams[i % teams.length];
    const stack = join(dir, team, `stack-${pad(i)}`);
    mkdirSync(join(stack, 'k8s'), { recursive: true });
    const out = [
      [join(stack, 'main.tf'), terraformStack(r, team, i)],
      [join(stack, 'k8s', 'rendered.yaml'), manifests(r, team, i)],
      [join(stack, 'worker-role.yaml'), cloudformation(r, team, i)],
      [join(stack, 'exporter-role.json'), policyJson(r, team, i)],
    ];
    for (const [p, text] of out) {
      if (written >= files) break;
      writeFileSync(p, text);
      written++;
      bytes += Buffer.byteLength(text);
    }
  }
  return { files: written, bytes };
}
