/**
 * Warnings for schema keywords that other code generators read but `generate` does not:
 * `tsType` (a TypeScript type written as text) and `tsEnumNames` (a TypeScript enum).
 * Generated types always follow the schema, so they never disagree with the validators,
 * and no text from an event file is ever pasted into code. The loader accepts both
 * keywords (editors and other tools may use them); this says they have no effect here.
 */
import { locate } from '../definitions/locate.js'
import type { Diagnostic, EventDefinition, JsonSchema } from '../types.js'
import { appendPointer, readablePath } from '../util/json-pointer.js'
import { DATA_KEYWORDS, SUBSCHEMA_MAP_KEYWORDS } from '../util/schema-keywords.js'

const IGNORED: Readonly<Record<string, string>> = {
  tsType: 'generated types always follow the schema (use `type`, `enum` or `format` instead)',
  tsEnumNames: 'enums are generated as unions of their values',
}

/** One warning per ignored keyword in the definition's `schema` override, at its line in the file. */
export function ignoredKeywordWarnings(definition: EventDefinition): Diagnostic[] {
  const warnings: Diagnostic[] = []
  if (definition.schema === undefined) return warnings
  visit(definition.schema, '', (pointer, keyword) => {
    const at = locate(definition.locations, `/schema${pointer}`)
    warnings.push({
      file: definition.file,
      ...at,
      severity: 'warning',
      message: `${readablePath('schema', pointer)} is ignored by generate: ${IGNORED[keyword]}`,
    })
  })
  return warnings
}

function visit(node: unknown, pointer: string, found: (pointer: string, keyword: string) => void): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => visit(child, appendPointer(pointer, i), found))
    return
  }
  if (typeof node !== 'object' || node === null) return
  for (const [key, child] of Object.entries(node as JsonSchema)) {
    const childPointer = appendPointer(pointer, key)
    if (Object.hasOwn(IGNORED, key)) found(childPointer, key)
    else if (DATA_KEYWORDS.has(key)) continue
    else if (SUBSCHEMA_MAP_KEYWORDS.includes(key) && typeof child === 'object' && child !== null) {
      for (const [name, schema] of Object.entries(child)) visit(schema, appendPointer(childPointer, name), found)
    } else visit(child, childPointer, found)
  }
}
