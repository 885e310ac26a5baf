/**
 * A unit's `inputs` as the arguments of one module call: the included configurations' inputs merged
 * with the unit's as Terragrunt merges them (shallow: the unit's key replaces the parent's; deep:
 * maps merged, lists concatenated; `no_merge`: the parent's left out). Each argument keeps the
 * expression that writes it, so a finding points at that line of the file that holds it.
 */
import type { Attribute, Expr } from '../terraform/ast.js';
import { keyString } from '../terraform/evaluator.js';
import { orElse } from '../terraform/evaluation-error.js';
import { isObject } from '../terraform/values.js';
import type { TerragruntConfig } from './config.js';
import type { UnitEvaluation } from './evaluation.js';

export interface UnitInputs {
  arguments: Attribute[];
  /** `inputs` whose keys could not be known (an unresolved `merge(...)`): their values are not passed. */
  unresolved: Attribute[];
}

/** The `inputs` of one configuration, one attribute per key. */
function inputsOf(config: TerragruntConfig, evaluation: UnitEvaluation, unresolved: Attribute[]): Attribute[] {
  const inputs = config.inputs;
  if (!inputs) return [];
  const expr = inputs.expr;
  if (expr.kind === 'object') {
    const out: Attribute[] = [];
    for (const item of expr.items) {
      const name = item.keyName ?? orElse<string | undefined>(() => keyString(evaluation.evaluate(item.key, inputs.file)), () => undefined);
      if (name !== undefined) out.push({ name, expr: item.value, pos: item.pos, file: inputs.file });
    }
    return out;
  }
  const whole = evaluation.evaluate(expr, inputs.file);
  if (!isObject(whole)) {
    unresolved.push(inputs);
    return [];
  }
  // Keys of a computed object: each argument reads its key out of the expression, written on the `inputs` line.
  return Object.keys(whole).map((name) => ({ name, expr: member(expr, name), pos: inputs.pos, file: inputs.file }));
}

function member(base: Expr, name: string): Expr {
  const key: Expr = { kind: 'literal', value: name, pos: base.pos, start: base.start, end: base.end, text: JSON.stringify(name) };
  return { kind: 'traversal', base, steps: [{ kind: 'index', key }], pos: base.pos, start: base.start, end: base.end, text: base.text };
}

function deepMergeOf(evaluation: UnitEvaluation, parent: Attribute, child: Attribute): Attribute {
  const expr: Expr = { kind: 'call', name: 'terragrunt_deep_merge', args: [parent.expr, child.expr], expandLast: false, pos: child.expr.pos, start: child.expr.start, end: child.expr.end, text: child.expr.text };
  evaluation.deepMerges.add(expr);
  return { ...child, expr };
}

export function unitInputs(evaluation: UnitEvaluation): UnitInputs {
  const unresolved: Attribute[] = [];
  const merged = new Map<string, Attribute>();
  const layers = [...evaluation.includes.filter((i) => i.strategy !== 'no_merge'), { config: evaluation.unit, strategy: 'shallow' as const }];
  // Each include is merged into the unit with its own strategy; the unit's inputs come last and win.
  const deep = new Set(evaluation.includes.filter((i) => i.strategy === 'deep').map((i) => i.config));
  for (const layer of layers) {
    for (const a of inputsOf(layer.config, evaluation, unresolved)) {
      const before = merged.get(a.name);
      const parentIsDeep = before !== undefined && [...deep].some((c) => c.file === before.file);
      merged.set(a.name, before && parentIsDeep && layer.config === evaluation.unit ? deepMergeOf(evaluation, before, a) : a);
    }
  }
  return { arguments: [...merged.values()], unresolved };
}
