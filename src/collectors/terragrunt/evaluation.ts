/**
 * How a unit's expressions are evaluated: `local.` names the locals of the file the reference is
 * written in, `include.<label>` an included configuration (its locals, inputs and dependencies),
 * `dependency.<name>.outputs` the block's `mock_outputs` (without them, unknown), and Terragrunt's
 * functions answer for the unit even when called from an included parent.
 */
import type { Attribute, Block, Expr, TraversalStep } from '../terraform/ast.js';
import { evaluateOrUnknown } from '../terraform/body.js';
import { EvaluationError } from '../terraform/evaluation-error.js';
import { EvaluationBudget } from '../terraform/evaluation-budget.js';
import type { EvaluationNesting, Origin, Resolver, Scope } from '../terraform/evaluator.js';
import { type ObjectValue, type Value, isObject, isUnknown, mkUnknown, newObject } from '../terraform/values.js';
import { redactNamedValue } from '../../credentials/redact.js';
import { type TerragruntConfig, attributeOf, fileOf, indexExpressions } from './config.js';
import { callTerragruntFunction } from './functions.js';

export type MergeStrategy = 'shallow' | 'deep' | 'no_merge';

export interface IncludedConfig {
  label: string;
  config: TerragruntConfig;
  block: Block;
  strategy: MergeStrategy;
}

/** Roots Terragrunt binds that name nothing podtrust can know (`dependencies`, feature flags, stack values). */
const UNKNOWN_ROOTS = new Set(['dependencies', 'feature', 'values', 'path', 'terraform']);

export class UnitEvaluation implements Resolver {
  readonly includes: IncludedConfig[] = [];
  /** Configurations `read_terragrunt_config` asked for that are not read yet. */
  readonly wanted = new Set<string>();
  /** Synthetic calls that deep-merge an included input with the unit's. */
  readonly deepMerges = new WeakSet<Expr>();
  readonly nesting: EvaluationNesting;
  /** Bounds the evaluation of the unit's own files (the module call is bounded by its root's budget). */
  readonly budget = new EvaluationBudget();
  private readonly owners = new Map<string, TerragruntConfig>();
  private readonly read = new Map<string, TerragruntConfig | null>();
  private readonly localValues = new Map<TerragruntConfig, Map<string, Value>>();
  private readonly evaluating = new Set<Attribute>();
  private readonly building = new Set<TerragruntConfig>();
  /** Each configuration's value, built once however many references read it. */
  private readonly configValues = new Map<TerragruntConfig, ObjectValue>();

  constructor(readonly unit: TerragruntConfig, readonly root: string, maxDepth: number) {
    this.nesting = { depth: 0, max: maxDepth };
    this.own(unit);
  }

  private own(config: TerragruntConfig): void {
    indexExpressions(config.parsed);
    if (!this.owners.has(config.file)) this.owners.set(config.file, config);
  }

  addInclude(include: IncludedConfig): void {
    this.own(include.config);
    this.includes.push(include);
    this.reset();
  }

  /** A configuration read for `read_terragrunt_config`; null when it could not be read. */
  addRead(path: string, config: TerragruntConfig | null): void {
    if (config) this.own(config);
    this.read.set(path, config);
    this.wanted.delete(path);
    this.reset();
  }

  /** Values computed before every configuration was read may be unknown for want of one. */
  reset(): void {
    this.localValues.clear();
    this.configValues.clear();
  }

  /** Every configuration of the unit: the unit, its includes, the files it read. */
  configs(): TerragruntConfig[] {
    const out = [this.unit, ...this.includes.map((i) => i.config)];
    for (const c of this.read.values()) if (c) out.push(c);
    return out;
  }

  ownerOf(expr: Expr): TerragruntConfig {
    const file = fileOf(expr);
    return (file === undefined ? undefined : this.owners.get(file)) ?? this.unit;
  }

  /** Evaluates an expression written in a configuration of this unit, on its own or under a module instance's budget. */
  evaluate(expr: Expr, file: string, resolver: Resolver = this): Value {
    return evaluateOrUnknown(expr, { resolver, bindings: new Map() }, file);
  }

  resolve(root: string, steps: TraversalStep[], scope: Scope, expr: Expr): { value: Value; used: number } | undefined {
    const first = steps[0];
    const name = first?.kind === 'attr' ? first.name : undefined;
    if (UNKNOWN_ROOTS.has(root)) return { value: mkUnknown(expr.text), used: steps.length };
    if (root === 'local') return name === undefined ? undefined : { value: this.local(this.ownerOf(expr), name, scope.resolver), used: 1 };
    if (root === 'dependency') {
      if (name === undefined) return undefined;
      const block = this.dependencies().get(name);
      return block ? { value: this.dependencyValue(block, scope.resolver), used: 1 } : undefined;
    }
    if (root === 'include') {
      const labelled = name === undefined ? undefined : this.includes.find((i) => i.label === name);
      if (labelled) return { value: this.configValue(labelled.config, scope.resolver), used: 1 };
      // The older bare `include { path = ... }`: `include.locals.x`.
      const bare = this.includes.find((i) => i.label === '');
      return bare ? { value: this.configValue(bare.config, scope.resolver), used: 0 } : undefined;
    }
    return undefined;
  }

  /** A unit's own local, to trace a value to the line that writes it; locals of other files are not traced. */
  origin(root: string, steps: TraversalStep[], resolver: Resolver = this): Origin | undefined {
    const first = steps[0];
    if (root !== 'local' || first?.kind !== 'attr') return undefined;
    if (this.configs().some((c) => c !== this.unit && c.locals.has(first.name))) return undefined;
    const attr = this.unit.locals.get(first.name);
    return attr ? { expr: attr.expr, scope: { resolver, bindings: new Map() }, file: attr.file, caller: false, used: 1 } : undefined;
  }

  call(name: string, args: Value[], expr: Expr): Value | undefined {
    if (this.deepMerges.has(expr)) return deepMerge(args[0] ?? null, args[1] ?? null);
    return callTerragruntFunction(name, args, {
      unit: this.unit,
      caller: this.ownerOf(expr),
      root: this.root,
      include: (label) => (label === undefined ? this.includes[0] : this.includes.find((i) => i.label === label))?.config,
      readConfig: (path) => {
        const config = this.read.get(path);
        if (config === undefined) this.wanted.add(path);
        return config ? this.configValue(config, this) : undefined;
      },
    });
  }

  private local(config: TerragruntConfig, name: string, resolver: Resolver): Value {
    let values = this.localValues.get(config);
    if (!values) this.localValues.set(config, (values = new Map()));
    const known = values.get(name);
    if (known !== undefined) return known;
    const attr = config.locals.get(name);
    if (!attr || this.evaluating.has(attr)) return mkUnknown(`local.${name}`);
    this.evaluating.add(attr);
    try {
      const v = redactNamedValue(name, this.evaluate(attr.expr, attr.file, resolver));
      values.set(name, v);
      return v;
    } finally {
      this.evaluating.delete(attr);
    }
  }

  /** `dependency` blocks of the unit and its includes, merged by name (the unit's win). */
  dependencies(): Map<string, Block> {
    const out = new Map<string, Block>();
    for (const i of this.includes) if (i.strategy !== 'no_merge') for (const [k, b] of i.config.dependencies) out.set(k, b);
    for (const [k, b] of this.unit.dependencies) out.set(k, b);
    return out;
  }

  private dependencyValue(block: Block, resolver: Resolver): ObjectValue {
    const mock = attributeOf(block, 'mock_outputs');
    const out = newObject();
    out.outputs = mock ? this.evaluate(mock.expr, mock.file, resolver) : mkUnknown(`dependency.${block.labels[0] ?? ''}.outputs`);
    return out;
  }

  /** A configuration as `include.<label>` and `read_terragrunt_config` expose it. */
  private configValue(config: TerragruntConfig, resolver: Resolver): ObjectValue {
    const built = this.configValues.get(config);
    if (built) return built;
    if (this.building.has(config)) throw new EvaluationError(`${config.file} reads itself`);
    this.building.add(config);
    try {
      const out = newObject();
      for (const a of config.attributes) out[a.name] = this.evaluate(a.expr, a.file, resolver);
      const locals = newObject();
      for (const name of config.locals.keys()) locals[name] = this.local(config, name, resolver);
      out.locals = locals;
      out.inputs = config.inputs ? this.evaluate(config.inputs.expr, config.inputs.file, resolver) : newObject();
      const deps = newObject();
      for (const [name, block] of config.dependencies) deps[name] = this.dependencyValue(block, resolver);
      out.dependency = deps;
      this.configValues.set(config, out);
      return out;
    } finally {
      this.building.delete(config);
    }
  }
}

/** Terragrunt's deep merge: maps merged key by key, lists concatenated, anything else the child's. */
export function deepMerge(parent: Value, child: Value): Value {
  if (isUnknown(parent) || isUnknown(child)) return isObject(child) || Array.isArray(child) || isUnknown(child) ? mkUnknown('deep merge of inputs') : child;
  if (Array.isArray(parent) && Array.isArray(child)) return [...parent, ...child];
  if (isObject(parent) && isObject(child)) {
    const out = newObject();
    for (const [k, v] of Object.entries(parent)) out[k] = v;
    for (const [k, v] of Object.entries(child)) out[k] = k in out ? deepMerge(out[k]!, v) : v;
    return out;
  }
  return child;
}
