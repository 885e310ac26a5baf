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
import { startCluster, writeKubeconfig } from '../test/live/k8s-server.js';
import { startAwsFake } from '../test/live/aws-server.js';
import { CONTEXT, LARGE, REGION, ISSUER, account, generatedCluster, scaled, type Counts } from '../test/live/generated-cluster.js';

type Obj = Record<string, unknown>;

const REPO = join(import.meta.dirname, '..');
const K8S_PAGE = 500;
const IAM_PAGE = 1000;

/**
 * Multiples of the large size (150,000 pods): small and medium for the linearity check, xlarge
 * (1,000,000 pods, every other count in proportion) for the memory bound. xlarge runs only when
 * named (`npm run bench -- live xlarge`).
 */
const SIZES: Record<string, number> = { small: 1 / 16, medium: 1 / 4, large: 1, xlarge: 1_000_000 / LARGE.pods };

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
      generated: generatedCluster(c),
      lifetimeMs: 60 * 60_000,
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
