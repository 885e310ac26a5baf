// One measured run in a fresh process. Prints JSON.
//   node bench/child.mjs scan|parse|raw-parse DIR   (a scan, its own parse alone, the raw parsers alone)
//   node bench/child.mjs yaml-fast|yaml-reference DIR   (parse every .yaml file with one YAML path)
//   node bench/child.mjs live KUBECONFIG CONTEXT REGION   (AWS endpoint and credentials from the environment)
//   node bench/child.mjs fleet KUBECONFIG REGION ROLE CONCURRENCY   (every context, and the AWS Organization's accounts)
//   node bench/child.mjs result DIR FILE     (scans DIR and saves the scan result, for `render`)
//   node bench/child.mjs render FORMAT FILE  (renders a saved scan result: the table as the Action prints it)
//   node bench/child.mjs report FORMAT DIR   (scans DIR and renders it: what `podtrust scan --format FORMAT` costs)
// PODTRUST_BENCH_BUNDLE=FILE measures another build of bench.js (a variant built by run.mjs).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** What two scans must agree on, in a few bytes: every finding, whole. */
function digest(findings) {
  const hash = createHash('sha256');
  for (const f of findings) hash.update(`${JSON.stringify(f)}\n`);
  return hash.digest('hex');
}

/**
 * CPU time of the main thread alone (Linux: /proc, in ticks of 10 ms), NaN elsewhere. On a busy
 * machine wall time says little; the main thread's share of the CPU says how much of the work ran
 * beside it, which is what wall time shows on an idle one.
 */
function mainThreadCpuMs() {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

const [mode, ...args] = process.argv.slice(2);
const bundle = process.env.PODTRUST_BENCH_BUNDLE ? pathToFileURL(process.env.PODTRUST_BENCH_BUNDLE) : new URL('../build/bench.js', import.meta.url);
const api = await import(bundle.href);
// The YAML parse modes read their files before the clock starts: they time the parser alone.
const yamlTexts = mode.startsWith('yaml-')
  ? readdirSync(args[0], { recursive: true }).filter((f) => f.endsWith('.yaml')).sort().map((f) => readFileSync(join(args[0], f), 'utf8'))
  : [];
const t0 = performance.now();
const c0 = process.cpuUsage();
const mainCpu0 = mainThreadCpuMs();
let extra;
let scanned;
if (mode === 'yaml-fast' || mode === 'yaml-reference') {
  // yaml-fast is what a scan runs: the fast path, and the yaml library for what it hands over.
  const parse = mode === 'yaml-fast' ? api.parseYaml : api.parseYamlReference;
  let documents = 0;
  for (const text of yamlTexts) documents += parse(text, { intrinsicTags: true }).documents.length;
  extra = { files: yamlTexts.length, bytes: yamlTexts.reduce((n, t) => n + Buffer.byteLength(t), 0), documents };
} else if (mode === 'parse') {
  extra = await api.parseOnly([args[0]], args[0]);
} else if (mode === 'raw-parse') {
  extra = await api.rawParseOnly([args[0]], args[0]);
} else if (mode === 'live') {
  const [kubeconfig, context, region] = args;
  const root = process.cwd();
  const options = { paths: [], root, live: { kubernetes: { kubeconfig, contexts: [context] }, aws: { regions: [region] } } };
  const inventory = await api.collectInventory(options);
  const collectMs = performance.now() - t0;
  // Whether the peak comes while collecting or while the rules run.
  const collectMaxRssMb = process.resourceUsage().maxRSS / 1024;
  // With PODTRUST_BENCH_NODE_ARGS=--expose-gc: the heap that survives a full collection, what was collected holds.
  let liveHeapMb;
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    liveHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
  }
  // PODTRUST_BENCH_INVENTORY=FILE keeps what was collected, to time the rules on it again later.
  const keep = process.env.PODTRUST_BENCH_INVENTORY;
  if (keep) {
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(keep, 'w');
    api.writeInventory(inventory, (text) => writeSync(fd, text));
    closeSync(fd);
  }
  const rulesStart = performance.now();
  const rulesCpu0 = process.cpuUsage();
  const result = api.auditInventory(inventory, options);
  const rulesMs = performance.now() - rulesStart;
  const rulesCpu = process.cpuUsage(rulesCpu0);
  const rulesCpuMs = (rulesCpu.user + rulesCpu.system) / 1000;
  const errors = result.notes.filter((n) => n.level === 'error').map((n) => n.message);
  extra = { findings: result.findings.length, resources: inventory.resources.length, collectMs, collectMaxRssMb, liveHeapMb, rulesMs, rulesCpuMs, errors: errors.slice(0, 5) };
  scanned = result;
} else if (mode === 'fleet') {
  const [kubeconfig, region, assumeRole, concurrency] = args;
  // When each target finished: read one at a time, the gaps between them are the targets' own times.
  const finished = [];
  const progress = { update() {}, done: (source) => finished.push({ source, atMs: performance.now() - t0 }) };
  const live = { kubernetes: { kubeconfig, allContexts: true, progress }, aws: { regions: [region], organization: true, assumeRole, progress }, concurrency: Number(concurrency) };
  const inventory = await api.collectInventory({ paths: [], root: process.cwd(), live });
  const collectMs = performance.now() - t0;
  const result = api.auditInventory(inventory, { paths: [], root: process.cwd() });
  const errors = result.notes.filter((n) => n.level === 'error').map((n) => n.message);
  const resourcesDigest = createHash('sha256').update(inventory.resources.map((r) => r.id).join('\n')).digest('hex');
  extra = { collectMs, finished, resources: inventory.resources.length, resourcesDigest, findings: result.findings.length, findingsDigest: digest(result.findings), errors: errors.slice(0, 5) };
} else if (mode === 'result') {
  const result = await api.scan({ paths: [args[0]], root: args[0] });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(args[1], JSON.stringify(result));
  extra = { findings: result.findings.length };
} else if (mode === 'report') {
  const result = await api.scan({ paths: [args[1]], root: args[1] });
  const text = api.render(args[0], result, { color: false, width: 160 });
  extra = { findings: result.findings.length, bytes: Buffer.byteLength(text) };
} else if (mode === 'render') {
  const { readFileSync } = await import('node:fs');
  const result = JSON.parse(readFileSync(args[1], 'utf8'));
  // Only the rendering is timed: the clock starts again once the result is loaded.
  const start = performance.now();
  const startCpu = process.cpuUsage();
  const text = api.render(args[0], result, { color: false, width: 160 });
  const cpu = process.cpuUsage(startCpu);
  extra = { renderMs: performance.now() - start, renderCpuMs: (cpu.user + cpu.system) / 1000, findings: result.findings.length, bytes: Buffer.byteLength(text) };
} else {
  // PODTRUST_BENCH_WORKERS=0 scans on the main thread alone, as `--workers 0` does.
  const workers = process.env.PODTRUST_BENCH_WORKERS;
  const result = await api.scan({ paths: [args[0]], root: args[0], ...(workers !== undefined ? { workers: Number(workers) } : {}) });
  extra = { findings: result.findings.length, resources: result.summary.resources, files: result.summary.files, partial: result.summary.partial };
  scanned = result;
}
const cpu = process.cpuUsage(c0);
const wallMs = performance.now() - t0;
const mainCpuMs = mainThreadCpuMs() - mainCpu0;
// After the clock: how many files the fast path answers itself.
if (scanned) extra.findingsDigest = digest(scanned.findings);
if (mode === 'yaml-fast') extra.fastFiles = yamlTexts.filter((text) => api.parseYamlFast(text, { intrinsicTags: true }) !== undefined).length;
process.stdout.write(JSON.stringify({ mode, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, mainCpuMs, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n');
