/**
 * Errors printed by the CLI read as one sentence after `error: `. Library errors (the
 * runtime's, for people's own logs) start with a capital letter and are sometimes shown with
 * their class name; after `error:` that reads as `error: PayloadValidationError: Payload ...`.
 */

/** Proper nouns a message may start with, kept as written. */
const PROPER_NOUNS = new Set(['Refold', 'GitHub', 'JSON', 'YAML', 'HTTP', 'HTTPS', 'URL', 'API', 'TypeScript', 'Node.js'])

/** `error: <message>` with the message's first word lowercased unless it is a name or an acronym. */
export function errorLine(message: string): string {
  return `error: ${lowercaseFirstWord(message)}`
}

/** `Payload for ...` -> `payload for ...`; `Refold ...`, `HTTP ...`, `REFOLD_BASE_URL ...` unchanged. */
function lowercaseFirstWord(message: string): string {
  const word = /^[A-Za-z][A-Za-z.]*/.exec(message)?.[0]
  if (word === undefined || PROPER_NOUNS.has(word)) return message
  // Only a plain capitalised word (`Refusing`), never an acronym or a camel-cased name (`ECONNREFUSED`, `iOS`).
  if (!/^[A-Z][a-z]+$/.test(word)) return message
  return `${word.charAt(0).toLowerCase()}${message.slice(1)}`
}
