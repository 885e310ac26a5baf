/**
 * Stand-ins for helm and bicep, which cannot be installed where the tests run: small node
 * scripts put first on PATH under the tool's name. They are not helm or bicep. Each records
 * what podtrust gave it (arguments, environment, working directory, the files it can see, its
 * address-space limit, its network interfaces) and then behaves as told:
 * - `render` (helm): substitutes `{{ .Values.a.b }}`, `{{ .Release.Name }}`,
 *   `{{ .Release.Namespace }}` and `{{ toYaml .Values.a | nindent N }}` in each template of
 *   the chart, with the chart's values, the `--values` files and `--set` values merged in order,
 *   and prints the stream as `helm template` does (`---` and `# Source:` lines);
 * - `print:<text>` prints the text (a compiled ARM template for bicep);
 * - `sleep` starts a child process and never ends; `flood` writes without end; `fail` exits 1.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

export interface StandInRecord {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  files: { path: string; type: 'file' | 'dir' | 'link' }[];
  limits: string;
  interfaces: string[];
  child?: number;
}

export interface StandIn {
  /** The folder to put first on PATH. */
  bin: string;
  records(): StandInRecord[];
}

const yamlModule = createRequire(import.meta.url).resolve('yaml');

export function standInTool(name: 'helm' | 'bicep', behaviour: string): StandIn {
  const dir = mkdtempSync(join(tmpdir(), `podtrust-stand-in-${name}-`));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const record = join(dir, 'record.jsonl');
  const script = `#!/usr/bin/env node
// A stand-in for ${name}, written by podtrust's tests. It is not ${name}.
const fs = require('fs'), path = require('path'), os = require('os'), cp = require('child_process');
const behaviour = ${JSON.stringify(behaviour)};
// The child comes first, so a time cap that stops the tool early still finds one to stop.
const sleeper = behaviour === 'sleep' ? cp.spawn('sleep', ['600'], { stdio: 'ignore' }) : undefined;
if (sleeper) fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify({ child: sleeper.pid }) + '\\n');
const YAML = require(${JSON.stringify(yamlModule)});
function list(dir, base) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = base ? base + '/' + e.name : e.name;
    if (e.isSymbolicLink()) out.push({ path: rel, type: 'link' });
    else if (e.isDirectory()) { out.push({ path: rel, type: 'dir' }); out.push(...list(path.join(dir, e.name), rel)); }
    else out.push({ path: rel, type: 'file' });
  }
  return out;
}
let limits = '';
try { limits = fs.readFileSync('/proc/self/limits', 'utf8').split('\\n').find((l) => l.startsWith('Max address space')) || ''; } catch {}
const note = (o) => fs.appendFileSync(${JSON.stringify(record)}, JSON.stringify(o) + '\\n');
note({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), files: list(process.cwd(), ''), limits, interfaces: Object.keys(os.networkInterfaces()) });
if (behaviour === 'sleep') {
  setInterval(() => {}, 1000);
} else if (behaviour === 'flood') {
  const chunk = 'x'.repeat(65536) + '\\n';
  const write = () => { while (process.stdout.write(chunk)); process.stdout.once('drain', write); };
  write();
} else if (behaviour === 'fail') {
  process.stderr.write('Error: template: app/templates/sa.yaml:3:4: function "nope" not defined\\n');
  process.exit(1);
} else if (behaviour.startsWith('print:')) {
  process.stdout.write(behaviour.slice('print:'.length));
} else render();

function render() {
  const args = process.argv.slice(2);
  const end = args.indexOf('--');
  const [release, chartDir] = args.slice(end + 1);
  const flag = (f) => args.slice(0, end).filter((a) => a.startsWith(f + '=')).map((a) => a.slice(f.length + 1));
  const merge = (a, b) => {
    if (!b || typeof b !== 'object' || Array.isArray(b) || !a || typeof a !== 'object' || Array.isArray(a)) return b === undefined ? a : b;
    const out = { ...a };
    for (const [k, v] of Object.entries(b)) out[k] = merge(a[k], v);
    return out;
  };
  const read = (f) => (fs.existsSync(f) ? YAML.parse(fs.readFileSync(f, 'utf8')) || {} : {});
  let values = read(path.join(chartDir, 'values.yaml'));
  for (const f of flag('--values')) values = merge(values, read(f));
  for (const s of [...flag('--set'), ...flag('--set-string')]) {
    const [key, ...rest] = s.split('=');
    const keys = key.split('.');
    let o = values;
    for (const k of keys.slice(0, -1)) o = o[k] = o[k] && typeof o[k] === 'object' ? o[k] : {};
    o[keys[keys.length - 1]] = rest.join('=');
  }
  const lookup = (expr) => {
    if (expr === '.Release.Name') return release;
    if (expr === '.Release.Namespace') return flag('--namespace')[0] || 'default';
    return expr.replace(/^\\.Values\\./, '').split('.').reduce((o, k) => (o == null ? undefined : o[k]), values);
  };
  const chart = YAML.parse(fs.readFileSync(path.join(chartDir, 'Chart.yaml'), 'utf8'));
  const templates = path.join(chartDir, 'templates');
  let out = '';
  for (const f of fs.readdirSync(templates).sort()) {
    if (f.startsWith('_') || !f.endsWith('.yaml')) continue;
    const text = fs.readFileSync(path.join(templates, f), 'utf8')
      .replace(/\\{\\{-?\\s*toYaml\\s+(\\.[\\w.]+)\\s*\\|\\s*nindent\\s+(\\d+)\\s*-?\\}\\}/g, (m, expr, n) => '\\n' + YAML.stringify(lookup(expr)).trimEnd().split('\\n').map((l) => ' '.repeat(Number(n)) + l).join('\\n'))
      .replace(/\\{\\{-?\\s*(\\.[\\w.]+)\\s*-?\\}\\}/g, (m, expr) => String(lookup(expr)));
    out += '---\\n# Source: ' + chart.name + '/templates/' + f + '\\n' + text;
  }
  process.stdout.write(out);
}
`;
  const path = join(bin, name);
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return {
    bin,
    records: () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as StandInRecord) : []),
  };
}
