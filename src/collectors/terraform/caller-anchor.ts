/** Where a resource made by a downloaded module is shown: the caller's line that makes it, not the whole module call. */
import type { Position } from '../../model/types.js';
import type { Block } from './ast.js';
import type { Scope } from './evaluator.js';
import { isUnderDotTerraform } from './modules-json.js';
import { elementOrigin } from './origins.js';
import { type Value, toStr } from './values.js';

export interface Via {
  file: string;
  position: Position;
  module: string;
}

/**
 * The anchor of an instance of `call` (a module call inside a downloaded module, with for_each):
 * the entry of the caller's input its for_each takes the element `key` from (`general = { ... }` of
 * `eks_managed_node_groups`), when the caller writes it; else the outer module call.
 */
export function viaForElement(outer: Via, call: Block, key: Value | undefined, scope: Scope): Via {
  const forEach = call.body.attributes.find((a) => a.name === 'for_each');
  const keyText = key === undefined ? undefined : toStr(key);
  if (!forEach || keyText === undefined) return outer;
  const entry = elementOrigin(forEach.expr, scope, forEach.file, keyText);
  if (!entry || isUnderDotTerraform(entry.file)) return outer;
  return { ...outer, file: entry.file, position: { line: entry.line, column: entry.column, endLine: entry.endLine, endColumn: entry.endColumn } };
}
