/**
 * The Helm pass: each chart folder of the scan is rendered with `helm template` (in a copy,
 * through src/util/external-tool.ts), once per release that Argo CD Applications and Flux
 * HelmReleases of the repository give it, or once with the chart's own values when none does.
 * The rendered objects are read like manifests and placed back in the repository: a value
 * traced to the values line that set it points there (see values-trace.ts); everything else
 * points at the object's template. Without helm, each chart is a warning.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, sep } from 'node:path';
import type { CoverageNote, JsonValue, Position, Resource } from '../../model/types.js';
import type { CollectOptions, CollectResult, SourceFile } from '../types.js';
import { account, emptyResult } from '../types.js';
import { relativeId } from '../ids.js';
import { collectStructured } from '../documents.js';
import { InputReader, readPolicy } from '../../util/input-reader.js';
import { parseYaml } from '../../util/yaml.js';
import { get } from '../../util/pointer.js';
import { REDACTED } from '../../credentials/types.js';
import { failedRunNote, runBudgeted, toolProgram, type ExternalToolOptions } from '../../util/external-tool.js';
import { ToolWorkspace, listFiles } from '../../util/tool-workspace.js';
import { COLLECTED_TYPES } from '../../live/kubernetes/resource-types.js';
import { releasesOf, type Release, type ValuesSource } from './releases.js';
import { blockScalarShift, templateReads, traceValue, valuesEntries, valuesTextEntries, type ValuesEntry } from './values-trace.js';

const FORMAT = 'Helm chart';
/** Address space a helm run may take (a Go program reserves little beyond what it uses). */
const HELM_ADDRESS_SPACE = 4 * 1024 * 1024 * 1024;
const START: Position = { line: 1, column: 1, endLine: 1, endColumn: 1 };

export interface ChartInputs {
  charts: string[];
  /** The scan's YAML/JSON files: where Applications and HelmReleases with inline values were read. */
  structured: SourceFile[];
  /** Bytes the scan has read so far: the copies count against `--max-total-size` too. */
  bytes: number;
}

/** Renders every chart; drops standalone results of the values files it consumed; returns what the charts hold. */
export async function renderCharts(inputs: ChartInputs, collected: CollectResult, opts: CollectOptions, tools: ExternalToolOptions = {}): Promise<CollectResult> {
  const result = emptyResult();
  const policy = opts.read ?? readPolicy(opts.root);
  const reader = new InputReader({ ...policy, maxTotalBytes: Math.max(0, policy.maxTotalBytes - inputs.bytes) });
  const found = releasesOf(collected.resources, inputs.charts, opts.root);
  result.notes.push(...found.notes);
  const texts = new Map(inputs.structured.map((f) => [f.path, f.text]));
  const consumed = new Set<string>();
  for (const chart of inputs.charts) {
    const releases = found.releases.filter((r) => r.chart === chart);
    await renderChart(chart, releases, { reader, opts, tools, texts, result, consumed, known: collected.notes });
  }
  collected.resources = collected.resources.filter((r) => !consumed.has(r.file));
  return result;
}

interface ChartContext {
  reader: InputReader;
  opts: CollectOptions;
  tools: ExternalToolOptions;
  texts: Map<string, string>;
  result: CollectResult;
  consumed: Set<string>;
  /** Notes already made (the walk's): a refusal is named once. */
  known: CoverageNote[];
}

async function renderChart(chart: string, releases: Release[], ctx: ChartContext): Promise<void> {
  const { result, opts } = ctx;
  const rel = relativeId(opts.root, chart);
  const chartFile = join(chart, 'Chart.yaml');
  const tool = toolProgram('helm', ctx.tools);
  if ('missing' in tool) {
    const what = tool.missing === 'helm is not installed' ? 'install helm to analyse it' : 'it is not analysed';
    result.notes.push({ kind: 'unsupported', level: 'warning', file: chartFile, line: 1, message: `Helm chart ${rel}: ${tool.missing}; ${what}` });
    for (const f of listFiles(ctx.reader, chart, [])) account(result, f, FORMAT, 'not-analysed');
    return;
  }
  const ws = ToolWorkspace.create('helm');
  try {
    const copied = ws.copyFolder(ctx.reader, chart, 'chart');
    for (const n of ws.notes) if (!ctx.known.some((k) => k.file === n.file && k.message === n.message)) result.notes.push(n);
    const missing = unvendored(join(ws.copy, 'chart'));
    if (missing.length > 0) {
      result.notes.push({ kind: 'unsupported', level: 'warning', file: chartFile, line: 1, message: `Helm chart ${rel}: dependencies ${missing.join(', ')} are not vendored under charts/ and podtrust does not download them; run \`helm dependency build\` and commit charts/ to analyse it` });
      for (const f of copied) account(result, f, FORMAT, 'not-analysed');
      return;
    }
    for (const f of copied) account(result, f, FORMAT);
    const renderings: (Release | undefined)[] = releases.length > 0 ? releases : [undefined];
    for (const [i, release] of renderings.entries()) await renderRelease(chart, release, i, tool.program, ws, ctx);
  } finally {
    ws.dispose();
  }
}

/** Names of `Chart.yaml` dependencies with no folder or archive under charts/ (in the copy). */
function unvendored(chartCopy: string): string[] {
  const text = existsSync(join(chartCopy, 'Chart.yaml')) ? readFileSync(join(chartCopy, 'Chart.yaml'), 'utf8') : '';
  const meta = parseYaml(text).documents[0]?.value;
  const deps = get(meta, '/dependencies');
  if (!Array.isArray(deps)) return [];
  const vendored = existsSync(join(chartCopy, 'charts')) ? listFiles(new InputReader(readPolicy(chartCopy)), join(chartCopy, 'charts'), []).map((f) => relative(join(chartCopy, 'charts'), f)) : [];
  const names = new Set(vendored.map((f) => f.split(sep)[0]!.replace(/-\d[^/]*\.tgz$/, '').replace(/\.tgz$/, '')));
  return deps.map((d) => get(d, '/name')).filter((n): n is string => typeof n === 'string' && !names.has(n));
}

/** Helm's caches, configuration and plugins, all inside the run's scratch folder: nothing of the user's. */
function helmEnvironment(scratch: string): Record<string, string> {
  const at = (p: string): string => join(scratch, 'helm', p);
  return {
    HELM_CACHE_HOME: at('cache'),
    HELM_CONFIG_HOME: at('config'),
    HELM_DATA_HOME: at('data'),
    HELM_PLUGINS: at('plugins'),
    HELM_REGISTRY_CONFIG: at('registry.json'),
    HELM_REPOSITORY_CONFIG: at('repositories.yaml'),
    HELM_REPOSITORY_CACHE: at('repository'),
    HELM_NO_PLUGINS: '1',
  };
}

/** One `helm template` run: its values written into the copy, its output read back into the repository's files. */
async function renderRelease(chart: string, release: Release | undefined, index: number, program: string, ws: ToolWorkspace, ctx: ChartContext): Promise<void> {
  const { result, opts } = ctx;
  const relChart = relativeId(opts.root, chart);
  const name = release?.name ?? basename(chart).toLowerCase().replace(/[^a-z0-9-]/g, '-');
  const label = release ? `${release.declaredIn.label} (${relativeId(opts.root, release.declaredIn.file)})` : 'chart defaults';
  const at = release ? { file: release.declaredIn.file, line: release.declaredIn.position.line } : { file: join(chart, 'Chart.yaml'), line: 1 };
  // The chart's own values come first, as Helm applies them.
  const entries: ValuesEntry[] = [];
  const ownValues = join(ws.copy, 'chart', 'values.yaml');
  if (existsSync(ownValues)) entries.push(...valuesTextEntries(readFileSync(ownValues, 'utf8'), join(chart, 'values.yaml'), START, opts.limits));
  const args = ['template', `--namespace=${release?.namespace ?? 'default'}`, '--skip-tests'];
  for (const [i, source] of (release?.values ?? []).entries()) {
    const file = valuesFile(source, `values/${index}-${i}.yaml`, ws, ctx, entries, at);
    if (file) args.push(`--values=${file}`);
  }
  for (const set of release?.sets ?? []) {
    // As Argo CD passes a parameter: commas escaped, unless the value is a `{a,b}` list.
    const value = /^\{.*\}$/.test(set.value) ? set.value : set.value.replace(/,/g, '\\,');
    args.push(`${set.string ? '--set-string' : '--set'}=${set.name}=${value}`);
    if (set.at && !/[[\\,]/.test(set.name)) entries.push({ path: set.name.split('.'), value: set.value, position: { ...set.at, file: set.file } });
  }
  // `--`: a release name from the repository is never read as a flag.
  args.push('--', name, './chart');
  const run = await runBudgeted(ctx.tools, {
    program,
    args,
    cwd: ws.copy,
    scratch: ws.scratch,
    env: helmEnvironment(ws.scratch),
    maxOutputBytes: (opts.read ?? readPolicy(opts.root)).maxFileBytes,
    maxAddressSpaceBytes: HELM_ADDRESS_SPACE,
  });
  if (!run.ok) {
    result.notes.push(failedRunNote(run, at, `Helm chart ${relChart}, ${label}: helm template`, ws.copy));
    return;
  }
  for (const source of release?.values ?? []) if (source.kind === 'file') ctx.consumed.add(source.path);
  readRendered(run.stdout, chart, ws, release, entries, ctx);
}

/** Writes one values source into the copy and adds its entries; its path in the copy, or undefined (with a note) when it cannot be had. */
function valuesFile(source: ValuesSource, rel: string, ws: ToolWorkspace, ctx: ChartContext, entries: ValuesEntry[], at: { file: string; line: number }): string | undefined {
  if (source.kind === 'file') {
    const read = ctx.reader.readText(source.path);
    if (!read.ok) {
      if (read.reason === 'missing') ctx.result.notes.push({ kind: 'unresolved', level: 'warning', ...at, message: `Helm values file ${relativeId(ctx.opts.root, source.path)} does not exist; rendered without it` });
      else if (read.note) ctx.result.notes.push(read.note);
      return undefined;
    }
    account(ctx.result, source.path, FORMAT);
    entries.push(...valuesTextEntries(read.text, source.path, START, ctx.opts.limits));
    ws.write(rel, read.text);
    return rel;
  }
  if (source.text !== undefined) {
    const shift = blockScalarShift(ctx.texts.get(source.file) ?? '', source.at);
    entries.push(...valuesTextEntries(source.text, source.file, source.at, ctx.opts.limits, shift ?? (() => source.at)));
    ws.write(rel, source.text);
    return rel;
  }
  entries.push(...valuesEntries(source.value ?? null, source.positions, source.file, source.at));
  ws.write(rel, JSON.stringify(source.value ?? {}));
  return rel;
}

/** The rendered stream, document by document, read as manifests of the templates that made them. */
function readRendered(stdout: string, chart: string, ws: ToolWorkspace, release: Release | undefined, entries: ValuesEntry[], ctx: ChartContext): void {
  const { opts, result } = ctx;
  const relChart = relativeId(opts.root, chart);
  const helpers = listFiles(new InputReader(readPolicy(ws.copy)), join(ws.copy, 'chart', 'templates'), [])
    .filter((f) => basename(f).startsWith('_'))
    .map((f) => readFileSync(f, 'utf8'));
  const seenIds = new Map<string, number>();
  const kindsSeen = new Map<string, number>();
  const suffix = release ? `@helm:${relativeId(opts.root, release.declaredIn.file)}/${release.name}` : '@helm:defaults';
  let source: string | undefined;
  for (const chunk of stdout.split(/^---[ \t]*$/m)) {
    // Helm heads each document with its template; a document without one follows its predecessor's.
    source = /^# Source: [^/\n]+\/(.+)$/m.exec(chunk)?.[1]?.trim() ?? source;
    if (!source || chunk.trim() === '') continue;
    // The Source line is the tool's output: only a file of the chart's copy is taken from it.
    const inCopy = ws.at(join('chart', source));
    const known = inCopy !== undefined && inCopy.startsWith(join(ws.copy, 'chart') + sep) && existsSync(inCopy);
    const template = known ? join(chart, source) : join(chart, 'Chart.yaml');
    const templateText = known ? readFileSync(inCopy, 'utf8') : '';
    // Values of a subchart live under its name in the parent's values: not traced.
    const reads = source.startsWith('templates/') ? templateReads([templateText, ...helpers]) : templateReads([]);
    const file: SourceFile = { path: template, text: chunk };
    const collected = collectStructured(file, opts, seenIds);
    for (const n of collected.notes) result.notes.push({ ...n, line: 1, message: `${n.message} (rendered from Helm chart ${relChart})` });
    for (const r of collected.resources) {
      const kind = r.type.replace(/^k8s\./, '');
      if (release) inNamespace(r, kind, release.namespace, relativeId(opts.root, template));
      const key = `${template}\u0000${kind}`;
      const nth = kindsSeen.get(key) ?? 0;
      kindsSeen.set(key, nth + 1);
      place(r, objectPosition(templateText, kind, nth), reads, entries, release, relChart, suffix, chunk);
      result.resources.push(r);
    }
  }
}

/** The identity-relevant kinds podtrust knows to be namespaced (the live collector's table). */
const NAMESPACED = new Set(COLLECTED_TYPES.filter((t) => t.namespaced).map((t) => t.kind));

/**
 * Argo CD and Flux apply a release's objects in its namespace when the template names none
 * (`helm template --namespace` does not write it): such an object of a kind known to be
 * namespaced gets it, so joins (a trust's `system:serviceaccount:<ns>:<name>`) see what is deployed.
 */
function inNamespace(r: Resource, kind: string, namespace: string, relTemplate: string): void {
  const metadata = (r.body as { metadata?: Record<string, JsonValue> }).metadata;
  if (r.namespace !== undefined || !NAMESPACED.has(kind) || !metadata || typeof metadata !== 'object') return;
  metadata['namespace'] = namespace;
  const previous = r.name;
  r.namespace = namespace;
  r.name = `${namespace}/${previous}`;
  r.id = r.id.replace(`k8s:${relTemplate}:${kind}/${previous}`, `k8s:${relTemplate}:${kind}/${r.name}`);
}

/** The plain or quoted scalar a rendered `key: value` line ends with (the line's key is the pointer's). */
function renderedScalar(line: string): string | undefined {
  const m = /^\s*(?:-\s+)?[^\s:#][^:#]*:\s+(.*?)\s*$/.exec(line);
  const raw = m?.[1];
  if (!raw || /^[|>&*!{[]/.test(raw)) return undefined;
  const quoted = /^(["'])(.*)\1$/.exec(raw);
  return quoted ? quoted[2] : raw.replace(/\s+#.*$/, '');
}

/** The line of the `nth` object of `kind` in a template (`kind: X` at the start of a line); else the first line. */
function objectPosition(text: string, kind: string, nth: number): Position {
  const lines = text.split('\n');
  const pattern = new RegExp(`^kind:\\s*["']?${kind.replace(/[^\w]/g, '')}["']?\\s*(#.*)?$`);
  const hits = lines.flatMap((l, i) => (pattern.test(l.trimEnd()) ? [i + 1] : []));
  const line = hits[nth] ?? hits[0] ?? 1;
  return { line, column: 1, endLine: line, endColumn: (lines[line - 1]?.length ?? 0) + 1 };
}

/** Places a rendered resource in the repository: traced values at their values lines, the rest at its template object. */
function place(r: Resource, object: Position, reads: ReturnType<typeof templateReads>, entries: ValuesEntry[], release: Release | undefined, relChart: string, suffix: string, rendered: string): void {
  const positions: Record<string, Position> = { '': object };
  const lines = rendered.split('\n');
  let traced = false;
  for (const pointer of Object.keys(r.positions)) {
    if (pointer === '') continue;
    let v = get(r.body, pointer) as JsonValue | undefined;
    // A redacted credential is traced by what was rendered (compared here, never kept): its values line is where to remove it.
    if (v === REDACTED) v = renderedScalar(lines[r.positions[pointer]!.line - 1] ?? '');
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const at = traceValue(String(v), entries, reads);
    if (at) {
      positions[pointer] = at;
      traced = true;
    }
  }
  r.positions = positions;
  r.id = `${r.id}${suffix}`;
  for (const s of r.suppressions ?? []) s.position = positions[s.pointer] ?? object;
  const module = `Helm chart ${relChart}${release ? ` (release ${release.name}, ${release.declaredIn.label})` : ''}`;
  if (release) r.via = { file: release.declaredIn.file, position: release.declaredIn.position, module, definedAt: { file: r.file, position: object } };
  else if (traced) r.via = { file: r.file, position: object, module };
}
