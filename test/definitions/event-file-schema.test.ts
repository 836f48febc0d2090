import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EVENT_FILE_KEYS, EVENT_FILE_SCHEMA_URL, validateEventFile } from '../../src/definitions/validate-event-file.js'
import type { JsonValue } from '../../src/types.js'

const ROOT = join(import.meta.dirname, '../..')
const schema = JSON.parse(readFileSync(EVENT_FILE_SCHEMA_URL, 'utf8')) as {
  $schema: string
  properties: Record<string, { description?: string; markdownDescription?: string; examples?: JsonValue[] }>
  definitions: Record<string, unknown>
}

/** Every subschema that declares a value (properties, items, definitions), with its path. */
function declared(node: unknown, path: string, out: [string, Record<string, unknown>][]): [string, Record<string, unknown>][] {
  if (typeof node !== 'object' || node === null) return out
  const record = node as Record<string, unknown>
  for (const key of ['properties', 'definitions']) {
    const children = record[key] as Record<string, unknown> | undefined
    for (const [name, child] of Object.entries(children ?? {})) {
      out.push([`${path}/${key}/${name}`, child as Record<string, unknown>])
      declared(child, `${path}/${key}/${name}`, out)
    }
  }
  if (typeof record.items === 'object') declared(record.items, `${path}/items`, out)
  return out
}

describe('event-file.schema.json', () => {
  it('is draft-07 (what yaml-language-server supports) and ships in the package', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#')
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { files: string[]; exports: Record<string, string> }
    expect(pkg.files).toContain('event-file.schema.json')
    expect(pkg.exports['./event-file.schema.json']).toBe('./event-file.schema.json')
  })

  it('lists exactly the keys of the format', () => {
    expect(Object.keys(schema.properties)).toEqual([...EVENT_FILE_KEYS])
  })

  it('documents every key for hover and completion', () => {
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.description?.length, key).toBeGreaterThan(30)
      expect(property.markdownDescription?.length, key).toBeGreaterThan(30)
    }
    for (const [path, node] of declared(schema, '', [])) {
      if (path.startsWith('/definitions/jsonType')) continue
      expect(typeof node.description === 'string' || typeof node.$ref === 'string', `${path} has a description`).toBe(true)
    }
  })

  it('gives examples that are themselves valid', async () => {
    for (const [key, property] of Object.entries(schema.properties)) {
      expect(property.examples, key).toBeDefined()
      for (const example of property.examples ?? []) {
        const document = { name: 'Example', sample: {}, [key]: example }
        expect(await validateEventFile(document), `${key}: ${JSON.stringify(example)}`).toEqual([])
      }
    }
  })
})

describe("the project's events/", () => {
  const files = readdirSync(join(ROOT, 'events')).filter((f) => /\.ya?ml$/.test(f))

  it('has at least six events, each pointing editors at the file-format schema', () => {
    expect(files.length).toBeGreaterThanOrEqual(6)
    for (const file of files) {
      expect(readFileSync(join(ROOT, 'events', file), 'utf8').split('\n')[0], file).toBe(
        '# yaml-language-server: $schema=../event-file.schema.json',
      )
    }
  })
})
