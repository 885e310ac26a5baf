import type { JsonValue, Unknown } from '../../model/types.js';
import { unknown } from '../../model/unknown.js';

/** An {@link Unknown} placed in a JSON body (the body type does not spell out Unknown's optional fields). */
export function unresolved(expression: string, extra: Omit<Unknown, '$unknown'> = {}): JsonValue {
  return unknown(expression, extra) as unknown as JsonValue;
}
