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
  for (let k = 0; k < 8; k++) {
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
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:GetObject", "s3:ListBucket"]
      Resource = ["arn:aws:s3:::${team}-${i}-data", "arn:aws:s3:::${team}-${i}-data/*"]
    }]
  })
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
${roles.join('')}`;
}

function manifests(r, team, i) {
  const docs = [];
  for (let k = 0; k < 6; k++) {
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
`);
  }
  return docs.join('');
}

function cloudformation(r, team, i) {
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

function policyJson(r, team, i) {
  const issuer = issuerOf(i);
  const cond = r() < 0.1 ? { StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' } } : { StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com', [`${issuer}:sub`]: `system:serviceaccount:${team}:exporter` } };
  return JSON.stringify({ Role: { RoleName: `${team}-${i}-exporter`, Arn: `arn:aws:iam::111122223333:role/${team}-${i}-exporter`, AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::111122223333:oidc-provider/${issuer}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: cond }] } } }, null, 2) + '\n';
}

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
