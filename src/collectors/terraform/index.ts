/** The Terraform HCL collector: modules evaluated statically, resources in canonical shapes with positions. */
import { dirname, isAbsolute, join as joinPath, relative, resolve, sep } from 'node:path';
import type { ClusterInfo, CoverageNote, JsonValue, Position, PositionMap, Resource } from '../../model/types.js';
import { type CollectOptions, type CollectResult, type SourceFile, emptyResult, mergeResults, withinDepth } from '../types.js';
import { errorSummary, internalErrorNote } from '../isolate.js';
import { EvaluationBudget } from './evaluation-budget.js';
import { isStackOverflow, STACK_OVERFLOW_MESSAGE } from '../../util/nesting.js';
import type { Attribute, Block, ParsedFile } from './ast.js';
import { safeEvaluate } from './body.js';
import type { EvaluationNesting, Scope } from './evaluator.js';
import { parseTerraformFile } from './parse-file.js';
import { isConfigFile, isTfvarsFile, tfvarsRank } from './file-kinds.js';
import { replacedByTofu, replacedNote } from './opentofu-precedence.js';
import { accountTerraformFiles } from './file-accounts.js';
import { mapTerraformResource } from './mapping.js';
import { type Input, type InstanceHost, type ModuleDef, ModuleInstance, type ResourceInstance, defineModule } from './module.js';
import { suppressionComments, suppressionsFor } from './suppressions.js';
import { type Value, isObject, isUnknown, newObject } from './values.js';
import { linkRoleAttachments } from './joins.js';
import { type DownloadedModule, isUnderDotTerraform, readModulesJson } from './modules-json.js';
import { chooseModel, outOfRangeReason } from './models/index.js';
import { modelledInstances, modelledOutput } from './model-calls.js';
import { isLocalSource, sourceOf, versionOf } from './module-call.js';
import { fetchMissingModules, withModuleCache } from './fetch/called-modules.js';
import { shownSource } from './fetch/source.js';
import { aksClusterInfo } from '../azure/cluster.js';
import { unresolvedTrustNotes } from './unresolved-trust.js';
import { viaForElement } from './caller-anchor.js';
import { keepClusterNodeGroups } from './self-managed-nodes.js';
import { InputReader, type RefusalReason, readPolicy } from '../../util/input-reader.js';
import { redactResources } from '../../credentials/redact.js';
import { unresolvedExpansionNote } from './unresolved-expansion.js';
import { type TerragruntUnits, UnitInstance, isTerragruntFile, markModuleOrigins, readUnits } from '../terragrunt/index.js';

export { mapTerraformResource } from './mapping.js';
export { parseHcl } from './hcl-parser.js';

const MAX_DEPTH = 16;

function posix(p: string): string {
  return p.split(sep).join('/');
}

class Project {
  readonly notes: CoverageNote[] = [];
  private readonly parsed = new Map<string, ParsedFile>();
  /** The parsed files of each folder, and the folders holding configuration (not only tfvars). */
  private readonly byDir = new Map<string, ParsedFile[]>();
  private readonly configDirs = new Set<string>();
  private sortedDirs: readonly string[] | undefined;
  private readonly defs = new Map<string, ModuleDef>();
  private readonly noted = new Set<string>();
  private readonly manifests = new Map<string, Map<string, DownloadedModule>>();
  /** `tf:<root>:` per root folder: an id is made for every block, and the relative path costs more than the rest. */
  private readonly idPrefixes = new Map<string, string>();
  /** Module folders that could not be listed, and why. */
  private readonly refused = new Map<string, RefusalReason>();
  /** Registry calls whose downloaded folder was refused: their notes must not say "not downloaded". */
  private readonly unreadCopies = new Set<Block>();
  private readonly reader: InputReader;

  /** Shared by every module instance: evaluation nests across locals, variables and modules alike. */
  private readonly nesting: EvaluationNesting;

  constructor(private readonly opts: CollectOptions) {
    const policy = opts.read ?? readPolicy(opts.root);
    this.reader = new InputReader(opts.modules ? withModuleCache(policy, opts.modules.cacheDir) : policy);
    this.nesting = { depth: 0, max: opts.limits.maxDepth };
  }

  /** Parses one file; a syntax error is a note, and so is an unexpected failure (the file is then left out). */
  async addFile(path: string, text: string): Promise<ParsedFile | undefined> {
    try {
      const f = await parseTerraformFile(path, text, { maxDepth: this.opts.limits.maxDepth });
      this.index(f);
      if (f.error) this.notes.push({ kind: f.error.limit ? 'limit' : 'parse-error', level: 'error', message: f.error.message, file: path, line: f.error.line, column: f.error.column });
      return f;
    } catch (e) {
      if (isStackOverflow(e)) this.notes.push({ kind: 'limit', level: 'error', message: STACK_OVERFLOW_MESSAGE, file: path, line: 1, column: 1 });
      else this.notes.push(internalErrorNote(errorSummary(e), path, 1));
      return undefined;
    }
  }

  private readonly comments = new Map<string, ReturnType<typeof suppressionComments>>();

  /** The suppression comments of a file, read once however many resources it defines. */
  commentsOf(path: string): ReturnType<typeof suppressionComments> | undefined {
    let found = this.comments.get(path);
    if (!found) {
      const text = this.fileText(path);
      if (text === undefined) return undefined;
      found = suppressionComments(text);
      this.comments.set(path, found);
    }
    return found;
  }

  fileText(path: string): string | undefined {
    return this.parsed.get(path)?.text;
  }

  parsedFile(path: string): ParsedFile | undefined {
    return this.parsed.get(path);
  }

  /** Records a parsed file under its path and its folder; a path parsed again replaces its earlier parse. */
  private index(f: ParsedFile): void {
    const dir = dirname(f.path);
    const earlier = this.parsed.get(f.path);
    this.parsed.set(f.path, f);
    const inDir = this.byDir.get(dir) ?? [];
    if (earlier) inDir.splice(inDir.indexOf(earlier), 1);
    inDir.push(f);
    this.byDir.set(dir, inDir);
    if (isConfigFile(f.path)) this.configDirs.add(dir);
    this.sortedDirs = undefined;
  }

  /** Folders with a configuration file, sorted (asked for every module instance: kept until a file is added). */
  moduleDirs(): readonly string[] {
    return (this.sortedDirs ??= [...this.configDirs].sort());
  }

  isModuleDir(dir: string): boolean {
    return this.configDirs.has(dir);
  }

  def(dir: string): ModuleDef {
    let d = this.defs.get(dir);
    if (!d) {
      const files = (this.byDir.get(dir) ?? []).filter((f) => isConfigFile(f.path)).sort((a, b) => (a.path < b.path ? -1 : 1));
      d = defineModule(dir, files);
      this.defs.set(dir, d);
    }
    return d;
  }

  /**
   * Reads a module folder the scan did not include, through the input reader: a folder or file
   * outside the scanned folders (`source = "../../.."`, a link under `.terraform/modules`) is not
   * read. `report`: name a refused folder here (a downloaded module's); a local call's is named at the call.
   */
  async loadDir(dir: string, report: boolean): Promise<boolean> {
    if (this.isModuleDir(dir)) return true;
    const listed = this.reader.listFolder(dir);
    if (!listed.ok) {
      this.refused.set(dir, listed.reason);
      if (report && listed.reason !== 'missing' && listed.note) this.note(listed.note);
      return false;
    }
    let loaded = false;
    let refusedFiles = false;
    const replaced = replacedByTofu(listed.entries.map((e) => joinPath(dir, e.name)));
    for (const entry of listed.entries) {
      if (!isConfigFile(entry.name)) continue;
      const p = joinPath(dir, entry.name);
      const replacement = replaced.get(p);
      if (replacement !== undefined) {
        this.note(replacedNote(p, replacement));
        continue;
      }
      const read = this.reader.readText(p);
      if (read.ok) {
        await this.addFile(p, read.text);
        loaded = true;
      } else {
        refusedFiles = true;
        if (read.note) this.note(read.note);
      }
    }
    // The folder is inside; what was refused is its files.
    if (!loaded && refusedFiles) this.refused.set(dir, 'unreadable');
    return loaded;
  }

  /** The modules `terraform init` downloaded for a root module folder, by call key. */
  manifest(rootDir: string): Map<string, DownloadedModule> {
    let m = this.manifests.get(rootDir);
    if (!m) {
      m = readModulesJson(rootDir, this.reader, (n) => this.note(n));
      this.manifests.set(rootDir, m);
    }
    return m;
  }

  idFor(rootDir: string, address: string): string {
    let prefix = this.idPrefixes.get(rootDir);
    if (prefix === undefined) this.idPrefixes.set(rootDir, (prefix = `tf:${this.rootName(rootDir)}:`));
    return prefix + address;
  }

  /** A root module's folder as reports name it: relative to the scan root, `.` for the root itself. */
  rootName(rootDir: string): string {
    return posix(relative(this.opts.root, rootDir)) || '.';
  }

  /** Loads every local module called from the scanned folders, and every downloaded one, transitively. */
  async loadCalledModules(units: readonly { dir: string; call: Block }[] = []): Promise<Set<string>> {
    if (this.opts.modules) await fetchMissingModules(this, this.opts.modules, units);
    const called = new Set<string>();
    const queue = [...this.moduleDirs()];
    const seen = new Set(queue);
    for (const root of [...queue, ...units.map((u) => u.dir)]) {
      for (const m of this.manifest(root).values()) {
        if (m.dir === root) continue;
        called.add(m.dir);
        if (!seen.has(m.dir)) {
          seen.add(m.dir);
          if (await this.loadDir(m.dir, true)) queue.push(m.dir);
        }
      }
    }
    while (queue.length > 0) {
      const dir = queue.shift()!;
      for (const call of this.def(dir).calls) {
        const source = sourceOf(call);
        if (!source || !isLocalSource(source)) continue;
        const target = resolve(dir, source);
        if (target === dir) continue;
        called.add(target);
        if (!seen.has(target)) {
          seen.add(target);
          if (await this.loadDir(target, false)) queue.push(target);
        }
      }
    }
    return called;
  }

  tfvarsFor(dir: string, budget: EvaluationBudget): Map<string, { value: Value; attr: Attribute }> {
    const out = new Map<string, { value: Value; attr: Attribute }>();
    const files = (this.byDir.get(dir) ?? []).filter((f) => isTfvarsFile(f.path));
    files.sort((a, b) => tfvarsRank(a.path) - tfvarsRank(b.path) || (a.path < b.path ? -1 : 1));
    const empty = new ModuleInstance(defineModule(dir, []), '', undefined, new Map(), this.host(dir, [], budget), undefined);
    for (const f of files) for (const a of f.body.attributes) out.set(a.name, { value: safeEvaluate(a, empty.scope), attr: a });
    return out;
  }

  host(rootDir: string, stack: string[], budget: EvaluationBudget, keys: string[] = []): InstanceHost {
    return {
      budget,
      idFor: (address) => this.idFor(rootDir, address),
      fileText: (file) => this.fileText(file),
      note: (n) => this.note(n),
      nesting: this.nesting,
      externalOutput: (parent, call, name) => {
        const source = sourceOf(call);
        if (source === undefined || isLocalSource(source)) return undefined;
        const choice = chooseModel(source, versionOf(call));
        if (choice.kind !== 'model') return undefined;
        const prefix = `${parent.prefix}module.${call.labels[0]}.`;
        return modelledOutput({ call, prefix, scope: parent.scope, choice, idFor: (a) => this.idFor(rootDir, a) }, name);
      },
      child: (parent, call, key, inputs) => {
        const source = sourceOf(call) ?? '';
        const callKeys = [...keys, call.labels[0] ?? ''];
        let target: string;
        if (isLocalSource(source)) target = resolve(parent.def.dir, source);
        else {
          const downloaded = this.manifest(rootDir).get(callKeys.join('.'));
          if (!downloaded || !this.isModuleDir(downloaded.dir)) {
            if (downloaded && this.refused.has(downloaded.dir)) this.unreadCopies.add(call);
            return undefined;
          }
          target = downloaded.dir;
        }
        if (stack.includes(target) || stack.length > MAX_DEPTH) {
          this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (${source}) is not analysed: it calls itself (cycle)`, file: call.file, line: call.pos.line });
          return undefined;
        }
        if (!this.isModuleDir(target)) {
          this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (${source}) is not analysed: ${this.refused.get(target) === 'outside' ? 'its folder is outside the scan root (--root)' : 'its folder has no .tf, .tf.json or .tofu files podtrust could read'}`, file: call.file, line: call.pos.line });
          return undefined;
        }
        const suffix = key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(String(key))}]`;
        const via = parent.via ? viaForElement(parent.via, call, key, parent.scope) : { file: call.file, position: call.pos, module: `module.${call.labels[0]}${suffix}` };
        return new ModuleInstance(this.def(target), `${parent.prefix}module.${call.labels[0]}${suffix}.`, inputs, new Map(), this.host(rootDir, [...stack, target], budget, callKeys), via);
      },
    };
  }

  note(n: CoverageNote): void {
    const key = `${n.file}:${n.line}:${n.message}`;
    if (this.noted.has(key)) return;
    this.noted.add(key);
    this.notes.push(n);
  }

  /** Instances of a module and, through local calls, of the modules it calls. */
  collect(instance: ModuleInstance, out: ResourceInstance[], rootDir: string, depth = 0): void {
    instance.instances(out);
    if (depth > MAX_DEPTH) return;
    for (const call of instance.def.calls) {
      const source = sourceOf(call);
      if (source === undefined) {
        this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (unknown source) is not analysed: its source is not a literal`, file: call.file, line: call.pos.line });
        continue;
      }
      let analysed = false;
      const expansions = instance.expand(call, instance.scope);
      const unresolved = expansions[0]?.unresolved;
      if (unresolved) this.note(unresolvedExpansionNote(`module.${call.labels[0] ?? ''}`, instance.prefix, unresolved.attr, unresolved.value, instance.via));
      for (const { scope, key } of expansions) {
        const child = instance.childFor(call, key, scope);
        if (child) {
          analysed = true;
          this.collect(child, out, rootDir, depth + 1);
        }
      }
      if (analysed || isLocalSource(source)) continue;
      this.collectModelled(instance, call, source, expansions, out, rootDir);
    }
  }

  /** A registry call that is not downloaded: evaluated with podtrust's model of the module, or named in a note. */
  private collectModelled(instance: ModuleInstance, call: Block, source: string, expansions: { suffix: string; scope: Scope }[], out: ResourceInstance[], rootDir: string): void {
    const name = call.labels[0] ?? '';
    // A call inside a downloaded module is named at the caller's line (files under .terraform are never a location).
    const cached = instance.via !== undefined && isUnderDotTerraform(call.file);
    const where = cached ? { file: instance.via!.file, line: instance.via!.position.line } : { file: call.file, line: call.pos.line };
    const label = cached ? `module "${name}" in ${instance.prefix.slice(0, -1)}` : `module "${name}"`;
    const version = versionOf(call);
    const shown = shownSource(source);
    const constraint = version === undefined ? 'no version constraint' : `version "${version}"`;
    const choice = chooseModel(source, version);
    const unread = this.unreadCopies.has(call);
    if (choice.kind === 'none') {
      const why = unread ? 'its downloaded folder was not read (see the note on it)' : 'it is not downloaded (run terraform init)';
      this.note({ kind: 'module', level: 'warning', message: `${label} (${shown}) is not analysed: ${why} and podtrust has no model of it (${constraint})`, ...where });
      return;
    }
    if (choice.kind === 'out-of-range') {
      this.note({ kind: 'module', level: 'warning', message: `${label} (${shown}) is not analysed: ${unread ? 'its downloaded folder was not read' : 'it is not downloaded'} and ${outOfRangeReason(choice)} (${constraint})`, ...where });
      return;
    }
    for (const { suffix, scope } of expansions) {
      const prefix = `${instance.prefix}module.${name}${suffix}.`;
      const unread = (reason: string) => this.note({ kind: 'module', level: 'warning', message: `${label} (${shown}) is not analysed: ${reason}`, ...where });
      const undecided = (what: string) => this.note({ kind: 'unresolved', level: 'note', message: `${label} (${shown}): ${what}`, ...where });
      const m = { call, prefix, scope, choice, unread, undecided, idFor: (a: string) => this.idFor(rootDir, a), ...(instance.via ? { outerVia: instance.via } : {}) };
      out.push(...modelledInstances(m));
    }
    const how = choice.assumed ? `v${choice.major}, assumed: the version constraint does not decide the major version` : `v${choice.major}`;
    this.note({ kind: 'module', level: 'note', message: `${label} (${shown}) is analysed with podtrust's model of ${choice.label} (${how}; ${constraint})`, ...where });
  }
}

function stripSameFile(positions: PositionMap, file: string): PositionMap {
  const out: PositionMap = Object.create(null) as PositionMap;
  for (const p in positions) {
    const pos = positions[p]!;
    const copy: Position = { line: pos.line, column: pos.column, endLine: pos.endLine, endColumn: pos.endColumn };
    if (pos.file !== undefined && pos.file !== file) copy.file = pos.file;
    out[p] = copy;
  }
  return out;
}

function toResource(inst: ResourceInstance, notes: CoverageNote[], project: Project, reported: Set<string>): Resource | undefined {
  const mapped = mapTerraformResource(inst.type, { id: inst.id, address: inst.address, values: inst.values, positions: inst.positions });
  if (!mapped) return undefined;
  const file = inst.block.file;
  const resource: Resource = {
    id: inst.id,
    type: mapped.type,
    name: mapped.name,
    file,
    format: 'terraform',
    address: inst.address,
    body: mapped.body,
    positions: stripSameFile(mapped.positions, file),
  };
  if (mapped.namespace !== undefined) resource.namespace = mapped.namespace;
  if (inst.via) resource.via = inst.assumption ? { ...inst.via, assumption: inst.assumption } : inst.via;
  if (inst.generated) resource.generated = inst.generated;
  const comments = project.commentsOf(file);
  if (comments !== undefined) {
    const sup = suppressionsFor(file, mapped.positions, comments, notes, reported);
    if (sup.length > 0) resource.suppressions = sup;
  }
  return resource;
}

/**
 * A resource defined in a downloaded module is shown at its caller: every position inside `.terraform/`
 * (a module default, the module's own blocks) becomes the outermost module call, and the module's own
 * block is kept as a related location.
 */
const CONDITION_KEY = /^\/AssumeRolePolicyDocument\/Statement\/\d+\/Condition\/[^/]+\/[^/]+$/;

function conditionValuesInModule(r: Resource, key: string, inModule: (pos: { file?: string }) => boolean): boolean {
  const values = Object.entries(r.positions).filter(([p]) => p.startsWith(`${key}/`) && /^\d+$/.test(p.slice(key.length + 1)));
  return values.length > 0 && values.every(([, pos]) => inModule(pos));
}

function anchorAtCaller(r: Resource): void {
  if (!r.via) return;
  const via = r.via;
  const defined = r.file;
  const moved = isUnderDotTerraform(defined);
  if (!moved && !Object.values(r.positions).some((p) => p.file !== undefined && isUnderDotTerraform(p.file))) return;
  if (moved) {
    const own = r.positions[''];
    if (own) r.via = { ...via, definedAt: { file: defined, position: { line: own.line, column: own.column, endLine: own.endLine, endColumn: own.endColumn } } };
    r.file = via.file;
  }
  const inModule = (pos: { file?: string }): boolean => isUnderDotTerraform(pos.file ?? defined);
  for (const [p, pos] of Object.entries(r.positions)) {
    // A condition whose values are written in the module itself (the IRSA modules' `aud`) is the module's, not the
    // caller's, even when its key is built from a value the caller wrote (a provider ARN).
    if (CONDITION_KEY.test(p) && (inModule(pos) || conditionValuesInModule(r, p, inModule))) (r.generated ??= []).push(p);
  }
  for (const [p, pos] of Object.entries(r.positions)) {
    const file = pos.file ?? defined;
    const region: Position = isUnderDotTerraform(file)
      ? { line: via.position.line, column: via.position.column, endLine: via.position.endLine, endColumn: via.position.endColumn }
      : { line: pos.line, column: pos.column, endLine: pos.endLine, endColumn: pos.endColumn };
    const target = isUnderDotTerraform(file) ? via.file : file;
    if (target !== r.file) region.file = target;
    r.positions[p] = region;
  }
}

function clusterOf(r: Resource): ClusterInfo {
  const body = r.body as { name?: JsonValue };
  return { name: typeof body.name === 'string' ? body.name : r.address ?? r.name, provider: 'aws', resourceId: r.id };
}

/** Collects every Terraform/OpenTofu file given (native or JSON syntax, and tfvars); local modules are evaluated through their callers. */
export async function collectTerraform(files: SourceFile[], opts: CollectOptions): Promise<CollectResult> {
  const project = new Project(opts);
  const result: CollectResult = { resources: [], clusters: [], notes: project.notes };
  const replaced = replacedByTofu(files.map((f) => f.path));
  for (const f of files) {
    if (isTerragruntFile(f.path)) continue;
    const replacement = replaced.get(f.path);
    if (replacement !== undefined) project.note(replacedNote(f.path, replacement));
    else await project.addFile(isAbsolute(f.path) ? f.path : resolve(f.path), f.text);
  }
  accountTerraformFiles(result, files.filter((f) => !isTerragruntFile(f.path)), replaced, (p) => project.parsedFile(isAbsolute(p) ? p : resolve(p)));
  let called: Set<string>;
  let terragrunt: TerragruntUnits;
  try {
    terragrunt = await readUnits(project, files, opts, result);
    called = await project.loadCalledModules(terragrunt.units);
    for (const dir of terragrunt.called) called.add(dir);
  } catch (e) {
    project.notes.push(internalErrorNote(errorSummary(e), files[0]?.path, undefined, 'reading the called Terraform modules'));
    return result;
  }
  const reported = new Set<string>();
  for (const dir of project.moduleDirs()) {
    if (called.has(dir)) continue;
    collectRoot(project, dir, reported, result);
  }
  for (const unit of terragrunt.units) {
    const part = emptyResult();
    collectRoot(project, unit.dir, reported, part, (budget) => new UnitInstance(unit.call, project.host(unit.dir, [], budget), unit.evaluation));
    markModuleOrigins(part.resources);
    mergeResults(result, part);
  }
  // Secret values never enter the inventory: only redacted evidence of credentials does.
  redactResources(result.resources);
  return withinDepth(result, opts.limits);
}

/**
 * One root module (with the modules it calls) into resources: its own evaluation budget, and its
 * own boundary, so an unexpected failure in one root leaves the other roots' results whole.
 */
function collectRoot(project: Project, dir: string, reported: Set<string>, into: CollectResult, unitRoot?: (budget: EvaluationBudget) => ModuleInstance): void {
  const budget = new EvaluationBudget();
  const folder = project.rootName(dir);
  try {
    const root = unitRoot?.(budget) ?? new ModuleInstance(project.def(dir), '', undefined, project.tfvarsFor(dir, budget), project.host(dir, [dir], budget));
    const instances: ResourceInstance[] = [];
    project.collect(root, instances, dir);
    const resources: Resource[] = [];
    const clusters: ClusterInfo[] = [];
    for (const inst of instances) {
      const r = toResource(inst, project.notes, project, reported);
      if (!r) continue;
      resources.push(r);
      if (r.type === 'aws.eks.Cluster') clusters.push(clusterOf(r));
      else if (r.type === 'azure.aks.ManagedCluster') clusters.push(aksClusterInfo(r));
    }
    linkRoleAttachments(instances, resources);
    const kept = keepClusterNodeGroups(instances, resources, (n) => project.note(n));
    resources.splice(0, resources.length, ...kept);
    for (const r of resources) anchorAtCaller(r);
    for (const n of unresolvedTrustNotes(resources)) project.note(n);
    mergeResults(into, { resources, clusters, notes: [] });
  } catch (e) {
    const file = budget.failed?.file ?? project.def(dir).files[0]?.path ?? dir;
    const line = budget.failed?.line;
    if (isStackOverflow(e)) {
      // Input, not a programming error: references that lead through too many others (a chain of a thousand locals).
      project.notes.push({ kind: 'limit', level: 'error', file, ...(line ? { line } : {}), message: `Terraform root ${folder}: references nested too deeply to evaluate; its resources are not analysed` });
    } else {
      project.notes.push(internalErrorNote(errorSummary(e), file, line, `Terraform root ${folder}; its resources are not analysed`));
    }
  }
  if (budget.hit) {
    project.notes.push({
      kind: 'limit',
      level: 'error',
      file: budget.hit.file ?? dir,
      line: budget.hit.line,
      message: `Terraform root ${folder}: evaluation stopped after ${budget.limit} steps (the limit per root module); the values not computed by then are unknown`,
    });
  }
}

export { isObject, isUnknown, newObject };
export type { Input };
