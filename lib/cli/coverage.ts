/** How far slipway checked one document. */
export enum Coverage {
  /** Every slipway rule, and the strict schema where upstream publishes one (Tekton Triggers does not). */
  RULES = 'rules',
  /** Strict schema only: slipway has no typed form for this kind, or for some of its fields (listed). */
  SCHEMA_ONLY = 'schema-only',
  /** Nothing: no schema and no reader knows this kind. */
  NONE = 'none',
}
