/**
 * JSON kept in a string field of a Kubernetes object (an ACK or Crossplane role's trust policy,
 * a block scalar in YAML): parsed, with every position mapped back into the manifest so that a
 * finding on a condition points at the condition's own line.
 */
import type { CoverageNote, JsonValue, Position, PositionMap } from '../../model/types.js';
import type { StructuredLimits } from '../../util/structured.js';
import { stringSourceMapper } from '../cloudformation/string-source.js';
import { parseMappedJson } from '../mapped-json.js';

export interface ManifestText {
  file: string;
  text: string;
  limits: StructuredLimits;
  notes: CoverageNote[];
}

/**
 * The JSON in `value`, a string spelled at `at` (a map entry's position, which starts at its key).
 * Positions are keyed by `outPtr` + the pointer inside the JSON. Undefined, with an error note at
 * the offending line, when it is not JSON.
 */
export function jsonInString(src: ManifestText, value: string, at: Position | undefined, outPtr: string, positions: PositionMap, what: string): JsonValue | undefined {
  const map = at ? stringSourceMapper(src.text, at, true, value) : () => undefined;
  const parsed = parseMappedJson(src, value, map, at, what);
  if (!parsed) return undefined;
  for (const [ptr, p] of Object.entries(parsed.positions)) positions[outPtr + ptr] = p;
  return parsed.value;
}
