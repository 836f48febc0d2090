/**
 * Apply's view of Refold's events, for the optimistic-concurrency check (has an event moved
 * since the plan?) without a read per event. Refold answers every write with the whole event
 * list; the view keeps one such answer every `maxAgeMs / 2` (the others are discarded
 * unread, they are megabytes at 1,000 events) and falls back to one list read only when no
 * answer is coming: at the start of apply, or after a stall. A kept answer is an
 * {@link EventListing}: the store decodes an event only when the view is asked for it.
 *
 * The window this leaves: a change made on Refold after the snapshot an event is checked
 * against was taken (the snapshot's request was sent), and before sync's write of that
 * event lands, is overwritten. A snapshot is used for `maxAgeMs` after it arrived; then the
 * next one is awaited (an answer in flight, else a list read). So the window is at most
 * `maxAgeMs` plus the snapshot's round trip plus the write's transit. Everything changed
 * before it is detected and the event is skipped. (Counting from arrival rather than from
 * sending keeps a slow Refold, whose round trips exceed `maxAgeMs`, from needing a list
 * read before every write.)
 */
import type { RemoteEventSnapshot } from '../../wire/event-body.js'

/** Refold's events as one answer listed them, by id; an event may be decoded only when asked for. */
export interface EventListing {
  /** The event with this id in the list, or null when the list does not have it. */
  event(id: string): RemoteEventSnapshot | null
}

/** A listing over events already decoded. */
export function listingOf(events: readonly RemoteEventSnapshot[]): EventListing {
  const byId = new Map(events.map((event) => [event.id, event]))
  return { event: (id) => byId.get(id) ?? null }
}

/** How a view gets a fresh list when no write answer is coming. */
export type ListEvents = () => Promise<EventListing>

const NOTHING_LISTED: EventListing = { event: () => null }

/** The latest known event list and how old it is; see the module comment. */
export class RemoteView {
  #events: EventListing = NOTHING_LISTED
  /** When the request whose answer the view holds was sent; -Infinity before the first. */
  #sentAt = Number.NEGATIVE_INFINITY
  /** When that answer arrived. */
  #receivedAt = Number.NEGATIVE_INFINITY
  /** When the last write that keeps its answer was sent. */
  #lastKeptAt = Number.NEGATIVE_INFINITY
  /** The latest write in flight that keeps its answer: awaiting it beats a list read. */
  #answerInFlight: { sentAt: number; answer: Promise<unknown> } | null = null
  #refreshing: Promise<void> | null = null
  /** List reads made (for measurements and tests). */
  listReads = 0

  constructor(
    private readonly list: ListEvents,
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  /** The event as Refold has it in a snapshot at most `maxAgeMs` old (or the next one); null when absent. */
  async current(id: string): Promise<RemoteEventSnapshot | null> {
    if (this.now() - this.#receivedAt > this.maxAgeMs) await this.#refresh()
    return this.#events.event(id)
  }

  /**
   * Call just before sending a write: whether to keep its answer as the next snapshot.
   * Then call {@link track} with the write's promise when the answer is kept.
   */
  keepNextAnswer(): boolean {
    const now = this.now()
    if (now - this.#lastKeptAt < this.maxAgeMs / 2) return false
    this.#lastKeptAt = now
    return true
  }

  /** Follow a write that keeps its answer: its list becomes the view when it is the newest. */
  track(answer: Promise<EventListing | null>, sentAt: number): void {
    const settled = answer.then(
      (list) => {
        if (list !== null) this.#offer(list, sentAt)
      },
      () => {},
    )
    if (this.#answerInFlight === null || sentAt >= this.#answerInFlight.sentAt) this.#answerInFlight = { sentAt, answer: settled }
    void settled.then(() => {
      if (this.#answerInFlight?.answer === settled) this.#answerInFlight = null
    })
  }

  #offer(list: EventListing, sentAt: number): void {
    if (sentAt <= this.#sentAt) return
    this.#events = list
    this.#sentAt = sentAt
    this.#receivedAt = this.now()
  }

  /** Newer than the current snapshot, once: the answer in flight when there is one, else one list read shared by every waiter. */
  #refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      const before = this.#sentAt
      const inFlight = this.#answerInFlight
      if (inFlight !== null && inFlight.sentAt > before) {
        await inFlight.answer
        if (this.#sentAt > before) return
      }
      const sentAt = this.now()
      this.listReads++
      this.#offer(await this.list(), sentAt)
    })().finally(() => {
      this.#refreshing = null
    })
    return this.#refreshing
  }
}
