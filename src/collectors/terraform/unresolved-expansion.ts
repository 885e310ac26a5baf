/** The coverage note for a block whose `count` / `for_each` is not known statically, analysed as one `[*]` instance. */
import type { CoverageNote, Unknown } from '../../model/types.js';
import type { Attribute } from './ast.js';
import { describeUnknown } from './unresolved-trust.js';

/** An instance key in a module address: `[0]`, `["a"]`. */
const INSTANCE_KEY = /\[(?:\d+|"(?:[^"\\]|\\.)*")\]/g;

/**
 * `base` is the block's address in its module instance (`module.a["x"].aws_iam_role.this`). The note names
 * the block by its configuration address (module keys left out), so the project's note de-duplication
 * reports it once however many instances of the module there are.
 */
export function unresolvedExpansionNote(base: string, prefix: string, attr: Attribute, value: Unknown): CoverageNote {
  const address = prefix.replace(INSTANCE_KEY, '') + base.slice(prefix.length);
  return {
    kind: 'unresolved',
    level: 'note',
    file: attr.file,
    line: attr.pos.line,
    column: attr.pos.column,
    message: `${address}: ${attr.name} is not known statically (${describeUnknown(value)}); analysed as one instance ${address}[*]`,
  };
}
