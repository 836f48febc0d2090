/**
 * A one-line progress counter (`Applying 120/1000`) or status (`Reading events from local…`)
 * for long operations, redrawn in place on a terminal and absent everywhere else (CI logs and
 * pipes get the final report only).
 */
import type { CliIO } from './io.js'

/** Redraws at most this often. */
const REDRAW_MS = 100

/** A progress counter on stderr, shown only when the output is a terminal. */
export class ProgressLine {
  readonly #io: CliIO
  readonly #label: string
  readonly #enabled: boolean
  #lastDraw = 0
  #drawn = false

  constructor(io: CliIO, label: string) {
    this.#io = io
    this.#label = label
    // Drawn on stderr, so it is stderr that must be a terminal.
    this.#enabled = (io.stderrIsTTY ?? io.isTTY) && io.env.TERM !== 'dumb'
  }

  /** Show a phase of the work (`Reading events from local…`) until the next update or clear. */
  status(text: string): void {
    if (!this.#enabled) return
    this.#drawn = true
    this.#io.stderr(`\r\u001b[2K${text}`)
  }

  /** Show `done/total`; throttled, except that the last step always draws. */
  update(done: number, total: number): void {
    if (!this.#enabled) return
    const now = Date.now()
    if (done < total && now - this.#lastDraw < REDRAW_MS) return
    this.#lastDraw = now
    this.#drawn = true
    this.#io.stderr(`\r\u001b[2K${this.#label} ${done}/${total}`)
  }

  /** Erase the line, leaving the terminal as it was. */
  clear(): void {
    if (this.#drawn) this.#io.stderr('\r\u001b[2K')
    this.#drawn = false
  }
}
