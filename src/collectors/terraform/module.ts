/** Terraform modules: their definitions, instances with inputs, and how references resolve. */
import { redactNamedValue } from '../../credentials/redact.js';
import { findAccessKeyIds } from '../../credentials/aws.js';
import type { CoverageNote, Position, PositionMap, Unknown } from '../../model/types.js';
import type { Attribute, Block, Expr, ParsedFile, TraversalStep } from './ast.js';
import { evalBody, evaluateOrUnknown, safeEvaluate } from './body.js';
import { orElse } from './evaluation-error.js';
import { type EvaluationNesting, type Origin, type Resolver, type Scope, applySteps, childScope, entries, evaluate } from './evaluator.js';
import type { EvaluationBudget } from './evaluation-budget.js';
import { type RenderedPolicy, renderPolicyDocument } from './policy-document.js';
import { conform, parseType, shapesValues } from './variable-type.js';
import { viaForElement } from './caller-anchor.js';
import { NOT_INPUTS } from './module-call.js';
import { unresolvedExpansionNote } from './unresolved-expansion.js';
import { type ObjectValue, type Value, encodedValue, isUnknown, mkUnknown, newObject, toJson, containsUnknownValue, templatePieces, toNum, toStr } from './values.js';

export interface ModuleDef {
  dir: string;
  files: ParsedFile[];
  variables: Map<string, Block>;
  locals: Map<string, Attribute>;
  outputs: Map<string, Block>;
  resources: Block[];
  data: Block[];
  calls: Block[];
}

const keyIdsInModules = new WeakMap<ModuleDef, boolean>();

/** Whether an access key id is written in a module's files: read once per module, not per instance. */
function keyIdInFiles(def: ModuleDef): boolean {
  let found = keyIdsInModules.get(def);
  if (found === undefined) keyIdsInModules.set(def, (found = def.files.some((f) => findAccessKeyIds(f.text).length > 0)));
  return found;
}

export function defineModule(dir: string, files: ParsedFile[]): ModuleDef {
  const def: ModuleDef = { dir, files, variables: new Map(), locals: new Map(), outputs: new Map(), resources: [], data: [], calls: [] };
  for (const f of files) {
    for (const b of f.body.blocks) {
      if (b.type === 'variable' && b.labels[0]) def.variables.set(b.labels[0], b);
      else if (b.type === 'output' && b.labels[0]) def.outputs.set(b.labels[0], b);
      else if (b.type === 'locals') for (const a of b.body.attributes) def.locals.set(a.name, a);
      else if (b.type === 'resource' && b.labels.length >= 2) def.resources.push(b);
      else if (b.type === 'data' && b.labels.length >= 2) def.data.push(b);
      else if (b.type === 'module' && b.labels[0]) def.calls.push(b);
    }
  }
  return def;
}

/** A value passed to a module variable: the caller's expression, evaluated in the caller's scope. */
export interface Input {
  expr: Expr;
  scope: Scope;
  file: string;
}

export interface ResourceInstance {
  mode: 'resource' | 'data';
  type: string;
  /** Full address, `module.a.aws_iam_role.r[0]`. */
  address: string;
  id: string;
  block: Block;
  values: ObjectValue;
  positions: PositionMap;
  /** The module call this instance is evaluated through (outermost), if any. */
  via?: { file: string; position: Position; module: string };
  /** Canonical-body pointers of values a modelled module generates itself. */
  generated?: string[];
  /** The module version a model assumed, when the version constraint did not decide it. */
  assumption?: string;
}

export interface InstanceHost {
  /** Inventory id for an address evaluated from this root. */
  idFor(address: string): string;
  /** Creates (or refuses, on a cycle) the instance of a called module. */
  child(parent: ModuleInstance, call: Block, key: Value | undefined, inputs: Map<string, Input>): ModuleInstance | undefined;
  fileText(file: string): string | undefined;
  /** An output of a called module that is neither local nor downloaded (a modelled public module). */
  externalOutput?(parent: ModuleInstance, call: Block, name: string): Value | undefined;
  /** Records a coverage note (repeats of the same note are dropped). */
  note?(note: CoverageNote): void;
  /** The evaluation budget of the root module, shared by every module instance under it. */
  readonly budget?: EvaluationBudget;
  /** How deep evaluation is nested, shared by every instance of a collection. */
  readonly nesting?: EvaluationNesting;
}

const MAX_INSTANCES = 1000;
/** Bounds the work of one root module (with the local modules it calls), however its blocks expand. */
const MAX_ROOT_INSTANCES = 10_000;

export interface Expansion {
  suffix: string;
  scope: Scope;
  key?: Value;
  /** The `count` / `for_each` whose value is not known statically: the block stands for its instances as one `[*]`. */
  unresolved?: { attr: Attribute; value: Unknown };
}

export class ModuleInstance implements Resolver {
  private readonly localValues = new Map<string, Value>();
  private readonly evaluatingLocals = new Set<string>();
  private readonly children = new Map<string, ModuleInstance | null>();
  /** A data block's policy is read by its own instance, by each reference and for positions: render it once per scope. */
  private readonly policies = new Map<Block, Map<Scope, RenderedPolicy>>();
  /** A rendered policy's `json`: undefined while the document holds unknowns. Read by its data instance and by every reference. */
  private readonly policyJson = new WeakMap<RenderedPolicy, string | undefined>();
  private readonly expansions = new Map<Block, Expansion[]>();
  readonly scope: Scope;
  readonly budget: EvaluationBudget | undefined;

  constructor(
    readonly def: ModuleDef,
    readonly prefix: string,
    private readonly inputs: Map<string, Input> | undefined,
    private readonly tfvars: Map<string, { value: Value; attr: Attribute }>,
    private readonly host: InstanceHost,
    readonly via?: { file: string; position: Position; module: string },
  ) {
    this.scope = { resolver: this, bindings: new Map() };
    this.budget = host.budget;
  }

  get hasCaller(): boolean {
    return this.inputs !== undefined;
  }

  get nesting(): EvaluationNesting | undefined {
    return this.host.nesting;
  }

  note(note: CoverageNote): void {
    this.host.note?.(note);
  }

  /** A credential in a variable or local is redacted before it can be substituted into names. */
  variable(name: string): Value {
    return redactNamedValue(name, this.variableAsGiven(name), this.keyIdNearby());
  }

  private keyIdInTfvars: boolean | undefined;

  /** Whether an access key id is written in this module's files or tfvars (then a 40-character secret there is its key). */
  private keyIdNearby(): boolean {
    this.keyIdInTfvars ??= [...this.tfvars.values()].some((t) => typeof t.value === 'string' && findAccessKeyIds(t.value).length > 0);
    return this.keyIdInTfvars || keyIdInFiles(this.def);
  }

  private variableAsGiven(name: string): Value {
    const block = this.def.variables.get(name);
    const given = this.givenValue(name, block);
    const typeAttr = block?.body.attributes.find((a) => a.name === 'type');
    if (!typeAttr) return given;
    const type = parseType(typeAttr.expr);
    return shapesValues(type) ? conform(given, type, { resolver: this, bindings: new Map() }) : given;
  }

  /** The caller's input or tfvars value; the default when there is none, or when it is null and the variable is `nullable = false`. */
  private givenValue(name: string, block: Block | undefined): Value {
    const input = this.inputs?.get(name);
    const fromVars = input ? undefined : this.tfvars.get(name);
    const given = input ? evaluateOrUnknown(input.expr, input.scope, input.file) : fromVars?.value;
    const def = block?.body.attributes.find((a) => a.name === 'default');
    if (given !== undefined && !(given === null && def && notNullable(block!))) return given;
    if (def) return safeEvaluate(def, { resolver: this, bindings: new Map() });
    return mkUnknown(`var.${name}`);
  }

  local(name: string): Value {
    if (this.localValues.has(name)) return this.localValues.get(name)!;
    const attr = this.def.locals.get(name);
    if (!attr || this.evaluatingLocals.has(name)) return mkUnknown(`local.${name}`);
    this.evaluatingLocals.add(name);
    const v = redactNamedValue(name, safeEvaluate(attr, this.scope), this.keyIdNearby());
    this.evaluatingLocals.delete(name);
    this.localValues.set(name, v);
    return v;
  }

  origin(root: string, steps: TraversalStep[]): Origin | undefined {
    const name = steps[0]?.kind === 'attr' ? steps[0].name : undefined;
    if (name === undefined) return undefined;
    if (root === 'var') {
      const input = this.inputs?.get(name);
      if (input) return { expr: input.expr, scope: input.scope, file: input.file, caller: true, used: 1 };
      const fromVars = this.tfvars.get(name);
      if (fromVars) return { expr: fromVars.attr.expr, scope: { resolver: this, bindings: new Map() }, file: fromVars.attr.file, caller: false, used: 1 };
      return undefined;
    }
    if (root === 'local') {
      const attr = this.def.locals.get(name);
      if (attr) return { expr: attr.expr, scope: this.scope, file: attr.file, caller: false, used: 1 };
    }
    return undefined;
  }

  fileText(file: string): string | undefined {
    return this.host.fileText(file);
  }

  dataPositions(steps: TraversalStep[], pointer: string, out: PositionMap, scope: Scope = this.scope): void {
    const doc = this.policyDocumentReference(steps, scope);
    if (!doc) return;
    const rendered = this.policyDocument(doc.block, doc.scope);
    for (const p in rendered.positions) if (p !== '' && out[pointer + p] === undefined) out[pointer + p] = rendered.positions[p]!;
  }

  private policyDocument(block: Block, scope: Scope): RenderedPolicy {
    let byScope = this.policies.get(block);
    if (!byScope) this.policies.set(block, (byScope = new Map()));
    let rendered = byScope.get(scope);
    if (!rendered) byScope.set(scope, (rendered = renderPolicyDocument(block, scope)));
    return rendered;
  }

  private jsonOf(rendered: RenderedPolicy): string | undefined {
    if (this.policyJson.has(rendered)) return this.policyJson.get(rendered);
    const json = containsUnknownValue(rendered.document) ? undefined : toJson(rendered.document);
    this.policyJson.set(rendered, json);
    return json;
  }

  contentOrigin(root: string, steps: TraversalStep[], scope: Scope): Origin | undefined {
    if (root === 'data') {
      const doc = this.policyDocumentReference(steps, scope);
      const statements = doc?.block.body.blocks.find((b) => b.type === 'dynamic' && b.labels[0] === 'statement');
      const forEach = statements?.body.attributes.find((a) => a.name === 'for_each');
      return forEach && { expr: forEach.expr, scope: doc!.scope, file: forEach.file, caller: false, used: doc!.used };
    }
    const [n, index] = steps;
    if (root !== 'aws_iam_policy' || n?.kind !== 'attr') return undefined;
    const block = this.def.resources.find((b) => b.labels[0] === root && b.labels[1] === n.name);
    const instance = block && this.instanceAt(block, index, scope);
    const policy = block?.body.attributes.find((a) => a.name === 'policy');
    return instance && policy && { expr: policy.expr, scope: instance.scope, file: policy.file, caller: false, used: 1 + instance.used };
  }

  /** `data.aws_iam_policy_document.<name>[<key>].json`: the data block and the scope of the instance it names. */
  private policyDocumentReference(steps: TraversalStep[], scope: Scope): { block: Block; scope: Scope; suffix: string; used: number } | undefined {
    const [t, n] = steps;
    if (t?.kind !== 'attr' || n?.kind !== 'attr' || t.name !== 'aws_iam_policy_document') return undefined;
    const block = this.def.data.find((b) => b.labels[0] === t.name && b.labels[1] === n.name);
    if (!block) return undefined;
    const instance = this.instanceAt(block, steps[2], scope);
    if (!instance) return undefined;
    const a = steps[instance.used + 2];
    if (a?.kind !== 'attr' || a.name !== 'json') return undefined;
    return { block, scope: instance.scope, suffix: instance.suffix, used: instance.used + 3 };
  }

  /**
   * The instance of a block a reference names: the block itself, or for count / for_each the instance
   * whose key the reference's index gives (evaluated where the reference is written: `each.key` there).
   * `used` is how many steps the index took (0 or 1); undefined when the instance cannot be told.
   */
  private instanceAt(block: Block, step: TraversalStep | undefined, scope: Scope): { suffix: string; scope: Scope; key?: Value; used: number } | undefined {
    const counted = block.body.attributes.some((a) => a.name === 'count' || a.name === 'for_each');
    if (!counted) return { suffix: '', scope: this.scope, used: 0 };
    if (step?.kind !== 'index') return undefined;
    const key = orElse<Value | undefined>(() => evaluate(step.key, scope), () => undefined);
    if (key === undefined || isUnknown(key)) return undefined;
    const wanted = toStr(key);
    if (wanted === undefined) return undefined;
    const found = this.expand(block, this.scope).find((e) => e.key !== undefined && toStr(e.key) === wanted);
    return found ? { suffix: found.suffix, scope: found.scope, key: found.key, used: 1 } : undefined;
  }

  resolve(root: string, steps: TraversalStep[], scope: Scope, expr: Expr): { value: Value; used: number } | undefined {
    const first = steps[0];
    const name = first?.kind === 'attr' ? first.name : undefined;
    switch (root) {
      case 'var':
        return name === undefined ? undefined : { value: this.variable(name), used: 1 };
      case 'local':
        return name === undefined ? undefined : { value: this.local(name), used: 1 };
      case 'each':
      case 'count':
      case 'self':
      case 'path':
      case 'terraform':
        return { value: mkUnknown(expr.text), used: steps.length };
      case 'module':
        return name === undefined ? undefined : this.moduleOutput(name, steps, expr, scope);
      case 'data':
        return this.splatReference(root, steps, scope, expr) ?? this.dataReference(steps, expr, scope);
      default:
        return this.splatReference(root, steps, scope, expr) ?? this.resourceReference(root, steps, expr, '', scope);
    }
  }

  /**
   * `aws_x.y[*].attr` / `data.t.n[*].attr`: the list of every instance's attribute, as Terraform gives it
   * (`[]` for `count = 0`, one element for a block without count). Undefined when the instances are not known
   * (count unresolved) or the block is not in this module, or is a for_each block (a map, not splatted by instance).
   */
  private splatReference(root: string, steps: TraversalStep[], scope: Scope, expr: Expr): { value: Value; used: number } | undefined {
    const data = root === 'data';
    const [typeStep, nameStep, splat] = data ? steps : [{ kind: 'attr', name: root } as const, ...steps];
    if (typeStep?.kind !== 'attr' || nameStep?.kind !== 'attr' || splat?.kind !== 'splat') return undefined;
    const block = (data ? this.def.data : this.def.resources).find((b) => b.labels[0] === typeStep.name && b.labels[1] === nameStep.name);
    if (!block || this.expanding.has(block) || block.body.attributes.some((a) => a.name === 'for_each')) return undefined;
    const counted = block.body.attributes.some((a) => a.name === 'count');
    const expansions = this.expand(block, this.scope);
    if (expansions.some((e) => e.suffix === '[*]')) return undefined;
    const rest = steps.slice(data ? 3 : 2);
    const head: TraversalStep[] = data ? [typeStep, nameStep] : [nameStep];
    const items = expansions.map((e) => {
      const index: TraversalStep[] = counted ? [{ kind: 'index', key: { ...expr, kind: 'literal', value: e.key as number } }] : [];
      const instanceSteps = [...head, ...index, ...splat.steps];
      const resolved = this.resolve(root, instanceSteps, scope, expr);
      const item = resolved ? applySteps(resolved.value, instanceSteps.slice(resolved.used), scope, expr.text) : mkUnknown(expr.text);
      return applySteps(item, rest, scope, expr.text);
    });
    return { value: items, used: steps.length };
  }

  private resourceReference(type: string, steps: TraversalStep[], expr: Expr, mode: '' | 'data.', scope: Scope): { value: Value; used: number } | undefined {
    const first = steps[0];
    if (first?.kind !== 'attr') return undefined;
    const configured = this.configuredAttribute(type, first.name, steps, mode, scope);
    if (configured !== undefined && !(isUnknown(configured) && !configured.ref)) return { value: configured, used: steps.length };
    let address = `${mode}${type}.${first.name}`;
    let i = 1;
    const next = steps[1];
    // An index that cannot be evaluated leaves the reference to the whole resource.
    const key = next?.kind === 'index' ? orElse<Value | undefined>(() => evaluate(next.key, scope), () => undefined) : undefined;
    if (key !== undefined && !isUnknown(key)) {
      address += typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(toStr(key) ?? '')}]`;
      i = 2;
    }
    const attrs: string[] = [];
    for (; i < steps.length; i++) {
      const s = steps[i]!;
      if (s.kind === 'attr') attrs.push(s.name);
    }
    const ref = { id: this.host.idFor(this.prefix + address), attribute: attrs.join('.') };
    // A configured value known only in part (`"${var.env}-api"`) is still this resource's attribute: links by reference hold.
    if (isUnknown(configured)) return { value: withRef(configured, ref), used: steps.length };
    return { value: mkUnknown(expr.text, { ref }), used: steps.length };
  }

  /**
   * An attribute the configuration of a block in this module sets (`kubernetes_service_account.x.metadata[0].name`),
   * read from the block's evaluated body; undefined for what only the provider computes (`.id`, `.email`),
   * for an instance the reference does not single out, and while that block is itself being evaluated.
   */
  private configuredAttribute(type: string, name: string, steps: TraversalStep[], mode: '' | 'data.', scope: Scope): Value | undefined {
    const blocks = mode === 'data.' ? this.def.data : this.def.resources;
    const block = blocks.find((b) => b.labels[0] === type && b.labels[1] === name);
    if (!block) return undefined;
    const instance = this.instanceAt(block, steps[1], scope);
    if (!instance) return undefined;
    const path = steps.slice(1 + instance.used);
    const attribute = path[0];
    if (attribute?.kind !== 'attr') return undefined;
    const values = this.configuredValues(block, instance.scope);
    // What only the provider computes (`.arn`, `.id`) is the common case: answered without the error it would throw.
    if (!values || !(attribute.name in values)) return undefined;
    return orElse<Value | undefined>(() => {
      const v = applySteps(values, path, scope, '');
      // A null argument of an optional+computed attribute (`name = null` beside `name_prefix`) is the provider's to set.
      return v === null || (isUnknown(v) && v.$unknown === '') ? undefined : v;
    }, () => undefined);
  }

  private readonly configured = new Map<Block, Map<Scope, ObjectValue | null>>();

  private configuredValues(block: Block, scope: Scope): ObjectValue | undefined {
    let byScope = this.configured.get(block);
    if (!byScope) this.configured.set(block, (byScope = new Map()));
    if (byScope.has(scope)) return byScope.get(scope) ?? undefined;
    byScope.set(scope, null);
    // Only the values are wanted here: the block's own instance records its positions.
    const values = evalBody(block.body, scope, '', undefined);
    byScope.set(scope, values);
    return values;
  }

  private dataReference(steps: TraversalStep[], expr: Expr, scope: Scope): { value: Value; used: number } | undefined {
    const [t, n] = steps;
    if (t?.kind !== 'attr' || n?.kind !== 'attr') return undefined;
    const doc = this.policyDocumentReference(steps, scope);
    if (doc) {
      const rendered = this.policyDocument(doc.block, doc.scope);
      const { document } = rendered;
      const json = this.jsonOf(rendered);
      if (json !== undefined) return { value: json, used: doc.used };
      const u = mkUnknown(expr.text, { ref: { id: this.host.idFor(`${this.prefix}data.${t.name}.${n.name}${doc.suffix}`), attribute: 'json' } });
      encodedValue.set(u, document);
      return { value: u, used: doc.used };
    }
    return this.resourceReference(t.name, steps.slice(1), expr, 'data.', scope);
  }

  private moduleOutput(name: string, steps: TraversalStep[], expr: Expr, scope: Scope): { value: Value; used: number } {
    const call = this.def.calls.find((c) => c.labels[0] === name);
    const whole = { value: mkUnknown(expr.text), used: steps.length };
    if (!call) return whole;
    const instance = this.instanceAt(call, steps[1], scope);
    if (!instance) return whole;
    const out = steps[instance.used + 1];
    if (out?.kind !== 'attr') return whole;
    const used = instance.used + 2;
    const child = instance.used === 0 ? this.childFor(call, undefined) : this.childFor(call, instance.key, instance.scope);
    if (!child) {
      if (instance.used > 0) return whole;
      const external = this.host.externalOutput?.(this, call, out.name);
      return external === undefined ? whole : { value: external, used };
    }
    const block = child.def.outputs.get(out.name);
    const valueAttr = block?.body.attributes.find((a) => a.name === 'value');
    if (!valueAttr) return whole;
    return { value: safeEvaluate(valueAttr, child.scope), used };
  }

  /** The instance of a local module call (one per key for count/for_each). */
  childFor(call: Block, key: Value | undefined, scope: Scope = this.scope): ModuleInstance | undefined {
    const cacheKey = `${call.labels[0]}|${key === undefined ? '' : JSON.stringify(key)}`;
    if (this.children.has(cacheKey)) return this.children.get(cacheKey) ?? undefined;
    this.children.set(cacheKey, null);
    const inputs = new Map<string, Input>();
    for (const a of call.body.attributes) {
      if (NOT_INPUTS.has(a.name)) continue;
      inputs.set(a.name, { expr: a.expr, scope, file: a.file });
    }
    const child = this.host.child(this, call, key, inputs);
    if (child) this.budget?.charge(1, call.file, call.pos.line);
    this.children.set(cacheKey, child ?? null);
    return child;
  }

  /** Every resource and data instance of this module and the local modules it calls. */
  instances(out: ResourceInstance[]): void {
    for (const block of [...this.def.resources, ...this.def.data]) {
      const mode = block.type === 'data' ? 'data' : 'resource';
      const base = `${this.prefix}${mode === 'data' ? 'data.' : ''}${block.labels[0]}.${block.labels[1]}`;
      for (const { suffix, scope, key, unresolved } of this.expand(block, this.scope)) {
        if (unresolved) this.host.note?.(unresolvedExpansionNote(base.slice(this.prefix.length), this.prefix, unresolved.attr, unresolved.value, this.via));
        if (out.length >= MAX_ROOT_INSTANCES) {
          this.host.note?.({ kind: 'limit', level: 'warning', file: block.file, line: block.pos.line, message: `more than ${MAX_ROOT_INSTANCES} resource instances in one Terraform root: ${base} and the blocks after it are not analysed` });
          return;
        }
        const positions: PositionMap = Object.create(null) as PositionMap;
        positions[''] = { ...block.pos, file: block.file };
        let values: ObjectValue;
        if (block.labels[0] === 'aws_iam_policy_document' && mode === 'data') {
          const rendered = this.policyDocument(block, scope);
          values = newObject();
          values.json = this.jsonOf(rendered) ?? mkUnknown('policy document');
          values.document = rendered.document;
          for (const p in rendered.positions) if (p !== '') positions['/document' + p] = rendered.positions[p]!;
        } else {
          values = evalBody(block.body, scope, '', positions);
        }
        const instance: ResourceInstance = {
          mode,
          type: block.labels[0]!,
          address: base + suffix,
          id: this.host.idFor(base + suffix),
          block,
          values,
          positions,
        };
        if (this.via) instance.via = viaForElement(this.via, block, key, this.scope);
        out.push(instance);
      }
    }
  }

  /** Blocks whose count / for_each is being evaluated: a reference back to one is a cycle (Terraform refuses it). */
  private readonly expanding = new Set<Block>();

  /** The instances a block's count / for_each produce, with their address suffix and scope. */
  expand(block: Block, scope: Scope): Expansion[] {
    if (scope !== this.scope) return this.counted(block, this.expandIn(block, scope));
    let found = this.expansions.get(block);
    if (!found) {
      this.expanding.add(block);
      try {
        found = this.counted(block, this.expandIn(block, scope));
      } finally {
        this.expanding.delete(block);
      }
      this.expansions.set(block, found);
    }
    return found;
  }

  private counted(block: Block, expansions: Expansion[]): Expansion[] {
    if (expansions.length > 1) this.budget?.charge(expansions.length, block.file, block.pos.line);
    return expansions;
  }

  private expandIn(block: Block, scope: Scope): Expansion[] {
    const count = block.body.attributes.find((a) => a.name === 'count');
    const forEach = block.body.attributes.find((a) => a.name === 'for_each');
    if (count) {
      const raw = safeEvaluate(count, scope);
      if (isUnknown(raw)) return [{ suffix: '[*]', scope: childScope(scope, { count: { index: mkUnknown('count.index') } as unknown as Value }), unresolved: { attr: count, value: raw } }];
      // Terraform converts a string count (`var.on ? "1" : "0"`, as older code writes it) to its number.
      const n = toNum(raw);
      if (n === undefined) return [];
      if (n > MAX_INSTANCES) this.noteInstanceCap(block, `count = ${n}`);
      return Array.from({ length: Math.min(n, MAX_INSTANCES) }, (_, i) => ({ suffix: `[${i}]`, scope: childScope(scope, { count: obj({ index: i }) }), key: i }));
    }
    if (forEach) {
      const coll = safeEvaluate(forEach, scope);
      if (isUnknown(coll)) return [{ suffix: '[*]', scope: childScope(scope, { each: obj({ key: mkUnknown('each.key'), value: mkUnknown('each.value') }) }), unresolved: { attr: forEach, value: coll } }];
      let pairs = orElse<[Value, Value][] | undefined>(() => entries(coll), () => undefined);
      if (!pairs) return [];
      if (pairs.length > MAX_INSTANCES) {
        this.noteInstanceCap(block, `for_each over ${pairs.length} elements`);
        pairs = pairs.slice(0, MAX_INSTANCES);
      }
      // A set iterates its elements: each.key is the element itself.
      const isSet = Array.isArray(coll);
      return pairs.map(([k, v]) => {
        const key = isSet ? v : k;
        const keyText = toStr(key);
        // each.value traces back to its element of the for_each collection, the line to change.
        const origin = keyText === undefined ? undefined : { each: { expr: forEach.expr, scope, file: forEach.file, key: keyText } };
        return { suffix: `[${JSON.stringify(keyText ?? '')}]`, scope: childScope(scope, { each: obj({ key, value: v }) }, origin), key };
      });
    }
    return [{ suffix: '', scope }];
  }

  private noteInstanceCap(block: Block, what: string): void {
    const name = [block.type, ...block.labels.map((l) => `"${l}"`)].join(' ');
    this.host.note?.({
      kind: 'limit',
      level: 'warning',
      file: block.file,
      line: block.pos.line,
      message: `${name}${this.prefix ? ` in ${this.prefix.slice(0, -1)}` : ''}: ${what} exceeds the cap of ${MAX_INSTANCES} instances; only the first ${MAX_INSTANCES} are analysed`,
    });
  }
}

function withRef(u: Unknown, ref: NonNullable<Unknown['ref']>): Unknown {
  const out = mkUnknown(u.$unknown, { ...(u.prefix ? { prefix: u.prefix } : {}), ...(u.suffix ? { suffix: u.suffix } : {}), ref });
  const pieces = templatePieces.get(u);
  if (pieces) templatePieces.set(out, pieces);
  const encoded = encodedValue.get(u);
  if (encoded !== undefined) encodedValue.set(out, encoded);
  return out;
}

function notNullable(variable: Block): boolean {
  const attr = variable.body.attributes.find((a) => a.name === 'nullable');
  return attr?.expr.kind === 'literal' && attr.expr.value === false;
}

function obj(fields: Record<string, Value>): ObjectValue {
  return Object.assign(newObject(), fields);
}
