/**
 * The generated side of renames in expansion (compile/rename-expansion.ts): an event module
 * exports its copies as `renamedCopies<Event>`, and its helper (and the index's `fireEvent`)
 * passes the arguments through the runtime's `withRenamedCopies` before firing. Events without
 * a rename in expansion generate exactly what they did before.
 */
import type { CompiledEvent } from '../types.js'
import { stringLiteral, type CodeWriter } from './code-writer.js'

/** The runtime's type of one copy, imported by modules that declare copies. */
export const RENAMED_COPY_TYPE = 'RenamedCopy'

/** The exported name of `event`'s copies, or undefined when it has none. */
export function renamedCopiesName(event: CompiledEvent): string | undefined {
  return (event.renameCopies ?? []).length > 0 ? `renamedCopies${event.definition.identifier}` : undefined
}

/** The declaration of `event`'s copies (none when it has none). */
export function writeRenamedCopies(w: CodeWriter, event: CompiledEvent): void {
  const name = renamedCopiesName(event)
  if (name === undefined) return
  const renames = (event.renameCopies ?? []).map((c) => `\`${c.from}\` -> \`${event.definition.renames[c.from] ?? ''}\``).join(', ')
  w.blank()
  w.doc(
    `Renames in expansion (${renames}): every fire also sends the old field as a copy of the new\n` +
      'one, so workflows reading either name keep working. `expand: false` on the `renames` entry\n' +
      'drops the copy (the contraction), once `refold-events sync` reports that no workflow reads the old name.',
  )
  const copies = (event.renameCopies ?? []).map(
    (c) => `{ newPath: ${pathLiteral(c.newPath)}, oldPath: ${pathLiteral(c.oldPath)}, keptPrefix: ${c.keptPrefix} }`,
  )
  w.line(`export const ${name}: readonly ${RENAMED_COPY_TYPE}[] = [${copies.join(', ')}]`)
}

/** The arguments expression a helper fires: `args`, or `args` through its copies. */
export function firedArgs(event: CompiledEvent, args: string): string {
  const name = renamedCopiesName(event)
  return name === undefined ? args : `withRenamedCopies(${args}, ${name})`
}

function pathLiteral(path: readonly string[]): string {
  return `[${path.map(stringLiteral).join(', ')}]`
}
