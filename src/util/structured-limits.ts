/** The limits of one YAML, JSON or HCL document; apart from the parsers so that reading them loads none. */
export interface StructuredLimits {
  /** Most values a document may expand to (aliases included). */
  maxNodes: number;
  /** Deepest nesting of collections. */
  maxDepth: number;
}

export const DEFAULT_LIMITS: StructuredLimits = { maxNodes: 2_000_000, maxDepth: 256 };
