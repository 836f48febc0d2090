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
 *    unless a capitalised word follows (`v2Api` -> `v2 Api`). Known brand names written
 *    with an inner capital stay one word (`GitHub`, `HubSpot`, `LinkedIn`: see
 *    {@link BRAND_WORDS}), so `GitHub Issues` gives the file `github-issues`, not `git-hub-issues`.
 * 3. Identifier: each word capitalised, the rest lower-cased, joined (`HttpRequestFailed`,
 *    `NEW_CONTACT_CREATED` -> `NewContactCreated`); a brand word keeps its own casing in
 *    whatever case it was written (`github_issues` -> `GitHubIssues`). A result that starts with a digit is
 *    prefixed with `Event` (`3D Secure Failed` -> `Event3dSecureFailed`), because no
 *    JavaScript identifier may start with a digit.
 * 4. File name: the words lower-cased, joined with `-` (`3d-secure-failed`); no prefix
 *    is needed there.
 */

/** Prefix of identifiers whose name starts with a digit. */
const DIGIT_PREFIX = 'Event'

/**
 * Value names the generated index module declares or imports. An event whose helper
 * `fire<Identifier>` would equal one (an event named `Event` gives `fireEvent`) is refused by
 * compile, so `check` says it and code generation never meets it.
 */
export const INDEX_VALUE_NAMES = [
  'fireEvent',
  'eventNames',
  'eventPreviousNames',
  'eventRenamedCopies',
  'payloadValidators',
  'getDefaultClient',
] as const

/**
 * Brand names whose inner capital is not a word boundary. Kept short and limited to names
 * that appear in event and field names of the apps Refold connects (a name missing here
 * only splits like any other word: `Git Hub`).
 */
const BRAND_WORDS: readonly string[] = [
  'BigCommerce',
  'ClickUp',
  'DocuSign',
  'DynamoDB',
  'FreshBooks',
  'GitHub',
  'GitLab',
  'GraphQL',
  'HubSpot',
  'JavaScript',
  'LinkedIn',
  'MailChimp',
  'MongoDB',
  'MySQL',
  'NetSuite',
  'OAuth',
  'OneDrive',
  'PagerDuty',
  'PayPal',
  'PostgreSQL',
  'QuickBooks',
  'SendGrid',
  'ServiceNow',
  'SharePoint',
  'TypeScript',
  'WhatsApp',
  'WooCommerce',
  'WordPress',
  'YouTube',
  'ZoomInfo',
]

/** Lower-cased brand word -> its casing. */
const BRAND_CASING: ReadonlyMap<string, string> = new Map(BRAND_WORDS.map((brand) => [brand.toLowerCase(), brand]))

/**
 * A brand written as the brand spells it, inside a chunk (`myGitHub` -> `my GitHub`), with the
 * digits after it (`OAuth2`), unless a lower-case letter follows (`GitHubber` is not the brand).
 */
const BRAND_IN_CHUNK = new RegExp(`((?:${BRAND_WORDS.join('|')})\\p{Nd}*)(?!\\p{Ll})`, 'gu')

/** The words of an event name, as written (see the rules above). */
export function nameWords(name: string): string[] {
  const plain = name.normalize('NFKD').replace(/\p{M}+/gu, '')
  const words: string[] = []
  for (const chunk of plain.split(/[^\p{L}\p{Nd}]+/u)) {
    if (chunk === '') continue
    // Brand names are cut out first (odd indexes of the split), the rest splits at humps.
    chunk.split(BRAND_IN_CHUNK).forEach((piece, i) => {
      if (i % 2 === 1) words.push(piece)
      else words.push(...humpWords(piece))
    })
  }
  return words
}

/** A word capitalised for an identifier: `contact` -> `Contact`, `HTTP` -> `Http`; brands keep their casing (`github` -> `GitHub`). */
export function capitalizeWord(word: string): string {
  const [, letters = word, digits = ''] = /^(.*?)(\p{Nd}*)$/u.exec(word) ?? []
  const brand = BRAND_CASING.get(letters.toLowerCase())
  if (brand !== undefined) return brand + digits
  return word.charAt(0).toUpperCase() + word.slice(1).toLowerCase()
}

/** One chunk (letters and digits only) split at case humps. */
function humpWords(chunk: string): string[] {
  return (
    chunk
      // lower followed by upper: `newContact` -> `new Contact`
      .replace(/(\p{Ll})(\p{Lu})/gu, '$1\0$2')
      // a digit followed by a capitalised word: `v2Api` -> `v2 Api` (but `3D`, `2FA` stay whole)
      .replace(/(\p{Nd})(\p{Lu}\p{Ll})/gu, '$1\0$2')
      // an acronym followed by a word: `HTTPRequest` -> `HTTP Request`, `3DSecure` -> `3D Secure`
      .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1\0$2')
      .split('\0')
      .filter((w) => w !== '')
  )
}

/**
 * The PascalCase identifier of an event name, or undefined when the name has no letter
 * or digit to build one from. `New Contact Created` -> `NewContactCreated`.
 */
export function toIdentifier(name: string): string | undefined {
  const words = nameWords(name)
  if (words.length === 0) return undefined
  const joined = words.map(capitalizeWord).join('')
  return /^\p{Nd}/u.test(joined) ? DIGIT_PREFIX + joined : joined
}

/** The kebab-case file base name of an event name: `New Contact Created` -> `new-contact-created`. */
export function toFileName(name: string): string | undefined {
  const words = nameWords(name)
  return words.length === 0 ? undefined : words.map((w) => w.toLowerCase()).join('-')
}
