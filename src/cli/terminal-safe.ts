/**
 * What the CLI prints carries data it does not control: event names and messages from a
 * Refold server, field names from YAML. A control character in them (ESC sequences that
 * clear the screen, retitle the window or rewrite a line, a bare carriage return) would act
 * on the user's terminal or CI log; it is shown escaped (`\u001b`) instead. The CLI's own
 * sequences stay: colours (SGR) and the progress line's leading erase.
 */

/** Control characters other than line feed and tab, C1 included. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/

/** Our colours (`ESC [ ... m`), kept; every other control character, escaped. */
const SEQUENCE_OR_CONTROL = /\u001b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g

/** The progress line redraws in place: a carriage return and erase-line, at the start of a write. */
const REDRAW = '\r\u001b[2K'

/** `text` with every control character shown as `\uXXXX`, except colours and a leading redraw. */
export function terminalSafe(text: string): string {
  if (!CONTROL.test(text)) return text
  const redraw = text.startsWith(REDRAW)
  const rest = redraw ? text.slice(REDRAW.length) : text
  const safe = rest.replace(SEQUENCE_OR_CONTROL, (match) =>
    match.length > 1 ? match : `\\u${match.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
  return redraw ? REDRAW + safe : safe
}
