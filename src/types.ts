/**
 * Shared domain types: plain data passed along the pipeline
 * (definitions -> infer -> codegen / sync). No behaviour lives here.
 */

/** A JSON primitive as it can appear in a sample payload. */
export type JsonPrimitive = string | number | boolean | null
/** Any JSON value. */
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject
/** A JSON object. Sample payloads are always objects. */
export interface JsonObject {
  [key: string]: JsonValue
}

/** The JSON types inference distinguishes (integer is a subtype of number). */
export type SchemaType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array'

/**
 * A JSON Schema (draft 2020-12 vocabulary). The keywords inference emits are typed;
 * a `schema` override may add any other keyword, hence the index signature.
 */
export interface JsonSchema {
  $schema?: string
  $id?: string
  title?: string
  description?: string
  type?: SchemaType | SchemaType[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  items?: JsonSchema
  anyOf?: JsonSchema[]
  format?: string
  enum?: JsonValue[]
  examples?: JsonValue[]
  [keyword: string]: unknown
}

/** A 1-based position in a source file. */
export interface Position {
  line: number
  column: number
}

/** A position with the file it belongs to (path as shown to the user, relative to cwd). */
export interface SourceLocation extends Position {
  file: string
}

export type Severity = 'error' | 'warning'

/** One problem found in a run; every stage collects these rather than throwing on the first. */
export interface Diagnostic extends SourceLocation {
  severity: Severity
  message: string
}

/** An acknowledged breaking change, from `allowBreaking` in an event file. */
export interface AllowBreaking {
  /** Dotted trigger-variable path (`prospect.email`), or `*` for the event itself. */
  field: string
  reason: string
}

/** One event file, loaded and checked against the file format. */
export interface EventDefinition {
  /** Exact Refold event name, as written. */
  name: string
  /** PascalCase identifier derived from the name (`NewContactCreated`). */
  identifier: string
  /** The file it came from, relative to the current directory. */
  file: string
  description?: string
  model?: string
  apps?: string[]
  sample: JsonObject
  examples: JsonObject[]
  /** The `schema` override fragment, deep-merged over the inferred schema. */
  schema?: JsonSchema
  /** The file's `inference:` block (policy over the project's). */
  inference?: EventInference
  /**
   * JSON Pointers into the document (`/sample/subtotal`, `/examples/0/items/1/price`) of
   * integral numbers written with a decimal point (`100.00`): they infer `number`.
   */
  decimals?: string[]
  /** Acknowledged renames: old dotted path -> new dotted path. */
  renames: Record<string, string>
  /**
   * `expand` of the renames entries that set it (`first_name: { to: given_name, expand: false }`),
   * keyed like `renames`; an entry without it follows the project's `sync.expandRenames`.
   */
  expandRenames?: Record<string, boolean>
  allowBreaking: AllowBreaking[]
  /** Dotted sample path whose value is each fire's idempotency key (`order.id`), when set. */
  idempotencyKey?: string
  /** Names the event had before a rename (newest first): sync renames in place, helpers fall back to them. */
  previousNames?: string[]
  /**
   * Where each node sits in the file, keyed by JSON Pointer into the document
   * (`/name`, `/sample/address/city`, `/examples/0/email`). Used to point
   * diagnostics, sync changes and annotations at the YAML line.
   */
  locations: Record<string, Position>
}

/** A string format inference can claim. */
export type InferableFormat = 'uuid' | 'date-time' | 'date' | 'email' | 'uri'

/**
 * Options of schema inference: the project's policy (`inference` in refold.config.ts,
 * resolved once by loadConfig), with an event's own `inference:` block over it, plus what
 * only an event file can say (paths that may be null or absent, numbers written as decimals).
 */
export interface InferOptions {
  /**
   * Which formats to infer when every value matches: `true` (default) for `date-time`,
   * `date` and `uuid`; `false` for none; or a list (`email` and `uri` only this way).
   */
  formats: boolean | readonly InferableFormat[]
  /** Emit `additionalProperties: false` on every inferred object. Default false (open). */
  closedObjects: boolean
  /** Payload paths (`issue.milestone`, `items[].price`) that may be null beyond what the samples show. */
  nullable?: readonly string[]
  /** Payload paths that may be absent although every sample has them. */
  optional?: readonly string[]
  /**
   * Numbers written with a decimal point (`100.00`): per container (object or array of a
   * sample), the keys (array indexes as text) whose integral value is really a `number`.
   */
  decimals?: DecimalFacts
}

/** Where integral numbers were written with a decimal point: container -> its keys. */
export interface DecimalFacts {
  get(container: object): ReadonlySet<string> | undefined
}

/** An event file's `inference:` block: policy for this event, over the project's. */
export interface EventInference {
  closedObjects?: boolean
  formats?: boolean | InferableFormat[]
  nullable?: string[]
  optional?: string[]
}

export type InferWarningKind = 'unknown-type' | 'empty-array' | 'mixed-types'

/** A path of a policy list (`nullable` / `optional`) that names no place of the payload. */
export interface PolicyPathProblem {
  list: 'nullable' | 'optional'
  /** Index of the entry in its list. */
  index: number
  message: string
}

/** A warning from inference: a part of the payload whose type cannot be known from the samples. */
export interface InferWarning {
  kind: InferWarningKind
  /** JSON Pointer into the payload (`/company`, `/items/0/tags` for array items uses `/items/*`). */
  path: string
  message: string
  /**
   * The `schema` override the message proposes, as data, when it proposes one: the compiler
   * merges it with the file's own override, so a file that has `schema:` gets one key to edit.
   */
  override?: JsonSchema
}

export interface InferResult {
  schema: JsonSchema
  warnings: InferWarning[]
  /** Entries of `nullable` / `optional` that are malformed or name no place of the samples. */
  policyProblems: PolicyPathProblem[]
}

/** An event with its final JSON Schema (inferred, override merged, samples validated). */
export interface CompiledEvent {
  definition: EventDefinition
  schema: JsonSchema
  /** kebab-case base name for per-event files (`new-contact-created`). */
  fileName: string
  /**
   * Renames in expansion (see compile/rename-expansion.ts): each old field is sent and pushed
   * as a copy of its new one. Absent or empty: none.
   */
  renameCopies?: FieldCopy[]
}

/** A rename in expansion: the value at `newPath` is also sent at `oldPath` (`[]` for array items). */
export interface FieldCopy {
  /** The `renames` key as written in the event file (the old path). */
  from: string
  newPath: string[]
  oldPath: string[]
  /**
   * How many leading segments of `oldPath` name containers the new schema still has: the copy
   * writes into them when a payload has them and never creates them (wire/renamed-copies.ts).
   */
  keptPrefix: number
}

/** The result of loading and compiling a project's events. */
export interface CompileResult {
  events: CompiledEvent[]
  diagnostics: Diagnostic[]
}
