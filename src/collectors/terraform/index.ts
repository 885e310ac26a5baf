/** The Terraform HCL collector: modules evaluated statically, resources in canonical shapes with positions. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join as joinPath, relative, resolve, sep } from 'node:path';
import type { ClusterInfo, CoverageNote, JsonValue, Position, PositionMap, Resource } from '../../model/types.js';
import type { CollectOptions, CollectResult, SourceFile } from '../types.js';
import type { Attribute, Block, ParsedFile } from './ast.js';
import { safeEvaluate } from './body.js';
import { parseHcl } from './hcl-parser.js';
import { mapTerraformResource } from './mapping.js';
import { type Input, type InstanceHost, type ModuleDef, ModuleInstance, type ResourceInstance, defineModule } from './module.js';
import { suppressionComments, suppressionsFor } from './suppressions.js';
import { type Value, isObject, isUnknown, newObject } from './values.js';
import { linkRoleAttachments } from './joins.js';

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

function isTfvars(path: string): boolean {
  const b = basename(path);
  return b === 'terraform.tfvars' || b.endsWith('.auto.tfvars');
}

function posix(p: string): string {
  return p.split(sep).join('/');
}

class Project {
  readonly notes: CoverageNote[] = [];
  private readonly parsed = new Map<string, ParsedFile>();
  private readonly defs = new Map<string, ModuleDef>();
  private readonly noted = new Set<string>();

  constructor(private readonly opts: CollectOptions) {}

  async addFile(path: string, text: string): Promise<ParsedFile | undefined> {
    try {
      const f = await parseHcl(path, text);
      this.parsed.set(path, f);
      if (f.error) this.notes.push({ kind: 'parse-error', level: 'error', message: `${f.error.message} in ${path}`, file: path, line: f.error.line, column: f.error.column });
      return f;
    } catch (e) {
      this.notes.push({ kind: 'parse-error', level: 'error', message: `cannot parse ${path}: ${(e as Error).message}`, file: path, line: 1, column: 1 });
      return undefined;
    }
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

  /** Loads every local module called from the scanned folders, transitively. */
  async loadCalledModules(): Promise<Set<string>> {
    const called = new Set<string>();
    const queue = this.moduleDirs();
    const seen = new Set(queue);
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

  host(rootDir: string, stack: string[]): InstanceHost {
    const rel = posix(relative(this.opts.root, rootDir)) || '.';
    return {
      idFor: (address) => `tf:${rel}:${address}`,
      fileText: (file) => this.fileText(file),
      child: (parent, call, key, inputs) => {
        const source = sourceOf(call) ?? '';
        const target = resolve(parent.def.dir, source);
        if (stack.includes(target) || stack.length > MAX_DEPTH) {
          this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (${source}) is not analysed: it calls itself (cycle)`, file: call.file, line: call.pos.line });
          return undefined;
        }
        if (!this.moduleDirs().includes(target)) {
          this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (${source}) is not analysed: its folder has no .tf files`, file: call.file, line: call.pos.line });
          return undefined;
        }
        const suffix = key === undefined ? '' : typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(String(key))}]`;
        const via = parent.via ?? { file: call.file, position: call.pos, module: `module.${call.labels[0]}${suffix}` };
        return new ModuleInstance(this.def(target), `${parent.prefix}module.${call.labels[0]}${suffix}.`, inputs, new Map(), this.host(rootDir, [...stack, target]), via);
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
  collect(instance: ModuleInstance, out: ResourceInstance[], depth = 0): void {
    instance.instances(out);
    if (depth > MAX_DEPTH) return;
    for (const call of instance.def.calls) {
      const source = sourceOf(call);
      if (source === undefined) {
        this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (unknown source) is not analysed: its source is not a literal`, file: call.file, line: call.pos.line });
        continue;
      }
      if (!isLocalSource(source)) {
        this.note({ kind: 'module', level: 'warning', message: `module "${call.labels[0]}" (${source}) is not analysed: only local modules are evaluated`, file: call.file, line: call.pos.line });
        continue;
      }
      for (const { scope, key } of instance.expand(call, instance.scope)) {
        const child = instance.childFor(call, key, scope);
        if (child) this.collect(child, out, depth + 1);
      }
    }
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
  if (inst.via) resource.via = inst.via;
  const text = project.fileText(file);
  if (text !== undefined) {
    const sup = suppressionsFor(file, mapped.positions, suppressionComments(text), notes, reported);
    if (sup.length > 0) resource.suppressions = sup;
  }
  return resource;
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
      project.collect(root, instances);
    }
    const reported = new Set<string>();
    for (const inst of instances) {
      const r = toResource(inst, project.notes, project, reported);
      if (!r) continue;
      result.resources.push(r);
      if (r.type === 'aws.eks.Cluster') result.clusters.push(clusterOf(r));
    }
    linkRoleAttachments(instances, result.resources);
  } catch (e) {
    project.notes.push({ kind: 'parse-error', level: 'error', message: `Terraform evaluation failed: ${(e as Error).message}`, line: 1, column: 1 });
  }
  return result;
}

export { isObject, isUnknown, newObject };
export type { Input };
