/** The Terraform HCL collector: modules evaluated statically, resources in canonical shapes with positions. */
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join as joinPath, relative, resolve, sep } from 'node:path';
import type { ClusterInfo, CoverageNote, JsonValue, Position, PositionMap, Resource } from '../../model/types.js';
import type { CollectOptions, CollectResult, SourceFile } from '../types.js';
import type { Attribute, Block, ParsedFile } from './ast.js';
import { safeEvaluate } from './body.js';
import type { Scope } from './evaluator.js';
import { parseHcl } from './hcl-parser.js';
import { mapTerraformResource } from './mapping.js';
import { type Input, type InstanceHost, type ModuleDef, ModuleInstance, type ResourceInstance, defineModule } from './module.js';
import { suppressionComments, suppressionsFor } from './suppressions.js';
import { type Value, isObject, isUnknown, newObject } from './values.js';
import { linkRoleAttachments } from './joins.js';
import { type DownloadedModule, isUnderDotTerraform, readModulesJson } from './modules-json.js';
import { chooseModel } from './models/index.js';
import { modelledInstances, modelledOutput } from './model-calls.js';
import { aksClusterInfo } from '../azure/cluster.js';
import { unresolvedTrustNotes } from './unresolved-trust.js';
import { redactResources } from '../../credentials/redact.js';

export { mapTerraformResource } from './mapping.js';
export { parseHcl } from './hcl-parser.js';

const MAX_DEPTH = 16;

function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}

function sourceOf(call: Block): string | undefined {
  const a = call.body.attributes.find((x) => x.name === 'source');
  return a?.expr.kind === 'literal' && typeof a.expr.value === 'string' ? a.expr.value : undefined;
}

function versionOf(call: Block): string | undefined {
  const a = call.body.attributes.find((x) => x.name === 'version');
  return a?.expr.kind === 'literal' && typeof a.expr.value === 'string' ? a.expr.value : undefined;
}

function isTfvars(path: string): boolean {
  const b = basename(path);
  return b === 'terraform.tfvars' || b.endsWith('.auto.tfvars');
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

function isInsideRoot(dir: string, root: string): boolean {
  let real = dir;
  try {
    real = realpathSync(dir);
  } catch {
    // a missing folder is handled by the caller
  }
  const rel = relative(realpathOrSelf(root), real);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function realpathOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

class Project {
  readonly notes: CoverageNote[] = [];
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly defs = new Map<string, ModuleDef>();
  private readonly noted = new Set<string>();
  private readonly manifests = new Map<string, Map<string, DownloadedModule>>();
  /** `tf:<root>:` per root folder: an id is made for every block, and the relative path costs more than the rest. */
  private readonly idPrefixes = new Map<string, string>();

  constructor(private readonly opts: CollectOptions) {}

  async addFile(path: string, text: string): Promise<ParsedFile | undefined> {
    try {
      const f = await parseHcl(path, text);
      this.parsed.set(path, f);
      if (f.error) this.notes.push({ kind: 'parse-error', level: 'error', message: f.error.message, file: path, line: f.error.line, column: f.error.column });
      return f;
    } catch (e) {
      this.notes.push({ kind: 'parse-error', level: 'error', message: `cannot parse HCL: ${(e as Error).message}`, file: path, line: 1, column: 1 });
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

  moduleDirs(): string[] {
    const dirs = new Set<string>();
    for (const p of this.parsed.keys()) if (p.endsWith('.tf')) dirs.add(dirname(p));
    return [...dirs].sort();
  }

  def(dir: string): ModuleDef {
    let d = this.defs.get(dir);
    if (!d) {
      const files = [...this.parsed.values()].filter((f) => dirname(f.path) === dir && f.path.endsWith('.tf')).sort((a, b) => (a.path < b.path ? -1 : 1));
      d = defineModule(dir, files);
      this.defs.set(dir, d);
    }
    return d;
  }

  /** Reads a local module folder that the scan did not include. */
  async loadDir(dir: string): Promise<boolean> {
    if (this.moduleDirs().includes(dir)) return true;
    // A module source that leaves the root (`source = "../../.."`) is not read: an untrusted
    // repository must not make the scanner read files outside what it was asked to scan.
    if (!isInsideRoot(dir, this.opts.root)) {
      return false;
    }
    let names: string[];
    try {
      if (!statSync(dir).isDirectory()) return false;
      names = readdirSync(dir).filter((n) => n.endsWith('.tf')).sort();
    } catch {
      return false;
    }
    for (const n of names) {
      const p = joinPath(dir, n);
      try {
        await this.addFile(p, readFileSync(p, 'utf8'));
      } catch {
        // unreadable files are skipped like missing ones
      }
    }
    return names.length > 0;
  }

  /** The modules `terraform init` downloaded for a root module folder, by call key. */
  manifest(rootDir: string): Map<string, DownloadedModule> {
    let m = this.manifests.get(rootDir);
    if (!m) {
      m = readModulesJson(rootDir);
      this.manifests.set(rootDir, m);
    }
    return m;
  }

  idFor(rootDir: string, address: string): string {
    let prefix = this.idPrefixes.get(rootDir);
    if (prefix === undefined) this.idPrefixes.set(rootDir, (prefix = `tf:${posix(relative(this.opts.root, rootDir)) || '.'}:`));
    return prefix + address;
  }

  /** Loads every local module called from the scanned folders, and every downloaded one, transitively. */
  async loadCalledModules(): Promise<Set<string>> {
    const called = new Set<string>();
    const queue = this.moduleDirs();
    const seen = new Set(queue);
    for (const root of [...queue]) {
      for (const m of this.manifest(root).values()) {
        if (m.dir === root) continue;
        called.add(m.dir);
        if (!seen.has(m.dir)) {
          seen.add(m.dir);
          if (await this.loadDir(m.dir)) queue.push(m.dir);
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
          if (await this.loadDir(target)) queue.push(target);
        }
      }
    }
    return called;
  }

  tfvarsFor(dir: string): Map<string, { value: Value; attr: Attribute }> {
    const out = new Map<string, { value: Value; attr: Attribute }>();
    const files = [...this.parsed.values()].filter((f) => dirname(f.path) === dir && isTfvars(f.path));
    files.sort((a, b) => {
      const rank = (f: ParsedFile) => (basename(f.path) === 'terraform.tfvars' ? 0 : 1);
      return rank(a) - rank(b) || (a.path < b.path ? -1 : 1);
    });
    const empty = new ModuleInstance(defineModule(dir, []), '', undefined, new Map(), this.host(dir, []), undefined);
    for (const f of files) for (const a of f.body.attributes) out.set(a.name, { value: safeEvaluate(a, empty.scope), attr: a });
    return out;
  }

  host(rootDir: string, stack: string[], keys: string[] = []): InstanceHost {
    return {
      idFor: (address) => this.idFor(rootDir, address),
      fileText: (file) => this.fileText(file),
      note: (n) => this.note(n),
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
          if (!downloaded || !this.moduleDirs().includes(downloaded.dir)) return undefined;
          target = downloaded.dir;
        }
        if (stack.includes(target) || stack.length > MAX_DEPTH) {
          this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (${source}) is not analysed: it calls itself (cycle)`, file: call.file, line: call.pos.line });
          return undefined;
        }
        if (!this.moduleDirs().includes(target)) {
          this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (${source}) is not analysed: ${isInsideRoot(target, this.opts.root) ? 'its folder has no .tf files' : 'its folder is outside the scan root (--root)'}`, file: call.file, line: call.pos.line });
          return undefined;
        }
        const suffix = key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(String(key))}]`;
        const via = parent.via ?? { file: call.file, position: call.pos, module: `module.${call.labels[0]}${suffix}` };
        return new ModuleInstance(this.def(target), `${parent.prefix}module.${call.labels[0]}${suffix}.`, inputs, new Map(), this.host(rootDir, [...stack, target], callKeys), via);
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
    const version = versionOf(call);
    const shown = source;
    const constraint = version === undefined ? 'no version constraint' : `version "${version}"`;
    const choice = chooseModel(source, version);
    if (choice.kind === 'none') {
      this.note({ kind: 'module', level: 'warning', message: `module "${name}" (${shown}) is not analysed: it is not downloaded (run terraform init) and podtrust has no model of it (${constraint})`, file: call.file, line: call.pos.line });
      return;
    }
    if (choice.kind === 'out-of-range') {
      this.note({ kind: 'module', level: 'warning', message: `module "${name}" (${shown}) is not analysed: it is not downloaded and podtrust models ${choice.label} only for major versions ${choice.modelled.join(', ')} (${constraint})`, file: call.file, line: call.pos.line });
      return;
    }
    for (const { suffix, scope } of expansions) {
      const prefix = `${instance.prefix}module.${name}${suffix}.`;
      const m = { call, prefix, scope, choice, idFor: (a: string) => this.idFor(rootDir, a), ...(instance.via ? { outerVia: instance.via } : {}) };
      out.push(...modelledInstances(m));
    }
    const how = choice.assumed ? `v${choice.major}, assumed: the version constraint does not decide the major version` : `v${choice.major}`;
    this.note({ kind: 'module', level: 'note', message: `module "${name}" (${shown}) is analysed with podtrust's model of ${choice.label} (${how}; ${constraint})`, file: call.file, line: call.pos.line });
  }
}

function stripSameFile(positions: PositionMap, file: string): PositionMap {
  const out: PositionMap = Object.create(null) as PositionMap;
  for (const [p, pos] of Object.entries(positions)) {
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
  for (const [p, pos] of Object.entries(r.positions)) {
    const file = pos.file ?? defined;
    // A condition whose values are written in the module itself (the IRSA modules' `aud`) is the module's, not the caller's.
    if (CONDITION_KEY.test(p) && isUnderDotTerraform(file)) (r.generated ??= []).push(p);
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

/** Collects every `.tf` / `.tfvars` file given; local modules are evaluated through their callers. */
export async function collectTerraform(files: SourceFile[], opts: CollectOptions): Promise<CollectResult> {
  const project = new Project(opts);
  const result: CollectResult = { resources: [], clusters: [], notes: project.notes };
  try {
    for (const f of files) {
      const path = isAbsolute(f.path) ? f.path : resolve(f.path);
      await project.addFile(path, f.text);
    }
    const called = await project.loadCalledModules();
    const instances: ResourceInstance[] = [];
    for (const dir of project.moduleDirs()) {
      if (called.has(dir)) continue;
      const host = project.host(dir, [dir]);
      const root = new ModuleInstance(project.def(dir), '', undefined, project.tfvarsFor(dir), host);
      // Each root has its own instance budget: roots scanned together do not share one.
      const ofRoot: ResourceInstance[] = [];
      project.collect(root, ofRoot, dir);
      for (const inst of ofRoot) instances.push(inst);
    }
    const reported = new Set<string>();
    for (const inst of instances) {
      const r = toResource(inst, project.notes, project, reported);
      if (!r) continue;
      result.resources.push(r);
      if (r.type === 'aws.eks.Cluster') result.clusters.push(clusterOf(r));
      else if (r.type === 'azure.aks.ManagedCluster') result.clusters.push(aksClusterInfo(r));
    }
    linkRoleAttachments(instances, result.resources);
    for (const r of result.resources) anchorAtCaller(r);
    for (const n of unresolvedTrustNotes(result.resources)) project.note(n);
  } catch (e) {
    project.notes.push({ kind: 'parse-error', level: 'error', message: `Terraform evaluation failed: ${(e as Error).message}`, line: 1, column: 1 });
  }
  // Secret values never enter the inventory: only redacted evidence of credentials does.
  redactResources(result.resources);
  return result;
}

export { isObject, isUnknown, newObject };
export type { Input };
