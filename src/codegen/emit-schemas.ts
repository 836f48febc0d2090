/**
 * `schemas/<kebab-name>.schema.json`: each event's final JSON Schema, for tools outside
 * TypeScript (other languages, API gateways, documentation).
 *
 * A leading `$comment` carries the generated-file banner (JSON has no comments; see
 * banner.ts), then `$schema` and `title` are filled in when the schema has none. The
 * text is `JSON.stringify` with two-space indent and a final newline: keys keep the order
 * of the compiled schema, so the bytes depend only on the definitions.
 */
import type { CompiledEvent, JsonSchema } from '../types.js'
import { BANNER_TEXT } from './banner.js'

/** The dialect inferred schemas are written in. */
const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema'

/** The contents of an event's schema file. */
export function emitSchemaFile(event: CompiledEvent): string {
  const { $comment: _replaced, ...schema } = event.schema
  const document: JsonSchema = {
    $comment: BANNER_TEXT,
    $schema: schema.$schema ?? JSON_SCHEMA_DIALECT,
    title: schema.title ?? event.definition.name,
    ...schema,
  }
  return `${JSON.stringify(document, null, 2)}\n`
}
