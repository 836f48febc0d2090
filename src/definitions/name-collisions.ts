/**
 * Cross-file name rules: an event name is defined once, no two names differ only in
 * case, and no two names give the same identifier or file name in generated code.
 * Each error sits at the later file's `name` and names the earlier file.
 */
import type { Diagnostic, EventDefinition, Position } from '../types.js'
import { toFileName } from './identifier.js'
import { locate } from './locate.js'

/**
 * What these checks read of a definition: its names, its file, and the positions of `/name`
 * and `/previousNames/*` (a definition whose file was not parsed again carries only these).
 */
export type NamedDefinition = Pick<EventDefinition, 'name' | 'identifier' | 'file' | 'previousNames' | 'locations'>

/** Of a definition's positions, those these checks report at: `/name` and each `/previousNames/<i>`. */
export function namePositions(locations: Readonly<Record<string, Position>>): Record<string, Position> {
  const kept: Record<string, Position> = {}
  for (const pointer of Object.keys(locations)) {
    if (pointer === '/name' || pointer.startsWith('/previousNames/')) kept[pointer] = locations[pointer]!
  }
  return kept
}

export interface CollisionResult<T extends NamedDefinition> {
  /** The definitions that keep their place (the first of each colliding group). */
  accepted: T[]
  diagnostics: Diagnostic[]
}

/** Check `definitions` (in file order) against each other; the first file of a collision wins. */
export function checkNameCollisions<T extends NamedDefinition>(definitions: readonly T[]): CollisionResult<T> {
  const byName = new Map<string, NamedDefinition>()
  const byFoldedName = new Map<string, NamedDefinition>()
  const byIdentifier = new Map<string, NamedDefinition>()
  const byFileName = new Map<string, NamedDefinition>()
  const accepted: T[] = []
  const diagnostics: Diagnostic[] = []
  for (const definition of definitions) {
    const fileName = toFileName(definition.name) ?? definition.identifier
    const problem = collision(definition, fileName, { byName, byFoldedName, byIdentifier, byFileName })
    if (problem !== undefined) {
      diagnostics.push({ file: definition.file, ...locate(definition.locations, '/name'), severity: 'error', message: problem })
      continue
    }
    byName.set(definition.name, definition)
    byFoldedName.set(definition.name.toLowerCase(), definition)
    byIdentifier.set(definition.identifier, definition)
    byFileName.set(fileName, definition)
    accepted.push(definition)
  }
  diagnostics.push(...previousNameClashes(accepted, definitions))
  return { accepted, diagnostics }
}

/**
 * A previous name must belong to no other event, current or former: helpers fall back to it
 * when Refold answers 404 for the new name, and a fire under another event's name would run
 * that event's workflows with this payload. Each error sits at the entry.
 */
function previousNameClashes(accepted: readonly NamedDefinition[], all: readonly NamedDefinition[]): Diagnostic[] {
  const current = new Map(accepted.map((definition) => [definition.name, definition]))
  const former = new Map<string, NamedDefinition>()
  const diagnostics: Diagnostic[] = []
  // A file whose name clashes still has its previous names checked: they are independent of it.
  for (const definition of all) {
    for (const [index, previous] of (definition.previousNames ?? []).entries()) {
      const owner = current.get(previous)
      if (owner === definition) continue
      const earlier = former.get(previous)
      const problem =
        owner !== undefined
          ? `previous name ${JSON.stringify(previous)} is the current name of the event in ${where(owner)}; expected a name no event of this project has`
          : earlier !== undefined
            ? `previous name ${JSON.stringify(previous)} is also a previous name of ${JSON.stringify(earlier.name)} in ${where(earlier)}; expected each former name in one event`
            : undefined
      if (problem === undefined) former.set(previous, definition)
      else
        diagnostics.push({
          file: definition.file,
          ...locate(definition.locations, `/previousNames/${index}`),
          severity: 'error',
          message: problem,
        })
    }
  }
  return diagnostics
}

interface Seen {
  byName: Map<string, NamedDefinition>
  byFoldedName: Map<string, NamedDefinition>
  byIdentifier: Map<string, NamedDefinition>
  byFileName: Map<string, NamedDefinition>
}

function collision(definition: NamedDefinition, fileName: string, seen: Seen): string | undefined {
  const name = JSON.stringify(definition.name)
  const same = seen.byName.get(definition.name)
  if (same !== undefined) {
    return `duplicate event name ${name}: already defined in ${where(same)}; expected each event in exactly one file`
  }
  const folded = seen.byFoldedName.get(definition.name.toLowerCase())
  if (folded !== undefined) {
    return `event name ${name} differs only in case from ${JSON.stringify(folded.name)} in ${where(folded)}; expected names that differ by more than case`
  }
  const identifier = seen.byIdentifier.get(definition.identifier)
  if (identifier !== undefined) {
    return `event name ${name} gives the identifier ${definition.identifier}, already used by ${JSON.stringify(identifier.name)} in ${where(identifier)}; rename one of them`
  }
  const file = seen.byFileName.get(fileName)
  if (file !== undefined) {
    return `event name ${name} gives the file name ${fileName}, already used by ${JSON.stringify(file.name)} in ${where(file)}; rename one of them`
  }
  return undefined
}

function where(definition: NamedDefinition): string {
  const { line, column } = locate(definition.locations, '/name')
  return `${definition.file}:${line}:${column}`
}
