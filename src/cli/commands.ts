/** The `scan`, `collect` and `rules` commands of the CLI (main.ts loads this module for them). */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { makeDirs } from '../util/make-dirs.js';
import { PodtrustError } from '../errors.js';
import { shownPath } from '../reporters/paths.js';
import type { Severity, CoverageNote, Inventory } from '../model/types.js';
import { inertForLog } from '../reporters/sanitize.js';
import type { ScanResult } from '../engine/result.js';
import { COLLECT_HELP, RULES_HELP, SCAN_HELP } from './help.js';
import { LIVE_OPTIONS, liveOptionsFrom } from './live-options.js';
import { CLOUD_OPTIONS, cloudOptionsFrom } from './cloud-options.js';
import { LIMIT_OPTIONS, limitsFrom, parseSize, workersFrom } from './input-limits.js';
import { TOOL_OPTIONS, toolOptionsFrom } from './tool-options.js';
import { SHARD_OPTIONS, shardFrom } from './shard-options.js';
import { MODULE_OPTIONS, moduleOptionsFrom } from './module-options.js';
import { LIVE_CONTROL_OPTIONS, maxResponseBytes, requestTimeoutSeconds, targetConcurrency, withLiveControls } from './live-controls.js';
import { cancelOnSignals, cancellationNote, createCancellation, type Cancellation } from '../live/cancel.js';
import { didYouMean } from '../util/suggest.js';
import { checkGlob } from '../util/glob.js';
import { REPORT_FORMATS, type ReportFormat } from '../reporters/formats.js';

/** The flags that name a live source, for the messages of flags that need one. */
const LIVE_SOURCE_FLAGS = '--kubeconfig, --context, --all-contexts, --aws, --aws-organization, --azure-subscription, --azure-all-subscriptions, --gcp-project, --gcp-organization, --gcp-folder';

const FAIL_ON = ['critical', 'high', 'medium', 'low', 'none'] as const;

function parse(args: string[], options: NonNullable<ParseArgsConfig['options']>): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const message = (e as Error).message.replace(/\. To specify a positional argument.*$/, '');
    const unknown = /^Unknown option '(--?[^']*)'/.exec(message)?.[1];
    const hint = unknown?.startsWith('--') ? didYouMean(unknown.slice(2), Object.keys(options), (o) => `--${o}`) : '';
    throw new PodtrustError('usage', `${message}${hint}; see podtrust --help`);
  }
}

/** An enumerated option's value, in any letter case (`--format JSON`, `--fail-on HIGH`). */
function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  const given = String(value);
  const found = allowed.find((a) => a === given.toLowerCase());
  if (typeof value === 'string' && found !== undefined) return found;
  throw new PodtrustError('usage', `--${name} must be one of ${allowed.join(', ')} (got "${given}")${didYouMean(given, allowed)}`);
}

/** Rule ids of repeatable `--rule`/`--skip-rule` values (each may list several, comma-separated), checked against the catalog. */
function ruleIdsOf(name: string, value: unknown, known: readonly string[]): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = (value as string[]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  for (const id of ids) {
    if (!known.includes(id)) throw new PodtrustError('usage', `--${name}: unknown rule "${id}"${didYouMean(id, known)}; podtrust rules lists them`);
  }
  return ids;
}

/** The git work tree containing the current directory, else the current directory. */
export function defaultRoot(cwd = process.cwd()): string {
  for (let dir = cwd; ; dir = dirname(dir)) {
    if (existsSync(resolve(dir, '.git'))) return dir;
    if (dir === dirname(dir)) return cwd;
  }
}

/** Standard input, read up to one byte past the limit (the scan reports the excess, memory stays bounded). */
async function readStdin(limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks);
}

export async function runScan(command: 'scan' | 'collect', args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    output: { type: 'string', short: 'o' },
    'fail-on': { type: 'string' },
    config: { type: 'string', short: 'c' },
    root: { type: 'string' },
    exclude: { type: 'string', multiple: true },
    inventory: { type: 'string', multiple: true },
    'max-file-size': { type: 'string' },
    'max-total-size': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
    baseline: { type: 'string' },
    'only-new': { type: 'boolean' },
    report: { type: 'string', multiple: true },
    'asff-account': { type: 'string' },
    'asff-region': { type: 'string' },
    rule: { type: 'string', multiple: true },
    'skip-rule': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
    ...LIVE_OPTIONS,
    ...CLOUD_OPTIONS,
    ...LIMIT_OPTIONS,
    ...TOOL_OPTIONS,
    ...MODULE_OPTIONS,
    ...LIVE_CONTROL_OPTIONS,
    ...SHARD_OPTIONS,
  });
  if (values.help) {
    process.stdout.write(command === 'collect' ? COLLECT_HELP : SCAN_HELP);
    return 0;
  }
  const format = oneOf<ReportFormat>('format', values.format, REPORT_FORMATS, 'table');
  const extraReports = reportsFrom(values.report);
  const failOn = oneOf('fail-on', values['fail-on'], FAIL_ON, 'high');
  const root = resolve(typeof values.root === 'string' ? values.root : defaultRoot());
  if (!existsSync(root)) throw new PodtrustError('usage', `--root ${String(values.root)}: no such directory`);
  const inventoryFiles = (values.inventory as string[] | undefined) ?? [];
  const kubernetesLive = liveOptionsFrom(values);
  const cloudLive = cloudOptionsFrom(values);
  const requestTimeout = requestTimeoutSeconds(values);
  if (requestTimeout !== undefined && !kubernetesLive && !cloudLive) throw new PodtrustError('usage', `--request-timeout needs a live source (${LIVE_SOURCE_FLAGS})`);
  const responseCap = maxResponseBytes(values);
  if (responseCap !== undefined && !kubernetesLive) throw new PodtrustError('usage', '--max-response-size needs a live cluster (--kubeconfig, --context, --all-contexts)');
  const concurrency = targetConcurrency(values);
  if (concurrency !== undefined && !kubernetesLive && !cloudLive) throw new PodtrustError('usage', `--concurrency needs a live source (${LIVE_SOURCE_FLAGS})`);
  // Ctrl-C during a live scan stops the API calls and still writes what was collected.
  const cancellation: Cancellation | undefined = kubernetesLive || cloudLive ? createCancellation() : undefined;
  const allLive = kubernetesLive || cloudLive ? withLiveControls({ ...kubernetesLive, ...cloudLive }, { signal: cancellation!.signal, requestTimeoutSeconds: requestTimeout, maxResponseBytes: responseCap, concurrency }) : undefined;
  const shard = shardFrom(values);
  if (shard && (command !== 'collect' || !allLive)) throw new PodtrustError('usage', `--shard and --shard-count belong to collect with a live source (${LIVE_SOURCE_FLAGS})`);
  const plan = shard && allLive ? await (await import('../fleet/shard-plan.js')).planShard(allLive, shard) : undefined;
  const live = plan ? plan.live : allLive;
  const paths = positionals.length > 0 ? positionals : inventoryFiles.length > 0 || allLive ? [] : ['.'];
  if (paths.filter((p) => p === '-').length > 1) throw new PodtrustError('usage', 'standard input (-) can be given once');
  if (values['only-new'] && values.baseline === undefined) throw new PodtrustError('usage', '--only-new needs --baseline FILE');

  const excludes = (values.exclude as string[] | undefined) ?? [];
  for (const g of excludes) {
    try {
      checkGlob(g);
    } catch (e) {
      throw new PodtrustError('usage', `--exclude: ${(e as Error).message}`);
    }
  }
  const { auditInventory, collectInventory, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_TOTAL_BYTES } = await import('../scan.js');
  let ruleIds: string[] | undefined;
  let skipRuleIds: string[] | undefined;
  if (values.rule !== undefined || values['skip-rule'] !== undefined) {
    const { allRules } = await import('../engine/rules.js');
    const known = allRules().map((r) => r.meta.id);
    ruleIds = ruleIdsOf('rule', values.rule, known);
    skipRuleIds = ruleIdsOf('skip-rule', values['skip-rule'], known);
  }
  const maxFileBytes = parseSize('max-file-size', values['max-file-size'], DEFAULT_MAX_FILE_BYTES);
  const maxTotalBytes = parseSize('max-total-size', values['max-total-size'], DEFAULT_MAX_TOTAL_BYTES);
  const { loadConfig } = await import('../engine/config.js');
  const config = loadConfig(root, typeof values.config === 'string' ? resolve(values.config) : undefined, maxFileBytes);
  const limits = limitsFrom(values);
  const workers = workersFrom(values);
  const { loadInventory } = await import('../model/snapshot.js');
  const { inventoryFiles: expandInventories } = await import('../fleet/inventory-files.js');
  const inventories: Inventory[] = expandInventories(inventoryFiles).map((f) => loadInventory(f, { maxDepth: limits.maxDepth, maxBytes: maxTotalBytes }));
  const stdin = paths.includes('-') ? await readStdin(maxFileBytes) : undefined;
  const modules = moduleOptionsFrom(values, root);
  const scanOptions = {
    paths,
    root,
    config,
    exclude: excludes,
    inventories,
    ...(ruleIds ? { ruleIds } : {}),
    ...(skipRuleIds ? { skipRuleIds } : {}),
    maxFileBytes,
    maxTotalBytes,
    limits,
    ...(workers !== undefined ? { workers } : {}),
    tools: toolOptionsFrom(values),
    ...(modules ? { modules } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
    ...(live ? { live } : {}),
  };

  const collect = async (): Promise<Inventory> => {
    const restore = cancellation ? cancelOnSignals(cancellation) : undefined;
    try {
      const inventory = await collectInventory(scanOptions);
      if (cancellation?.by) inventory.notes.push(cancellationNote(cancellation.by));
      if (plan) (await import('../fleet/shard-plan.js')).recordShard(inventory, plan, cancellation?.by !== undefined);
      return inventory;
    } finally {
      restore?.();
    }
  };

  if (command === 'collect') {
    const reportOnly = ['format', 'fail-on', 'baseline', 'only-new', 'rule', 'skip-rule', 'report', 'asff-account', 'asff-region'].filter((o) => values[o] !== undefined);
    if (reportOnly.length > 0) throw new PodtrustError('usage', `collect writes an inventory, not a report: --${reportOnly.join(', --')} belong to scan`);
    const inventory = await collect();
    const { writeInventory } = await import('../model/snapshot.js');
    emitPieces((write) => writeInventory(inventory, write), values.output as string | undefined);
    reportNotes(inventory.notes, root, Boolean(values.quiet));
    if (values.verbose && !values.quiet) reportWorkerFailures(inventory.notes);
    const { incompleteReason } = await import('../engine/verdict.js');
    return incompleteReason(false, inventory.notes, values.strict === true) !== undefined ? 2 : 0;
  }

  const started = performance.now();
  let result = auditInventory(await collect(), scanOptions, config);
  if (values.verbose && !values.quiet) reportVerbose(result, performance.now() - started);
  if (typeof values.baseline === 'string') {
    const { applyBaseline, loadBaseline } = await import('../baseline/baseline.js');
    result = applyBaseline(result, loadBaseline(resolve(values.baseline), maxTotalBytes), { onlyNew: Boolean(values['only-new']) });
  }
  const { render } = await import('../reporters/index.js');
  const toTerminal = values.output === undefined && process.stdout.isTTY === true;
  const timing = { startedAt: new Date(performance.timeOrigin + started), finishedAt: new Date() };
  const asff = { ...(typeof values['asff-account'] === 'string' ? { asffAccount: values['asff-account'] } : {}), ...(typeof values['asff-region'] === 'string' ? { asffRegion: values['asff-region'] } : {}) };
  // Every report is rendered before any is written: a format that cannot be produced (asff without an account) stops the run with nothing half-written.
  const extra = extraReports.map((r) => ({ ...r, text: render(r.format, result, { ...timing, ...asff, color: false, width: outputWidth(false) }) }));
  const text = render(format, result, {
    ...timing,
    ...asff,
    color: useColor(toTerminal),
    width: outputWidth(toTerminal),
  });
  emit(text, values.output as string | undefined);
  for (const r of extra) {
    emit(r.text, r.path, '--report');
    if (!values.quiet) process.stderr.write(`${inertForLog(`podtrust: ${r.format} report written to ${r.path}`)}\n`);
  }
  // The table on stdout lists the notes itself: then only errors and warnings go to stderr too, where CI logs and scripts read them.
  const notesInReport = format === 'table' && (values.output === undefined || values.output === '-');
  reportNotes(notesInReport ? result.notes.filter((n) => n.level !== 'note') : result.notes, root, Boolean(values.quiet));
  if (values.output !== undefined && values.output !== '-' && !values.quiet) {
    const s = result.summary;
    process.stderr.write(`${inertForLog(`podtrust: ${s.findings} finding(s) written to ${String(values.output)}`)}\n`);
  }
  const { decideVerdict } = await import('../engine/verdict.js');
  return decideVerdict(result, { failOn: failOn as Severity | 'none', strict: values.strict === true }).exitCode;
}

/**
 * `--verbose`: what was read and how long it took. Built from counts, rule ids and resource
 * types only, so it cannot carry a token or a credential.
 */
function reportVerbose(result: ScanResult, ms: number): void {
  const s = result.summary;
  const lines = [
    `podtrust: read ${s.files} file(s) and live object source(s), ${s.resources} resource(s) in ${(ms / 1000).toFixed(2)} s`,
    `podtrust: ran ${result.rules.length} rule(s); ${s.findings} finding(s), ${s.suppressed} suppressed; ${result.notes.length} coverage note(s)`,
  ];
  const byRule = new Map<string, number>();
  for (const f of result.findings) byRule.set(f.ruleId, (byRule.get(f.ruleId) ?? 0) + 1);
  for (const [rule, n] of [...byRule].sort()) lines.push(`podtrust:   ${rule}: ${n}`);
  process.stderr.write(inertForLog(lines.join('\n')) + '\n');
  reportWorkerFailures(result.notes);
}

/** Worker threads that failed: about the run, not the input (their jobs were collected here), so only with --verbose. */
function reportWorkerFailures(notes: CoverageNote[]): void {
  for (const n of notes) if (n.kind === 'worker-failed') process.stderr.write(inertForLog(`podtrust: ${n.message}`) + '\n');
}

function emit(text: string, output: string | undefined, flag = '--output'): void {
  emitPieces((write) => write(text), output, flag);
}

/** `--report FORMAT=PATH` values: each format once, each path once, none of them standard output. */
function reportsFrom(value: unknown): { format: ReportFormat; path: string }[] {
  const out: { format: ReportFormat; path: string }[] = [];
  for (const entry of (value as string[] | undefined) ?? []) {
    const eq = entry.indexOf('=');
    if (eq <= 0 || eq === entry.length - 1) throw new PodtrustError('usage', `--report takes FORMAT=PATH (got "${entry}"), e.g. --report sarif=podtrust.sarif`);
    const format = oneOf<ReportFormat>('report', entry.slice(0, eq), REPORT_FORMATS, 'table');
    const path = entry.slice(eq + 1);
    if (path === '-') throw new PodtrustError('usage', `--report ${entry}: a report named with --report goes to a file; standard output takes --format`);
    if (out.some((r) => resolve(r.path) === resolve(path))) throw new PodtrustError('usage', `--report: ${path} is named twice`);
    out.push({ format, path });
  }
  return out;
}

/** Output written as it is produced, for outputs too large to hold as one string. */
function emitPieces(produce: (write: (text: string) => void) => void, output: string | undefined, flag = '--output'): void {
  if (output === undefined || output === '-') {
    produce((text) => process.stdout.write(text));
    return;
  }
  let fd: number | undefined;
  try {
    makeDirs(dirname(resolve(output)));
    fd = openSync(output, 'w');
    const target = fd;
    produce((text) => writeSync(target, text));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === undefined) throw e;
    throw new PodtrustError('usage', `${flag} ${output}: cannot write: ${code}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Coverage notes on stderr: `path:line: message`. Errors and warnings always (unless --quiet), notes too; worker failures with --verbose. */
function reportNotes(notes: CoverageNote[], root: string, quiet: boolean): void {
  if (quiet) return;
  for (const n of notes) {
    if (n.kind === 'worker-failed') continue;
    const where = n.file ? `${shownPath(root, n.file)}${n.line ? `:${n.line}` : ''}: ` : '';
    const label = n.level === 'error' ? 'error' : n.level === 'warning' ? 'warning' : 'note';
    process.stderr.write(inertForLog(`${where}${label}: ${n.message}`) + '\n');
  }
}

/**
 * Colour on a terminal unless NO_COLOR is set or TERM is dumb; FORCE_COLOR (any value but `0` or
 * `false`) turns it on anywhere, NO_COLOR included, as Node's own tools read it.
 */
function useColor(toTerminal: boolean): boolean {
  const force = process.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return toTerminal && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}

/** The terminal's columns (120 when it reports none, or 0), or a wide page for a file or a pipe. */
function outputWidth(toTerminal: boolean): number {
  return toTerminal ? process.stdout.columns || 120 : 160;
}

export async function runRules(args: string[]): Promise<number> {
  const { values } = parse(args, { format: { type: 'string', short: 'f' }, help: { type: 'boolean', short: 'h' } });
  if (values.help) {
    process.stdout.write(RULES_HELP);
    return 0;
  }
  const format = oneOf('format', values.format, ['table', 'json', 'markdown'] as const, 'table');
  const { allRules } = await import('../engine/rules.js');
  const { renderRuleCatalog } = await import('../docs/catalog.js');
  const toTerminal = process.stdout.isTTY === true;
  process.stdout.write(renderRuleCatalog(allRules().map((r) => r.meta), format, { color: useColor(toTerminal), width: outputWidth(toTerminal) }));
  return 0;
}

