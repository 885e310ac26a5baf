/** The limits of one YAML, JSON or HCL document; apart from the parsers so that reading them loads none. */
export interface StructuredLimits {
  /** Most values a document may expand to (aliases included). */
  maxNodes: number;
  /** Deepest nesting of collections. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: StructuredLimits = { maxNodes: 2_000_000, maxDepth: 256 };

/**
 * Longest path to a value (a JSON pointer: its keys joined). V8 hashes a longer string by its
 * length alone, so keys or paths of one such length all collide in its tables: 2,000 of them cost
 * seconds and the cost grows with the square of their number. No real document comes near it.
 */
export const MAX_POINTER_LENGTH = 16_383;
