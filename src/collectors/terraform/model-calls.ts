/** Evaluates a call of a modelled public module into the resource instances the module would create. */
import type { Position, PositionMap } from '../../model/types.js';
import type { Block } from './ast.js';
import { evalBody } from './body.js';
import { NOT_INPUTS } from './module-call.js';
import type { Scope } from './evaluator.js';
import type { ResourceInstance } from './module.js';
import type { ModelChoice } from './models/index.js';
import type { ModelCall } from './models/types.js';
import type { ObjectValue, Value } from './values.js';

export interface ModelledCall {
  call: Block;
  /** Address prefix of the call (`module.irsa.`, `module.irsa["a"].`). */
  prefix: string;
  scope: Scope;
  choice: Extract<ModelChoice, { kind: 'model' }>;
  idFor(address: string): string;
  /** The outermost module call, when the modelled call is itself inside a module. */
  outerVia?: { file: string; position: Position; module: string };
  /** Where a model's "cannot analyse" goes (a warning note at the call). */
  unread?(reason: string): void;
  undecided?(what: string): void;
}

/** The model's view of one call instance: its evaluated inputs with positions. */
export function modelCall(m: ModelledCall): ModelCall {
  const positions: PositionMap = Object.create(null) as PositionMap;
  const body = { attributes: m.call.body.attributes.filter((a) => !NOT_INPUTS.has(a.name)), blocks: [] };
  const inputs: ObjectValue = evalBody(body, m.scope, '', positions);
  return {
    major: m.choice.major,
    inputs,
    inputPositions: positions,
    callPosition: { ...m.call.pos, file: m.call.file },
    idFor: (local) => m.idFor(m.prefix + local),
    ...(m.unread ? { unread: m.unread } : {}),
    ...(m.undecided ? { undecided: m.undecided } : {}),
  };
}

export function assumptionOf(choice: Extract<ModelChoice, { kind: 'model' }>): string | undefined {
  return choice.assumed ? `${choice.label} v${choice.major} assumed from the version constraint` : undefined;
}

/** Resource instances of a modelled call, ready for the same mapping as written resources. */
export function modelledInstances(m: ModelledCall): ResourceInstance[] {
  const call = modelCall(m);
  const module = `${m.prefix.slice(0, -1)} (${m.choice.label} v${m.choice.major}${m.choice.assumed ? ', assumed' : ''}, podtrust model)`;
  const via = m.outerVia ?? { file: m.call.file, position: m.call.pos, module };
  const out: ResourceInstance[] = [];
  for (const r of m.choice.model.resources(call)) {
    const address = m.prefix + r.localAddress;
    const inst: ResourceInstance = {
      mode: 'resource',
      type: r.type,
      address,
      id: m.idFor(address),
      block: m.call,
      values: r.values,
      positions: r.positions,
      via,
    };
    if (r.generated && r.generated.length > 0) inst.generated = r.generated;
    const assumption = assumptionOf(m.choice);
    if (assumption) inst.assumption = assumption;
    out.push(inst);
  }
  return out;
}

/** An output of a modelled call that refers to a modelled resource, if the model knows it. */
export function modelledOutput(m: ModelledCall, name: string): Value | undefined {
  return m.choice.model.output?.(modelCall(m), name);
}
