/** The coverage note for a block whose `count` / `for_each` is not known statically, analysed as one `[*]` instance. */
import type { CoverageNote, Position, Unknown } from '../../model/types.js';
import type { Attribute } from './ast.js';
import { isUnderDotTerraform } from './modules-json.js';
import { describeUnknown } from './unresolved-trust.js';

/** An instance key in a module address: `[0]`, `["a"]`. */
const INSTANCE_KEY = /\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g;

/**
 * `local` is the block's address in its module (`aws_iam_role.this`), `prefix` the module instance's
 * (`module.a["x"].`). Written in the scanned code, the block is named at its `count` / `for_each` line by
 * that local address, so the project's note de-duplication reports it once however many instances of
 * the module, and however many callers, there are. In a downloaded module it is named at the caller's
 * module call (`via`), by its address without instance keys.
 */
export function unresolvedExpansionNote(local: string, prefix: string, attr: Attribute, value: Unknown, via?: { file: string; position: Position }): CoverageNote {
  const downloaded = via !== undefined && isUnderDotTerraform(attr.file);
  const address = downloaded ? prefix.replace(INSTANCE_KEY, '') + local : local;
  const at = downloaded ? { file: via.file, ...via.position } : { ...attr.pos, file: attr.file };
  return {
    kind: 'unresolved',
    level: 'note',
    file: at.file,
    line: at.line,
    column: at.column,
    message: `${address}: ${attr.name} is not known statically (${describeUnknown(value)}); analysed as one instance ${address}[*]`,
  };
}
