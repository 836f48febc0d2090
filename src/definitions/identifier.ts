/**
 * How an event name becomes code: the PascalCase identifier behind `fire<Identifier>()`
 * and `<Identifier>Payload`, and the kebab-case base name of per-event files.
 *
 * Rules (close to the `change-case` package, except that digits keep their letters):
 * 1. Accents are dropped (`Créé` -> `Cree`); every run of characters that is not a letter
 *    or a digit separates words (`New Contact Created`, `new-contact-created`,
 *    `new_contact.created`).
 * 2. Words also split at case humps: `newContact` -> `new Contact`, `HTTPRequest` ->
 *    `HTTP Request`. Digits stay with the letters beside them (`3D`, `2FA`, `OAuth2`),
 *    unless a capitalised word follows (`v2Api` -> `v2 Api`).
 * 3. Identifier: each word capitalised, the rest lower-cased, joined (`HttpRequestFailed`,
 *    `NEW_CONTACT_CREATED` -> `NewContactCreated`). A result that starts with a digit is
 *    prefixed with `Event` (`3D Secure Failed` -> `Event3dSecureFailed`), because no
 *    JavaScript identifier may start with a digit.
 * 4. File name: the words lower-cased, joined with `-` (`3d-secure-failed`); no prefix
 *    is needed there.
 */

/** Prefix of identifiers whose name starts with a digit. */
export const DIGIT_PREFIX = 'Event'

/** The words of an event name, as written (see the rules above). */
export function nameWords(name: string): string[] {
  const plain = name.normalize('NFKD').replace(/\p{M}+/gu, '')
  const words: string[] = []
  for (const chunk of plain.split(/[^\p{L}\p{Nd}]+/u)) {
    if (chunk === '') continue
    const humps = chunk
      // lower followed by upper: `newContact` -> `new Contact`
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1\0$2')
      // a digit followed by a capitalised word: `v2Api` -> `v2 Api` (but `3D`, `2FA` stay whole)
      .replace(/(\p{Nd})(\p{Lu}\p{Ll})/gu, '$1\0$2')
      // an acronym followed by a word: `HTTPRequest` -> `HTTP Request`, `3DSecure` -> `3D Secure`
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1\0$2')
      .split('\0')
    words.push(...humps.filter((w) => w !== ''))
  }
  return words
}

/**
 * The PascalCase identifier of an event name, or undefined when the name has no letter
 * or digit to build one from. `New Contact Created` -> `NewContactCreated`.
 */
export function toIdentifier(name: string): string | undefined {
  const words = nameWords(name)
  if (words.length === 0) return undefined
  const joined = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('')
  return /^\p{Nd}/u.test(joined) ? DIGIT_PREFIX + joined : joined
}

/** The kebab-case file base name of an event name: `New Contact Created` -> `new-contact-created`. */
export function toFileName(name: string): string | undefined {
  const words = nameWords(name)
  return words.length === 0 ? undefined : words.map((w) => w.toLowerCase()).join('-')
}
