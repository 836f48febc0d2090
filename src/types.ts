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
  /** Acknowledged renames: old dotted path -> new dotted path. */
  renames: Record<string, string>
  allowBreaking: AllowBreaking[]
  /**
   * Where each node sits in the file, keyed by JSON Pointer into the document
   * (`/name`, `/sample/address/city`, `/examples/0/email`). Used to point
   * diagnostics, sync changes and annotations at the YAML line.
   */
  locations: Record<string, Position>
}

/** Options of schema inference (resolved from config). */
export interface InferOptions {
  /** Infer `format` (date-time, date, email, uri, uuid) when every value matches. */
  formats: boolean
  /** Emit `additionalProperties: false` on every inferred object. */
  closedObjects: boolean
}

export type InferWarningKind = 'unknown-type' | 'empty-array'

/** A warning from inference: a part of the payload whose type cannot be known from the samples. */
export interface InferWarning {
  kind: InferWarningKind
  /** JSON Pointer into the payload (`/company`, `/items/0/tags` for array items uses `/items/*`). */
  path: string
  message: string
}

export interface InferResult {
  schema: JsonSchema
  warnings: InferWarning[]
}

/** An event with its final JSON Schema (inferred, override merged, samples validated). */
export interface CompiledEvent {
  definition: EventDefinition
  schema: JsonSchema
  /** kebab-case base name for per-event files (`new-contact-created`). */
  fileName: string
}

/** The result of loading and compiling a project's events. */
export interface CompileResult {
  events: CompiledEvent[]
  diagnostics: Diagnostic[]
}
