// One measured run in a fresh process: `node bench/child.mjs scan|parse DIR`. Prints JSON.
const [mode, dir] = process.argv.slice(2);
const api = await import(new URL('../build/bench.js', import.meta.url).href);
const t0 = performance.now();
const c0 = process.cpuUsage();
let extra;
if (mode === 'parse') {
  extra = await api.parseOnly([dir], dir);
} else {
  const result = await api.scan({ paths: [dir], root: dir });
  extra = { findings: result.findings.length, resources: result.summary.resources, files: result.summary.files, partial: result.summary.partial };
}
const cpu = process.cpuUsage(c0);
const wallMs = performance.now() - t0;
process.stdout.write(JSON.stringify({ mode, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024, ...extra }) + '\n');
