/**
 * A compiled event held compactly until it is used: V8's serialization of it, outside the
 * JavaScript heap, beside the two strings needed before it is unpacked (its name, to sort
 * by, and its file name, to plan the output paths). `generate` holds every event of the
 * project this way between compile and generating it, one event unpacked at a time.
 *
 * Why: as objects, a compiled event of a typical file costs ~16 KB of heap (its sample, examples
 * and schema as objects, each shape of them a hidden class, strings sliced from the file's text
 * that keep the whole text alive), ~160 MB for 10,000 events; V8 then grows the heap to a multiple
 * of that. Serialized it is ~5 KB of bytes the collector never walks. The structured clone is
 * exact for plain data, which compiled events are (objects come back with Object.prototype):
 * property order, a `__proto__` key as a field, `undefined` values, `-0`, a value shared by
 * two places; JSON text would lose the last three.
 */
import { deserialize, serialize } from 'node:v8'
import type { CompiledEvent } from '../types.js'
import { detachedCopy } from '../util/detached-copy.js'

/** A compiled event as bytes, with what is read of it before it is unpacked. */
export interface PackedEvent {
  /** `definition.name`. */
  readonly name: string
  /** `fileName`: the event's output paths (codegen/output-layout.ts). */
  readonly fileName: string
  readonly bytes: Uint8Array
}

/** Pack `event`; nothing of the packed event refers to it (the original can be collected). */
export function packEvent(event: CompiledEvent): PackedEvent {
  // Copies: the name as parsed is sliced from the file's text, which would stay alive with it.
  return { name: detachedCopy(event.definition.name), fileName: event.fileName, bytes: serialize(event) }
}

/** A fresh copy of the event `packEvent` was given, equal to it in every own property. */
export function unpackEvent(packed: PackedEvent): CompiledEvent {
  return deserialize(packed.bytes) as CompiledEvent
}

/** `event` itself, or the event packed in it (for code that takes either). */
export function compiledEvent(event: CompiledEvent | PackedEvent): CompiledEvent {
  return 'definition' in event ? event : unpackEvent(event)
}
