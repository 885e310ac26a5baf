// Deterministic generator of the YAML a repository holds, for the YAML parse benchmark and as
// seeds of the YAML differential test: Helm-rendered multi-document streams, hand-written
// Kubernetes manifests (workloads, ConfigMaps with embedded files, RBAC, a `kubectl get -o yaml`
// List, now and then anchors and merge keys), CloudFormation templates with short-form tags.
// Same seed and count → the same files.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloudformation, manifests, rng } from './generate-iac.mjs';
import { serviceAccountYaml } from './generate-files.mjs';

const TEAMS = ['payments', 'search', 'catalog', 'identity', 'billing', 'growth', 'data', 'edge'];

function workload(r, team, i) {
  const ns = `${team}-apps`;
  const identity = [
    `    eks.amazonaws.com/role-arn: "arn:aws:iam::111122223333:role/${team}-${i}"`,
    `    iam.gke.io/gcp-service-account: ${team}-${i}@${team}-prod.iam.gserviceaccount.com`,
    `    azure.workload.identity/client-id: 6f3c${String(i).padStart(4, '0')}-1b2a-4c5d-9e8f-0a1b2c3d4e5f`,
  ][i % 3];
  return `# ${team} worker ${i}: maintained by hand, see the runbook.
apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
  labels:
    pod-security.kubernetes.io/enforce: restricted
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: worker-${i}
  namespace: ${ns}
  annotations:
${identity}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker-${i}
  namespace: ${ns}
  annotations:
    deployment.kubernetes.io/revision: "${1 + Math.floor(r() * 30)}"
spec:
  replicas: ${1 + Math.floor(r() * 5)}
  strategy:
    type: RollingUpdate
    rollingUpdate: { maxSurge: 25%, maxUnavailable: 0 }
  selector:
    matchLabels:
      app: worker-${i}
  template:
    metadata:
      labels:
        app: worker-${i}
        azure.workload.identity/use: "true"
    spec:
      serviceAccountName: worker-${i}
      securityContext:
        runAsNonRoot: true
        seccompProfile: { type: RuntimeDefault }
      initContainers:
        - name: migrate
          image: 'registry.example.com/${team}/migrate:${i}.0'
          command: ["/bin/migrate", "--wait", "30s"]
      containers:
        - name: worker
          image: registry.example.com/${team}/worker@sha256:${(0x9a3f + i).toString(16).padStart(64, '0')}
          args:
            - --queue=${team}-${i}
            - --concurrency=${2 + Math.floor(r() * 14)}
            - "--log-format=json"
          env:
            - name: DATABASE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: worker-${i}-db
                  key: password
            - name: GOMAXPROCS
              valueFrom: { resourceFieldRef: { resource: limits.cpu } }
          volumeMounts:
            - { name: token, mountPath: /var/run/secrets/tokens, readOnly: true }
      volumes:
        - name: token
          projected:
            sources:
              - serviceAccountToken:
                  path: token
                  audience: sts.amazonaws.com
                  expirationSeconds: ${r() < 0.1 ? 172800 : 3600}
      tolerations:
        - key: dedicated
          operator: Equal
          value: ${team}
          effect: NoSchedule
      nodeSelector:
        kubernetes.io/os: linux
`;
}

function configMap(r, team, i) {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${team}-${i}-config
  namespace: ${team}-apps
data:
  # The application reads this file at start.
  app.properties: |
    server.port=8080
    queue.name=${team}-${i}
    queue.visibility=${30 + Math.floor(r() * 90)}

    # retry settings
    retry.max=5
  nginx.conf: |-
    server {
      listen 8080;
      location / {
        proxy_pass http://127.0.0.1:9000;
      }
    }
  motd: >-
    Welcome to the ${team} worker.
    Do not run jobs by hand.
  quoted: "tab\\tseparated \\"and\\" escaped"
  single: 'it''s ${i}'
  empty: ""
`;
}

function rbac(r, team, i) {
  return `apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: ${team}-reader-${i}
  namespace: ${team}-apps
rules:
  - apiGroups: [""]
    resources: ["configmaps", "secrets"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: [deployments]
    verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: ${team}-reader-${i}
  namespace: ${team}-apps
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: ${team}-reader-${i}
subjects:
  - kind: ServiceAccount
    name: worker-${i}
    namespace: ${team}-apps
  - kind: Group
    name: "${team}:${r() < 0.1 ? 'everyone' : 'oncall'}"
    apiGroup: rbac.authorization.k8s.io
`;
}

function cloudformationStack(r, team, i) {
  return `AWSTemplateFormatVersion: "2010-09-09"
Description: >-
  ${team} queue consumer ${i}, with its IRSA role.
Parameters:
  Environment:
    Type: String
    AllowedValues: [dev, staging, prod]
  ClusterOidcProvider:
    Type: String
Mappings:
  RetentionByEnvironment:
    dev: { Days: 1 }
    prod: { Days: ${7 + Math.floor(r() * 7)} }
Conditions:
  IsProd: !Equals [!Ref Environment, prod]
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "\${Environment}-${team}-${i}"
      MessageRetentionPeriod: !If [IsProd, 1209600, 86400]
  ConsumerRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Join ["-", [!Ref Environment, ${team}, consumer, "${i}"]]
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal:
              Federated: !Sub "arn:aws:iam::\${AWS::AccountId}:oidc-provider/\${ClusterOidcProvider}"
            Action: sts:AssumeRoleWithWebIdentity
      Policies:
        - PolicyName: consume
          PolicyDocument:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Action:
                  - sqs:ReceiveMessage
                  - sqs:DeleteMessage
                Resource: !GetAtt Queue.Arn
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      AvailabilityZone: !Select [0, !GetAZs ""]
      CidrBlock: 10.${i % 250}.0.0/24
      VpcId: !ImportValue network-vpc-id
Outputs:
  RoleArn:
    Value: !GetAtt ConsumerRole.Arn # consumed by the Helm chart
    Export:
      Name: !Sub "\${AWS::StackName}-role-arn"
`;
}

function kubectlList(r, team, i) {
  const base = i * 40;
  return `apiVersion: v1\nkind: List\nmetadata:\n  resourceVersion: ""\nitems:\n${Array.from({ length: 40 }, (_, k) => serviceAccountYaml(base + k, 4)).join('\n')}\n`;
}

/** Anchors, aliases and merge keys: legal, seen in hand-written manifests, outside the fast path. */
function withAnchors(r, team, i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${team}-cron-${i}
  labels: &labels
    app: ${team}-cron-${i}
    team: ${team}
spec:
  selector:
    matchLabels: *labels
  template:
    metadata:
      labels: *labels
    spec:
      containers:
        - &container
          name: cron
          image: registry.example.com/${team}/cron:${i}
          resources:
            limits: &limits { cpu: 200m, memory: 256Mi }
        - <<: *container
          name: sidecar
          resources:
            limits: *limits
`;
}

const KINDS = [
  ['rendered.yaml', manifests],
  ['worker-role.yaml', cloudformation],
  ['workload.yaml', workload],
  ['config.yaml', configMap],
  ['rbac.yaml', rbac],
  ['queue-stack.yaml', cloudformationStack],
];

/** `count` YAML files as { name, text }: six kinds in turn, a List every 10th stack, anchors every 25th. */
export function yamlCorpus(count, seed = 42) {
  const r = rng(seed);
  const files = [];
  for (let i = 0; files.length < count; i++) {
    const team = TEAMS[i % TEAMS.length];
    const kinds = [...KINDS];
    if (i % 10 === 9) kinds.push(['serviceaccounts.yaml', kubectlList]);
    if (i % 25 === 24) kinds.push(['cron.yaml', withAnchors]);
    for (const [name, make] of kinds) {
      if (files.length >= count) break;
      files.push({ name: `${team}/stack-${String(i).padStart(4, '0')}/${name}`, text: make(r, team, i) });
    }
  }
  return files;
}

/** Writes the corpus under dir (cleared first). */
export function generateYaml(dir, count, seed = 42) {
  rmSync(dir, { recursive: true, force: true });
  let bytes = 0;
  for (const { name, text } of yamlCorpus(count, seed)) {
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    bytes += Buffer.byteLength(text);
  }
  return { files: count, bytes };
}
