/** A unit as the root of a Terraform evaluation: one module call, its arguments evaluated the Terragrunt way. */
import type { Block, Expr, TraversalStep } from '../terraform/ast.js';
import type { Origin, Scope } from '../terraform/evaluator.js';
import { type InstanceHost, ModuleInstance, defineModule } from '../terraform/module.js';
import type { Value } from '../terraform/values.js';
import type { UnitEvaluation } from './evaluation.js';

export class UnitInstance extends ModuleInstance {
  constructor(call: Block, host: InstanceHost, private readonly evaluation: UnitEvaluation) {
    const def = defineModule(evaluation.unit.dir, []);
    def.calls.push(call);
    super(def, '', undefined, new Map(), host);
  }

  override resolve(root: string, steps: TraversalStep[], scope: Scope, expr: Expr): { value: Value; used: number } | undefined {
    return this.evaluation.resolve(root, steps, scope, expr);
  }

  override origin(root: string, steps: TraversalStep[]): Origin | undefined {
    return this.evaluation.origin(root, steps, this);
  }

  call(name: string, args: Value[], expr: Expr): Value | undefined {
    return this.evaluation.call(name, args, expr);
  }
}
