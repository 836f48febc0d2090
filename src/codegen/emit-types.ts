/**
 * Payload types through json-schema-to-typescript, one compile call per event.
 *
 * Measured on the corpus (388 events, 2.7 MB of schema): one call over a synthetic root
 * holding every event took ~1.3 s, one call per event ~1.1 s, so the simpler per-event
 * form is kept; it also scopes `$ref`s to their own event. The library is imported lazily
 * (it pulls in prettier and a `$ref` parser), and `format: false` skips prettier, which
 * would otherwise be two thirds of its time; this module re-indents the output itself.
 */
import type { TypeSchema } from './type-schema.js'

/** The declarations of one event's payload types, indented, without a trailing newline. */
export type TypeDeclarations = string

type Compile = typeof import('json-schema-to-typescript').compile
type CompileOptions = NonNullable<Parameters<Compile>[2]>

/** The json-schema-to-typescript options generate uses (also the benchmark floor's). */
export const TYPE_COMPILE_OPTIONS = {
  format: false,
  bannerComment: '',
  // JSON Schema's own default: an object without `additionalProperties` is open.
  additionalProperties: true,
  unknownAny: true,
  strictIndexSignatures: false,
  declareExternallyReferenced: true,
  unreachableDefinitions: false,
  // Never read files or the network: only refs inside the event's schema are followed.
  $refOptions: { resolve: { external: false } },
} as const satisfies Partial<CompileOptions>

/** Compiles one event's type schema to its TypeScript declarations. */
export type TypeEmitter = (schema: TypeSchema) => Promise<TypeDeclarations>

/** Load json-schema-to-typescript once (it is large) and return the per-event compiler. */
export async function loadTypeEmitter(): Promise<TypeEmitter> {
  const { compile } = await import('json-schema-to-typescript')
  return (schema) => compileOne(compile, schema)
}

async function compileOne(compile: Compile, { schema, payloadType, placeholder, names }: TypeSchema): Promise<TypeDeclarations> {
  const compiled = await compile(schema, payloadType, TYPE_COMPILE_OPTIONS)
  const source = compiled.replace(new RegExp(`${placeholder}(\\d+)`, 'g'), (_, index: string) => names[Number(index)] ?? '')
  if (!new RegExp(`^export (interface|type) ${payloadType}\\b`, 'm').test(source)) {
    throw new Error(`json-schema-to-typescript did not declare ${payloadType}`)
  }
  return reindent(source)
}

/**
 * Indent json-schema-to-typescript's unformatted output by brace depth. Safe because its
 * output keeps strings on one line (JSON-escaped), opens blocks only at a line end and
 * closes them at a line start, and every comment line begins with `/**`, ` *` or ` *\/`.
 */
export function reindent(source: string): string {
  const out: string[] = []
  let depth = 0
  let inComment = false
  for (const raw of source.split('\n')) {
    const line = raw.trim()
    if (line === '') {
      // Empty interfaces come out as `{`, ``, `}`: drop the blank; keep one between declarations.
      if (depth === 0 && out.length > 0 && out[out.length - 1] !== '') out.push('')
      continue
    }
    if (inComment || line.startsWith('/**')) {
      out.push('  '.repeat(depth) + (line.startsWith('*') ? ` ${line}` : line))
      inComment = !line.endsWith('*/')
      continue
    }
    if (/^[}\])]/.test(line)) depth = Math.max(0, depth - 1)
    out.push('  '.repeat(depth) + line)
    if (/[{[(]$/.test(line)) depth++
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop()
  return separateDeclarations(out).join('\n')
}

/** One blank line before each top-level declaration (and its TSDoc), none elsewhere. */
function separateDeclarations(lines: string[]): string[] {
  const out: string[] = []
  for (const line of lines) {
    if (line === '') continue
    const startsDeclaration = line.startsWith('/**') || (line.startsWith('export ') && !endsDocComment(out))
    if (startsDeclaration && out.length > 0) out.push('')
    out.push(line)
  }
  return out
}

function endsDocComment(lines: string[]): boolean {
  return lines.length > 0 && lines[lines.length - 1] === ' */'
}
