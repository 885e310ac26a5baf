/** What a `module` block's literal arguments say: its source and version constraint. */
import type { Block } from './ast.js';

export function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}

function literalArgument(call: Block, name: string): string | undefined {
  const a = call.body.attributes.find((x) => x.name === name);
  return a?.expr.kind === 'literal' && typeof a.expr.value === 'string' ? a.expr.value : undefined;
}

/** A module call's meta-arguments: every other argument is an input of the module. */
export const NOT_INPUTS: ReadonlySet<string> = new Set(['source', 'version', 'providers', 'count', 'for_each', 'depends_on']);

export function sourceOf(call: Block): string | undefined {
  return literalArgument(call, 'source');
}

export function versionOf(call: Block): string | undefined {
  return literalArgument(call, 'version');
}
