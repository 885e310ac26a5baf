/**
 * The live part of `npm run bench` (run through bench/vitest.config.ts, never `npm test`): a
 * generated cluster served by the loopback Kubernetes API server and an AWS account served by the
 * loopback IAM server, collected by the built bundle in a child process (so its peak RSS is the
 * collector's own). Writes one JSON result per size to .bench-data/live-<size>.json.
 */
import { test } from 'vitest';
import { runChild } from './run-child.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startCluster, writeKubeconfig, type GeneratedItems } from '../test/live/k8s-server.js';
import { startAwsFake, type FakeAccount, type FakeRole } from '../test/live/aws-server.js';

type Obj = Record<string, unknown>;

const REPO = join(import.meta.dirname, '..');
const CONTEXT = 'bench-prod';
const REGION = 'eu-west-1';
const ACCOUNT = '111122223333';
const ISSUER_HOST = 'oidc.eks.eu-west-1.amazonaws.com/id/5C8F3E2A9B7D4C1E8F6A0B3D2E1C4F7A';
const ISSUER = `https://${ISSUER_HOST}`;
const K8S_PAGE = 500;
const IAM_PAGE = 1000;

/** The large size from the issue; small and medium are 1/16 and 1/4 of it for the linearity check. */
const LARGE = { pods: 150_000, serviceAccounts: 30_000, secrets: 20_000, configMaps: 20_000, namespaces: 1_000, nodes: 500, roles: 5_000 };
const SIZES: Record<string, number> = { small: 1 / 16, medium: 1 / 4, large: 1 };

type Counts = typeof LARGE;

function scaled(f: number): Counts {
  const out = {} as Counts;
  for (const [k, v] of Object.entries(LARGE)) out[k as keyof Counts] = Math.max(1, Math.round(v * f));
  return out;
}

const ns = (c: Counts, i: number): string => `team-${String(i % c.namespaces).padStart(4, '0')}`;
const saName = (c: Counts, i: number): string => (i < c.namespaces ? 'default' : `svc-${Math.floor(i / c.namespaces)}`);
const roleName = (i: number): string => `irsa-${String(i).padStart(5, '0')}`;

/** Every sixth non-default ServiceAccount carries an IRSA role; a few default ones do too (a problem). */
function roleOfServiceAccount(c: Counts, i: number): number | undefined {
  if (i < c.namespaces) return i % 97 === 0 ? i % c.roles : undefined;
  return i % 6 === 0 ? Math.floor(i / 6) % c.roles : undefined;
}

function serviceAccounts(c: Counts): GeneratedItems {
  return {
    count: c.serviceAccounts,
    make(i) {
      const role = roleOfServiceAccount(c, i);
      return {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: {
          name: saName(c, i),
          namespace: ns(c, i),
          labels: { 'app.kubernetes.io/name': saName(c, i), 'app.kubernetes.io/managed-by': 'Helm' },
          annotations: { 'meta.helm.sh/release-name': saName(c, i), ...(role !== undefined ? { 'eks.amazonaws.com/role-arn': `arn:aws:iam::${ACCOUNT}:role/${roleName(role)}` } : {}) },
        },
      };
    },
  };
}

function pods(c: Counts): GeneratedItems {
  return {
    count: c.pods,
    make(i) {
      const sa = i % c.serviceAccounts;
      const app = saName(c, sa);
      const hash = (0x5f3a1 + i * 7919).toString(36).slice(-5);
      return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${app}-7d9c6b${hash}-${(i % 1e5).toString(36)}`,
          generateName: `${app}-7d9c6b${hash}-`,
          namespace: ns(c, sa),
          labels: { 'app.kubernetes.io/name': app, 'pod-template-hash': `7d9c6b${hash}`, ...(i % 211 === 0 ? { aadpodidbinding: app } : {}) },
          annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-09-30T12:00:00Z', ...(i % 499 === 0 ? { 'iam.amazonaws.com/role': `arn:aws:iam::${ACCOUNT}:role/legacy-${i}` } : {}) },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `${app}-7d9c6b${hash}`, uid: '3b1f2a9c-0000-4000-8000-000000000001', controller: true, blockOwnerDeletion: true }],
        },
        spec: {
          volumes: [{ name: 'kube-api-access-x2k9p', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }, { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } }], defaultMode: 420 } }],
          containers: [
            {
              name: 'app',
              image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${app}:1.${i % 40}.${i % 9}`,
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              env: [{ name: 'LOG_LEVEL', value: 'info' }, { name: 'AWS_REGION', value: REGION }, { name: 'POD_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }],
              resources: { limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } },
              volumeMounts: [{ name: 'kube-api-access-x2k9p', readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' }],
              livenessProbe: { httpGet: { path: '/healthz', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
              readinessProbe: { httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
              terminationMessagePath: '/dev/termination-log',
              terminationMessagePolicy: 'File',
              imagePullPolicy: 'IfNotPresent',
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true },
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          serviceAccountName: app,
          serviceAccount: app,
          nodeName: `ip-10-0-${i % 250}-${i % 200}.eu-west-1.compute.internal`,
          securityContext: { fsGroup: 65534 },
          schedulerName: 'default-scheduler',
          tolerations: [
            { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
            { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
          ],
          priority: 0,
          enableServiceLinks: true,
          preemptionPolicy: 'PreemptLowerPriority',
        },
        status: {
          phase: 'Running',
          conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: '2026-09-30T12:00:05Z' })),
          hostIP: `10.0.${i % 250}.${i % 200}`,
          podIP: `10.1.${i % 250}.${(i * 7) % 250}`,
          startTime: '2026-09-30T12:00:00Z',
          containerStatuses: [{ name: 'app', state: { running: { startedAt: '2026-09-30T12:00:04Z' } }, lastState: {}, ready: true, restartCount: 0, image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${app}:1.${i % 40}.${i % 9}`, imageID: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/${app}@sha256:${'a1b2c3d4'.repeat(8)}`, containerID: `containerd://${'0f1e2d3c'.repeat(8)}`, started: true }],
          qosClass: 'Burstable',
        },
      };
    },
  };
}

const CA = `-----BEGIN CERTIFICATE-----\n${'MIIC/jCCAeagAwIBAgIBADANBgkqhkiG9w0BAQsFADAVMRMwEQYDVQQDEwprdWJlcm5ldGVz\n'.repeat(14)}-----END CERTIFICATE-----\n`;

function configMaps(c: Counts): GeneratedItems {
  return {
    count: c.configMaps,
    make(i) {
      const namespace = ns(c, i);
      if (i < c.namespaces) return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace }, data: { 'ca.crt': CA } };
      const leaked = i % 1_999 === 0;
      return {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `app-config-${i}`, namespace, labels: { 'app.kubernetes.io/managed-by': 'Helm' } },
        data: {
          LOG_FORMAT: 'json',
          QUEUE_URL: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${namespace}-${i}`,
          'application.yaml': `server:\n  port: 8080\nfeatures:\n  checkout-v2: true\n  search-boost: false\n`,
          ...(leaked ? { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' } : {}),
        },
      };
    },
  };
}

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function secrets(c: Counts): GeneratedItems {
  return {
    count: c.secrets,
    make(i) {
      const namespace = ns(c, i);
      if (i % 10 === 0) {
        return { apiVersion: 'v1', kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: `svc-${i}-token`, namespace, annotations: { 'kubernetes.io/service-account.name': saName(c, (i + c.namespaces) % c.serviceAccounts) } }, data: { token: b64(`eyJhbGciOiJSUzI1NiJ9.bench-${i}.sig`), 'ca.crt': b64(CA), namespace: b64(namespace) } };
      }
      if (i % 2_003 === 0) return { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: `aws-creds-${i}`, namespace }, data: { AWS_ACCESS_KEY_ID: b64('AKIAIOSFODNN7EXAMPLE'), AWS_SECRET_ACCESS_KEY: b64('wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY') } };
      return { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: { name: `app-secret-${i}`, namespace, labels: { 'app.kubernetes.io/managed-by': 'Helm' } }, data: { 'db-password': b64(`pw-${i}-${(i * 2654435761) % 1e9}`), 'db-user': b64('app') } };
    },
  };
}

function namespaces(c: Counts): GeneratedItems {
  return { count: c.namespaces, make: (i) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns(c, i), labels: { 'kubernetes.io/metadata.name': ns(c, i) } }, spec: { finalizers: ['kubernetes'] } }) };
}

function nodes(c: Counts): GeneratedItems {
  return {
    count: c.nodes,
    make: (i) => ({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: `ip-10-0-${i % 250}-${i % 200}.eu-west-1.compute.internal`, labels: { 'kubernetes.io/os': 'linux', 'eks.amazonaws.com/nodegroup': 'general' } },
      spec: { providerID: `aws:///eu-west-1a/i-0${(i + 0x1000000).toString(16)}` },
      status: { nodeInfo: { operatingSystem: 'linux', architecture: 'amd64', osImage: 'Amazon Linux 2023', kubeletVersion: 'v1.31.0-eks-a737599' }, capacity: { cpu: '4', memory: '16069356Ki', pods: '58' } },
    }),
  };
}

/** The trust each role has: the ServiceAccount annotated with it, some with a wildcard or no sub (problems). */
function roles(c: Counts): FakeRole[] {
  const out: FakeRole[] = [];
  for (let r = 0; r < c.roles; r++) {
    const sa = r * 6 + c.namespaces + ((6 - ((c.namespaces + r * 6) % 6)) % 6);
    const sub = r % 50 === 0 ? `system:serviceaccount:${ns(c, sa)}:*` : `system:serviceaccount:${ns(c, sa)}:${saName(c, sa)}`;
    const conditions: Obj = r % 173 === 0 ? { StringEquals: { [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com' } } : { [r % 50 === 0 ? 'StringLike' : 'StringEquals']: { [`${ISSUER_HOST}:sub`]: sub, [`${ISSUER_HOST}:aud`]: 'sts.amazonaws.com' } };
    out.push({
      name: roleName(r),
      trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER_HOST}` }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: conditions }] },
      inline: [{ name: 'access', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::data-${r}`, `arn:aws:s3:::data-${r}/*`] }] } }],
      attached: r % 400 === 0 ? ['arn:aws:iam::aws:policy/AdministratorAccess'] : [`arn:aws:iam::${ACCOUNT}:policy/irsa-common`],
    });
  }
  out.push({ name: 'eks-nodes', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, attached: ['arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy', 'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy', 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly'], instanceProfile: 'eks-nodes' });
  return out;
}

function account(c: Counts): FakeAccount {
  return {
    account: ACCOUNT,
    roles: roles(c),
    policies: [{ name: 'irsa-common', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }] } }],
    oidcProviders: [{ url: ISSUER_HOST, clientIds: ['sts.amazonaws.com'] }],
    clusters: { [REGION]: [{ name: CONTEXT, issuer: ISSUER, nodegroups: [{ name: 'general', nodeRole: `arn:aws:iam::${ACCOUNT}:role/eks-nodes`, launchTemplate: { id: 'lt-0abcd1234efgh5678', name: 'general-nodes', version: '3' } }] }] },
    launchTemplates: [{ id: 'lt-0abcd1234efgh5678', name: 'general-nodes', version: 3, metadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1, HttpEndpoint: 'enabled' } }],
  };
}

/** The fewest calls that can read this data: list pages of 500, IAM pages of 1,000, one describe per EKS object. */
function minimumCalls(c: Counts, types: number): { kubernetes: number; aws: number } {
  const listed = { pods: c.pods, serviceaccounts: c.serviceAccounts, secrets: c.secrets, configmaps: c.configMaps, namespaces: c.namespaces, nodes: c.nodes };
  let kubernetes = 0;
  for (const n of Object.values(listed)) kubernetes += Math.max(1, Math.ceil(n / K8S_PAGE));
  kubernetes += types - Object.keys(listed).length; // the other collected types: one empty page each
  kubernetes += 3; // /api (reachability), the issuer discovery document, /apis (custom resource discovery)
  // GetCallerIdentity, the IAM pages, ListOpenIDConnectProviders + one GetOpenIDConnectProvider, ListClusters,
  // DescribeCluster, ListNodegroups, DescribeNodegroup, ListPodIdentityAssociations, DescribeLaunchTemplateVersions.
  const aws = 1 + Math.ceil((c.roles + 1) / IAM_PAGE) + 2 + 6;
  return { kubernetes, aws };
}

const only = (process.env.PODTRUST_BENCH_LIVE ?? 'small,medium,large').split(',').filter((s) => s in SIZES);
const runs = Math.max(1, Number(process.env.PODTRUST_BENCH_RUNS ?? '1'));

for (const size of only) {
  test(`live ${size}`, async () => {
    const c = scaled(SIZES[size]!);
    const cluster = await startCluster({
      issuer: ISSUER,
      generated: { pods: pods(c), serviceaccounts: serviceAccounts(c), secrets: secrets(c), configmaps: configMaps(c), namespaces: namespaces(c), nodes: nodes(c) },
    });
    const aws = await startAwsFake(account(c));
    const kubeconfig = writeKubeconfig([{ context: CONTEXT, url: cluster.url }]);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ENDPOINT_URL: aws.url,
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'bench-not-a-secret',
      AWS_REGION: REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONFIG_FILE: '/nonexistent/podtrust-bench-config',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/podtrust-bench-credentials',
    };
    delete env.AWS_PROFILE;
    delete env.AWS_SESSION_TOKEN;
    try {
      let best: Obj | undefined;
      let calls = { kubernetes: 0, aws: 0 };
      for (let n = 0; n < runs; n++) {
        const k0 = cluster.requests.length;
        const a0 = aws.requests.length;
        const result = await runChild(['live', kubeconfig, CONTEXT, REGION], env);
        const made = { kubernetes: cluster.requests.length - k0, aws: aws.requests.length - a0 };
        if (!best || (result.wallMs as number) < (best.wallMs as number)) {
          best = result;
          calls = made;
        }
      }
      const { COLLECTED_TYPES } = await import('../src/live/kubernetes/resource-types.js');
      const types = COLLECTED_TYPES.filter((t) => !t.discovered).length;
      const objects = c.pods + c.serviceAccounts + c.secrets + c.configMaps + c.namespaces + c.nodes + c.roles + 1;
      const record = { size, counts: c, objects, runs, ...best, calls, minimum: minimumCalls(c, types), awsOperations: [...new Set(aws.requests)] };
      mkdirSync(join(REPO, '.bench-data'), { recursive: true });
      writeFileSync(join(REPO, '.bench-data', `live-${size}.json`), JSON.stringify(record, null, 2));
      process.stderr.write(`live ${size}: ${JSON.stringify(record)}\n`);
      const errors = (best?.errors as string[] | undefined) ?? [];
      if (errors.length > 0) throw new Error(`the live collection was incomplete: ${errors.join('; ')}`);
    } finally {
      await cluster.close();
      await aws.close();
    }
  });
}
