// `npm run bench`: generates the inputs (deterministic from a seed), runs each measurement in a
// fresh process, and prints a Markdown table for docs/benchmarks.md. Never part of `npm test`.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateIac, SIZES } from './generate-iac.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, '..', '.bench-data');
const only = process.argv.slice(2);
const sizes = Object.entries(SIZES).filter(([name]) => only.length === 0 || only.includes(name));

function measure(mode, dir) {
  const out = execFileSync(process.execPath, ['--max-old-space-size=4096', join(here, 'child.mjs'), mode, dir], { encoding: 'utf8', maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}

const rows = [];
for (const [name, files] of sizes) {
  const dir = join(data, `iac-${name}`);
  const gen = generateIac(dir, files, 42);
  const parse = measure('parse', dir);
  const scan = measure('scan', dir);
  rows.push({ name, files: gen.files, mb: gen.bytes / 1e6, scan, parse });
  process.stderr.write(`${name}: ${gen.files} files, ${(gen.bytes / 1e6).toFixed(1)} MB, scan ${(scan.wallMs / 1000).toFixed(2)} s, parse floor ${(parse.wallMs / 1000).toFixed(2)} s\n`);
}

const cpu = cpus()[0]?.model ?? 'unknown CPU';
console.log(`Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}\n`);
console.log('| size | files | MB | wall s | CPU s | peak RSS MB | findings | files/s | parse floor s | scan ÷ floor |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) {
  const s = r.scan;
  console.log(`| ${r.name} | ${r.files} | ${r.mb.toFixed(1)} | ${(s.wallMs / 1000).toFixed(2)} | ${(s.cpuMs / 1000).toFixed(2)} | ${s.maxRssMb.toFixed(0)} | ${s.findings} | ${(r.files / (s.wallMs / 1000)).toFixed(0)} | ${(r.parse.wallMs / 1000).toFixed(2)} | ${(s.wallMs / r.parse.wallMs).toFixed(2)} |`);
}
if (rows.length >= 2) {
  const [a, b] = [rows[rows.length - 2], rows[rows.length - 1]];
  console.log(`\nGrowth ${a.name} → ${b.name}: ${(b.files / a.files).toFixed(1)}× the input took ${(b.scan.wallMs / a.scan.wallMs).toFixed(2)}× the time.`);
}
