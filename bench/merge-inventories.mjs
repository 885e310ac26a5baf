// What merging shards costs next to reading them: writes SHARDS inventories of RESOURCES live
// ServiceAccounts each (generated, deterministic), then times, in this one process, loading them
// all and loading plus merging them into one inventory (collectInventory, no rules). Never part of
// `npm test`; needs build/bench.js (`node scripts/build.mjs`).
//   node bench/merge-inventories.mjs [SHARDS=100] [RESOURCES=2000]
import { mkdtempSync, openSync, writeSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const shards = Number(process.argv[2] ?? 100);
const perShard = Number(process.argv[3] ?? 2000);
const api = await import(new URL('../build/bench.js', import.meta.url).href);
const dir = mkdtempSync(join(tmpdir(), 'podtrust-merge-bench-'));

function serviceAccount(shard, i) {
  const context = `cluster-${shard}`;
  const namespace = `team-${i % 50}`;
  const name = `app-${i}`;
  return {
    id: `k8s:live:${context}:ServiceAccount/${namespace}/${name}`,
    type: 'k8s.ServiceAccount',
    name: `${namespace}/${name}`,
    file: `k8s/${context}/${namespace}/ServiceAccount/${name}.yaml`,
    format: 'live',
    cluster: context,
    body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace, annotations: { 'eks.amazonaws.com/role-arn': `arn:aws:iam::111122223333:role/app-${i % 200}` } } },
    positions: {},
  };
}

const targets = Array.from({ length: shards }, (_, s) => `k8s:cluster-${s}`).sort();
const files = [];
let bytes = 0;
for (let s = 0; s < shards; s++) {
  const inventory = {
    version: 2,
    resources: Array.from({ length: perShard }, (_, i) => serviceAccount(s, i)),
    clusters: [{ name: `cluster-${s}`, issuer: `https://oidc.eks.eu-west-1.amazonaws.com/id/${String(s).padStart(32, '0')}` }],
    notes: [],
    fleet: { shard: { index: s, count: shards }, targets, covered: [targets[s]] },
  };
  const file = join(dir, `shard-${s}.json`);
  const fd = openSync(file, 'w');
  api.writeInventory(inventory, (text) => {
    bytes += Buffer.byteLength(text);
    writeSync(fd, text);
  });
  closeSync(fd);
  files.push(file);
}

const t0 = performance.now();
const loaded = files.map((f) => api.loadInventory(f));
const loadMs = performance.now() - t0;
const merged = await api.collectInventory({ paths: [], root: dir, inventories: loaded });
const totalMs = performance.now() - t0;
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ shards, resourcesPerShard: perShard, megabytes: +(bytes / 1024 / 1024).toFixed(1), resources: merged.resources.length, gapNotes: merged.notes.filter((n) => n.message.startsWith('fleet:')).length, loadMs: Math.round(loadMs), mergeMs: Math.round(totalMs - loadMs), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
