/**
 * Reads the Terragrunt units of a Terraform collection: each `terragrunt.hcl` with the files it
 * includes and reads, its `terraform { source }` resolved, and its `inputs` merged, ready to be
 * evaluated as a root module that makes one module call.
 */
import { basename, dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CollectOptions, CollectResult, FileAccount, SourceFile } from '../types.js';
import { account } from '../types.js';
import type { CoverageNote, Position } from '../../model/types.js';
import { InputReader, isInside, readPolicy } from '../../util/input-reader.js';
import { isStackOverflow, STACK_OVERFLOW_MESSAGE } from '../../util/nesting.js';
import { errorSummary, internalErrorNote } from '../isolate.js';
import type { Attribute, Block, ParsedFile } from '../terraform/ast.js';
import type { ModuleDef } from '../terraform/module.js';
import { toStr } from '../terraform/values.js';
import { type TerragruntConfig, attributeOf, readConfig } from './config.js';
import { type MergeStrategy, UnitEvaluation } from './evaluation.js';
import { unitInputs } from './inputs.js';
import { ROOT_FILE, isTerragruntFile, isUnitFile } from './names.js';
import { unitSource } from './source.js';
import { unreadSettings } from './unread-settings.js';

/** What the Terraform collection lends the units: its parser, module folders and notes. */
export interface TerraformProject {
  addFile(path: string, text: string): Promise<ParsedFile | undefined>;
  loadDir(dir: string, report: boolean): Promise<boolean>;
  def(dir: string): ModuleDef;
  note(n: CoverageNote): void;
  rootName(dir: string): string;
}

export interface Unit {
  file: string;
  dir: string;
  evaluation: UnitEvaluation;
  /** The module call the unit stands for, written at its `inputs` line. */
  call: Block;
}

export interface TerragruntUnits {
  units: Unit[];
  /** Local module folders units call: not roots of their own. */
  called: Set<string>;
}

const FORMAT = 'Terragrunt';
/** `read_terragrunt_config` of a file that reads another...: how many rounds of reading are followed. */
const MAX_READ_ROUNDS = 8;
const MERGE_STRATEGIES = new Set<string>(['shallow', 'deep', 'no_merge']);

/** Reads Terragrunt files once each, from the scanned files or through the input reader (never outside the scan). */
class ConfigFiles {
  private readonly parsed = new Map<string, ParsedFile | null>();
  private readonly given = new Map<string, string>();
  /** Each file's state in the ledger, recorded once: a unit that could not be analysed stays so however often it was read. */
  private readonly states = new Map<string, FileAccount['state']>();
  private readonly reader: InputReader;

  constructor(files: SourceFile[], opts: CollectOptions, private readonly project: TerraformProject, private readonly result: CollectResult) {
    for (const f of files) this.given.set(f.path, f.text);
    this.reader = new InputReader(opts.read ?? readPolicy(opts.root));
  }

  /** `unit`: the caller accounts for the file once it knows whether the unit could be analysed. */
  async load(path: string, unit = false): Promise<ParsedFile | undefined> {
    const known = this.parsed.get(path);
    if (known !== undefined) return known ?? undefined;
    let text = this.given.get(path);
    if (text === undefined) {
      const read = this.reader.readText(path);
      if (!read.ok) {
        if (read.note && read.reason !== 'missing') this.project.note(read.note);
        this.parsed.set(path, null);
        return undefined;
      }
      text = read.text;
    }
    const parsed = await this.project.addFile(path, text);
    this.parsed.set(path, parsed ?? null);
    if (parsed && !unit) this.mark(path, 'analysed');
    return parsed;
  }

  mark(path: string, state: FileAccount['state']): void {
    if (this.states.get(path) !== 'not-analysed') this.states.set(path, state);
  }

  /** Records every file's state in the result. */
  flush(): void {
    for (const [path, state] of this.states) account(this.result, path, FORMAT, state);
  }

  has(path: string): boolean {
    return this.parsed.has(path);
  }
}

function posixPath(p: string): string {
  return p.split(sep).join('/');
}

const FIRST_LINE: Position = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/** Where a unit's module call is shown: its `inputs`, else its terraform block, else its first include. */
function callSite(unit: TerragruntConfig): Position {
  return unit.inputs?.pos ?? (unit.terraform ?? unit.includes[0])?.pos ?? FIRST_LINE;
}

function literalAttribute(name: string, value: string, pos: Position, file: string): Attribute {
  return { name, pos, file, expr: { kind: 'literal', value, pos, start: 0, end: 0, text: JSON.stringify(value) } };
}

/** A module label from the unit's folder name (`eu-west-1/irsa` → `irsa`). */
function labelOf(dir: string): string {
  return basename(dir).replace(/[^A-Za-z0-9_-]/g, '_') || 'unit';
}

class UnitReader {
  private readonly accountedModules = new Set<string>();

  constructor(
    private readonly files: ConfigFiles,
    private readonly project: TerraformProject,
    private readonly opts: CollectOptions,
    private readonly result: CollectResult,
  ) {}

  private warn(unit: TerragruntConfig, kind: CoverageNote['kind'], line: number, message: string): void {
    this.project.note({ kind, level: 'warning', file: unit.file, line, message: `Terragrunt unit ${this.project.rootName(unit.dir)}: ${message}` });
  }

  private notAnalysed(unit: TerragruntConfig, line: number, message: string): undefined {
    this.warn(unit, 'unsupported', line, `${message}; the unit is not analysed`);
    this.files.mark(unit.file, 'not-analysed');
    return undefined;
  }

  /** `parent`: other units lie below this one, so it may be the root configuration they include (the older convention). */
  async read(path: string, called: Set<string>, parent: boolean): Promise<Unit | undefined> {
    const parsed = await this.files.load(path, true);
    if (!parsed) return undefined;
    const unit = readConfig(parsed, 'unit');
    const evaluation = new UnitEvaluation(unit, resolve(this.opts.root), this.opts.limits.maxDepth);
    await this.readIncludes(unit, evaluation);
    await this.readReadConfigs(evaluation);
    const inputs = unitInputs(evaluation);
    const source = await this.moduleSource(unit, evaluation, called, parent);
    const name = this.project.rootName(unit.dir);
    for (const n of unreadSettings(evaluation.configs(), name)) this.project.note(n);
    const hit = evaluation.budget.hit;
    if (hit) this.project.note({ kind: 'limit', level: 'error', file: hit.file ?? unit.file, line: hit.line, message: `Terragrunt unit ${name}: evaluation stopped after ${evaluation.budget.limit} steps; the values not computed by then are unknown` });
    if (!source) return undefined;
    for (const a of inputs.unresolved) this.warn(unit, 'unresolved', a.pos.line, `the inputs of ${this.project.rootName(a.file)} line ${a.pos.line} are not known statically; the module is evaluated without them`);
    this.files.mark(unit.file, 'analysed');
    const call: Block = { type: 'module', labels: [labelOf(unit.dir)], body: { attributes: [...source, ...inputs.arguments], blocks: [] }, pos: callSite(unit), file: unit.file };
    return { file: unit.file, dir: unit.dir, evaluation, call };
  }

  /** The `source` (and `version`) arguments of the unit's module call; undefined when the unit cannot be analysed. */
  private async moduleSource(unit: TerragruntConfig, evaluation: UnitEvaluation, called: Set<string>, parent: boolean): Promise<Attribute[] | undefined> {
    const attr = unit.source ?? evaluation.includes.filter((i) => i.strategy !== 'no_merge').map((i) => i.config.source).find((s) => s !== undefined);
    if (!attr) {
      // No source: Terragrunt runs the unit's own folder.
      if (!(await this.project.loadDir(unit.dir, false))) {
        // A parent terragrunt.hcl with nothing to run is the configuration its children include: it is accounted for when they do.
        return parent ? undefined : this.notAnalysed(unit, 1, 'it has no terraform source and its folder has no .tf files');
      }
      this.useModule(unit.dir, called);
      return [literalAttribute('source', './', callSite(unit), unit.file)];
    }
    const text = toStr(evaluation.evaluate(attr.expr, attr.file));
    if (text === undefined) return this.notAnalysed(unit, attr.pos.line, `its terraform source (${this.project.rootName(attr.file)} line ${attr.pos.line}) is not known statically`);
    const source = unitSource(text, unit.dir);
    if (source.kind === 'module') {
      const args = [literalAttribute('source', source.source, attr.pos, attr.file)];
      if (source.version !== undefined) args.push(literalAttribute('version', source.version, attr.pos, attr.file));
      return args;
    }
    if (!(await this.project.loadDir(source.dir, false))) {
      const why = isInside(source.dir, resolve(this.opts.root)) ? 'it has no .tf files podtrust could read' : 'it lies outside the scan root (--root)';
      return this.notAnalysed(unit, attr.pos.line, `its terraform source ${posixPath(relative(this.opts.root, source.dir)) || '.'} cannot be read: ${why}`);
    }
    this.useModule(source.dir, called);
    const rel = posixPath(relative(unit.dir, source.dir));
    return [literalAttribute('source', rel.startsWith('..') ? rel : `./${rel}`, attr.pos, attr.file)];
  }

  /** A local module folder the unit calls: not a root of its own, and its files are accounted as read. */
  private useModule(dir: string, called: Set<string>): void {
    called.add(dir);
    if (this.accountedModules.has(dir)) return;
    this.accountedModules.add(dir);
    // Files the scan's own Terraform files already accounted (a module inside the scanned tree) are not listed twice.
    const accounted = new Set((this.result.accounts ?? []).map((a) => a.file));
    for (const f of this.project.def(dir).files) if (!accounted.has(f.path)) account(this.result, f.path, 'Terraform', 'analysed');
  }

  private async readIncludes(unit: TerragruntConfig, evaluation: UnitEvaluation): Promise<void> {
    for (const block of unit.includes) {
      const label = block.labels[0] ?? '';
      const pathAttr = attributeOf(block, 'path');
      const path = pathAttr ? toStr(evaluation.evaluate(pathAttr.expr, pathAttr.file)) : undefined;
      const name = label ? `include "${label}"` : 'include';
      if (path === undefined) {
        this.warn(unit, 'unresolved', block.pos.line, `${name}: its path is not known statically (find_in_parent_folders looks no higher than the scan root); its settings are not analysed`);
        continue;
      }
      const abs = isAbsolute(path) ? path : resolve(unit.dir, path);
      const parsed = await this.files.load(abs);
      if (!parsed) {
        this.warn(unit, 'unsupported', block.pos.line, `${name}: ${posixPath(relative(this.opts.root, abs))} cannot be read; its settings are not analysed`);
        continue;
      }
      const strategyAttr = attributeOf(block, 'merge_strategy');
      const strategyValue = strategyAttr ? toStr(evaluation.evaluate(strategyAttr.expr, strategyAttr.file)) : 'shallow';
      let strategy: MergeStrategy = 'shallow';
      if (strategyValue !== undefined && MERGE_STRATEGIES.has(strategyValue)) strategy = strategyValue as MergeStrategy;
      else this.warn(unit, 'unresolved', strategyAttr?.pos.line ?? block.pos.line, `${name}: merge_strategy is not one of shallow, deep, no_merge; merged shallowly`);
      evaluation.addInclude({ label, config: readConfig(parsed, 'included'), block, strategy });
    }
  }

  /** Reads what `read_terragrunt_config` names, until every configuration the unit's values need is read. */
  private async readReadConfigs(evaluation: UnitEvaluation): Promise<void> {
    for (let round = 0; round < MAX_READ_ROUNDS; round++) {
      for (const c of evaluation.configs()) {
        const attrs = [...c.locals.values(), ...c.attributes, ...(c.inputs ? [c.inputs] : []), ...(c.source ? [c.source] : [])];
        for (const a of attrs) evaluation.evaluate(a.expr, a.file);
      }
      if (evaluation.wanted.size === 0) return;
      for (const path of [...evaluation.wanted]) {
        const parsed = await this.files.load(path);
        evaluation.addRead(path, parsed ? readConfig(parsed, 'read') : null);
      }
    }
  }
}

/** Folders with a unit below them (not in them). */
function foldersAbove(unitPaths: string[]): Set<string> {
  const out = new Set<string>();
  for (const path of unitPaths) {
    for (let dir = dirname(dirname(path)); !out.has(dir); dir = dirname(dir)) {
      out.add(dir);
      if (dirname(dir) === dir) break;
    }
  }
  return out;
}

/** The units among `files`; `root.hcl` files that no unit includes are Terragrunt only at the top of a tree of units. */
export async function readUnits(project: TerraformProject, files: SourceFile[], opts: CollectOptions, result: CollectResult): Promise<TerragruntUnits> {
  const terragrunt = files.filter((f) => isTerragruntFile(f.path)).map((f) => (isAbsolute(f.path) ? f : { path: resolve(f.path), text: f.text }));
  const out: TerragruntUnits = { units: [], called: new Set() };
  if (terragrunt.length === 0) return out;
  const configFiles = new ConfigFiles(terragrunt, opts, project, result);
  const reader = new UnitReader(configFiles, project, opts, result);
  const unitPaths = terragrunt.filter((f) => isUnitFile(f.path)).map((f) => f.path).sort();
  const above = foldersAbove(unitPaths);
  for (const path of unitPaths) {
    try {
      const unit = await reader.read(path, out.called, above.has(dirname(path)));
      if (unit) out.units.push(unit);
    } catch (e) {
      // One unit's failure leaves the others whole.
      configFiles.mark(path, 'not-analysed');
      project.note(isStackOverflow(e) ? { kind: 'limit', level: 'error', file: path, line: 1, message: STACK_OVERFLOW_MESSAGE } : internalErrorNote(errorSummary(e), path, 1, 'Terragrunt unit; it is not analysed'));
    }
  }
  for (const f of terragrunt) {
    if (basename(f.path) !== ROOT_FILE || configFiles.has(f.path)) continue;
    if (above.has(dirname(f.path))) await configFiles.load(f.path);
  }
  configFiles.flush();
  return out;
}
