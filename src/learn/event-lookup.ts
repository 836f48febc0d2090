/**
 * Which event a recorded payload belongs to. A record names the event as it was fired, so one
 * fired before a rename carries a name the event now lists in `previousNames`; it belongs to
 * that event (the cross-file checks keep a previous name from naming any other event).
 */
import type { EventDefinition } from '../types.js'

/** The event a recorded name stands for, and the name it was recorded under when that was a previous one. */
export interface RecordedEvent<T> {
  item: T
  /** Set when the record used one of the event's `previousNames`. */
  recordedAs?: string
}

/** A lookup of `items` by their definition's current name and by each of its previous names. */
export function recordedEventLookup<T>(
  items: readonly T[],
  definitionOf: (item: T) => Pick<EventDefinition, 'name' | 'previousNames'>,
): (name: string) => RecordedEvent<T> | undefined {
  const current = new Map<string, T>()
  const former = new Map<string, T>()
  for (const item of items) {
    const definition = definitionOf(item)
    current.set(definition.name, item)
    for (const previous of definition.previousNames ?? []) former.set(previous, item)
  }
  return (name) => {
    const item = current.get(name)
    if (item !== undefined) return { item }
    const renamed = former.get(name)
    return renamed === undefined ? undefined : { item: renamed, recordedAs: name }
  }
}
