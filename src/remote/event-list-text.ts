/**
 * An event-list answer read for apply's concurrency check without decoding it. Refold answers
 * every write with the whole list (~5 MB at 1,000 events); decoding one took ~80 ms of the
 * event loop, during which no other write's answer was handled. Here one scan finds where
 * each event's object starts and ends and its `_id`, skipping string contents with `indexOf`
 * and allocating nothing per event but its span; an event is parsed (`JSON.parse` of its own
 * text, then events-api.ts `decodeEvent`) only when apply asks for it.
 *
 * The scan accepts what events-api.ts `decodeEventList` accepts: an array of objects, each with a
 * string `_id` and `name` (the last of duplicate keys counts, as in `JSON.parse`), or a
 * `{data: [...]}` wrapper; anything else is not a list. It checks the structure (brackets,
 * strings, separators), not every token: an event whose own text is not JSON fails when it is
 * asked for, as a protocol error naming the request.
 */
import type { EventListing } from '../sync/apply/remote-view.js'
import type { RemoteEventSnapshot } from '../wire/event-body.js'
import { RemoteProtocolError } from './remote-error.js'

/** One event's decoded JSON -> snapshot (events-api.ts `decodeEvent`); throws when it is not an event. */
export type DecodeEvent = (value: unknown) => RemoteEventSnapshot

/** A list answer's text, indexed by event id; see the module comment. */
export class EventListText implements EventListing {
  private constructor(
    private readonly text: string,
    private readonly spans: ReadonlyMap<string, Span>,
    private readonly decode: DecodeEvent,
    private readonly method: string,
    private readonly path: string,
  ) {}

  /** Index `text` (the answer to `method path`); null when it is not an event list. */
  static index(text: string, decode: DecodeEvent, method: string, path: string): EventListText | null {
    const spans = indexEvents(text)
    return spans === null ? null : new EventListText(text, spans, decode, method, path)
  }

  /** How many events the list holds. */
  get size(): number {
    return this.spans.size
  }

  event(id: string): RemoteEventSnapshot | null {
    const span = this.spans.get(id)
    if (span === undefined) return null
    let value: unknown
    try {
      value = JSON.parse(this.text.slice(span.start, span.end))
    } catch {
      throw new RemoteProtocolError(this.method, this.path, `event ${id} in the answer is not JSON`)
    }
    return this.decode(value)
  }
}

interface Span {
  start: number
  end: number
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const COLON = 0x3a
const OPEN_BRACKET = 0x5b
const CLOSE_BRACKET = 0x5d
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d

/** Event spans by id, or null when `text` is not a list of events (see the module comment). */
function indexEvents(text: string): Map<string, Span> | null {
  const scan = new Scanner(text)
  let at = scan.skipSpace(0)
  let array = -1
  if (scan.code(at) === OPEN_BRACKET) {
    array = at
    at = scan.skipValue(at)
  } else if (scan.code(at) === OPEN_BRACE) {
    // `{data: [...]}`: the array under the last `data` key.
    at = scan.members(at, (key, valueAt) => {
      if (key === 'data') array = scan.code(valueAt) === OPEN_BRACKET ? valueAt : -1
      return scan.skipValue(valueAt)
    })
  } else return null
  if (at < 0 || array < 0 || scan.skipSpace(at) !== text.length) return null
  return scan.events(array)
}

/** JSON structure over one text: each method takes a position and returns the one past what it read, or -1 when malformed. */
class Scanner {
  constructor(private readonly text: string) {}

  code(at: number): number {
    return this.text.charCodeAt(at)
  }

  skipSpace(at: number): number {
    let i = at
    for (let c = this.text.charCodeAt(i); c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09; c = this.text.charCodeAt(++i));
    return i
  }

  /** Past the string that opens at `at` (its quote). */
  skipString(at: number): number {
    let quote = at
    for (;;) {
      quote = this.text.indexOf('"', quote + 1)
      if (quote < 0) return -1
      let backslashes = 0
      while (this.text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++
      if (backslashes % 2 === 0) return quote + 1
    }
  }

  /** The string that opens at `at`, decoded, and the position past it; null when malformed. */
  readString(at: number): { value: string; end: number } | null {
    const end = this.skipString(at)
    if (end < 0) return null
    const raw = this.text.slice(at + 1, end - 1)
    if (!raw.includes('\\')) return { value: raw, end }
    try {
      return { value: JSON.parse(this.text.slice(at, end)) as string, end }
    } catch {
      return null
    }
  }

  /** Past the value that starts at `at`: containers by bracket depth, strings by their closing quote, else up to a separator. */
  skipValue(at: number): number {
    const first = this.text.charCodeAt(at)
    if (first === QUOTE) return this.skipString(at)
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      let i = at
      for (let c = first; i < this.text.length && !isDelimiter(c); c = this.text.charCodeAt(++i));
      return i > at ? i : -1
    }
    let depth = 0
    for (let i = at; i < this.text.length; ) {
      const c = this.text.charCodeAt(i)
      if (c === QUOTE) {
        i = this.skipString(i)
        if (i < 0) return -1
        continue
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) depth++
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        if (--depth === 0) return i + 1
      }
      i++
    }
    return -1
  }

  /**
   * The members of the object that opens at `at`: `onMember(key, valueAt)` returns the
   * position past the value. Returns the position past the object.
   */
  members(at: number, onMember: (key: string, valueAt: number) => number): number {
    let i = this.skipSpace(at + 1)
    if (this.code(i) === CLOSE_BRACE) return i + 1
    for (;;) {
      if (this.code(i) !== QUOTE) return -1
      const key = this.readString(i)
      if (key === null) return -1
      i = this.skipSpace(key.end)
      if (this.code(i) !== COLON) return -1
      i = onMember(key.value, this.skipSpace(i + 1))
      if (i < 0) return -1
      i = this.skipSpace(i)
      if (this.code(i) === CLOSE_BRACE) return i + 1
      if (this.code(i) !== COMMA) return -1
      i = this.skipSpace(i + 1)
    }
  }

  /** The events of the array that opens at `at`, by id (the last of duplicate ids, as a Map built from the decoded list). */
  events(at: number): Map<string, Span> | null {
    const spans = new Map<string, Span>()
    let i = this.skipSpace(at + 1)
    if (this.code(i) === CLOSE_BRACKET) return spans
    for (;;) {
      if (this.code(i) !== OPEN_BRACE) return null
      const start = i
      const found: { id: string | null; named: boolean } = { id: null, named: false }
      i = this.members(i, (key, valueAt) => {
        if (key !== '_id' && key !== 'name') return this.skipValue(valueAt)
        const value = this.code(valueAt) === QUOTE ? this.readString(valueAt) : null
        if (key === '_id') found.id = value?.value ?? null
        else found.named = value !== null
        return value?.end ?? this.skipValue(valueAt)
      })
      if (i < 0 || found.id === null || !found.named) return null
      spans.set(found.id, { start, end: i })
      i = this.skipSpace(i)
      if (this.code(i) === CLOSE_BRACKET) return spans
      if (this.code(i) !== COMMA) return null
      i = this.skipSpace(i + 1)
    }
  }
}

function isDelimiter(c: number): boolean {
  return c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09
}
