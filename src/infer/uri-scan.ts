/**
 * A linear scan that settles most `uri` checks without ajv-formats' URI expression,
 * the one costly check of inference (payloads are full of URLs: a GitHub repository
 * object alone carries about forty).
 *
 * It mirrors RFC 3986 as that expression encodes it (jmrware's URI regex, case
 * insensitive), for the common shape `scheme://host[:port][/path][?query][#fragment]`
 * without userinfo or IP-literal. The answer is exact or withheld:
 * - `true` only when that shape parses, so the expression matches too (its host
 *   alternative accepts every reg-name, its port any digits, its path, query and fragment
 *   the same character sets as below);
 * - `false` only when a character occurs that no atom of the expression can match
 *   (space, `{`, `"`, `<`, `\`, `^`, `|`, non-ASCII, ...), so it cannot match;
 * - `undefined` otherwise (userinfo `@`, `[` IPv6, a bad `%`, a `:` that is not a port):
 *   the caller asks ajv-formats.
 */

/** Characters of a reg-name host: unreserved and sub-delims (`%` handled apart). */
const HOST = 1
/** Characters of a path segment (pchar): HOST plus `:` and `@`. */
const SEGMENT = 2
/** Characters of a query or fragment: SEGMENT plus `/` and `?`. */
const QUERY = 4
/** Any character some atom of the URI expression can match. */
const ANY = 8
/** Digits, the characters of a port. */
const PORT = 16

const CLASSES = new Uint8Array(128)
function mark(chars: string, bits: number): void {
  for (const char of chars) {
    const code = char.charCodeAt(0)
    CLASSES[code] = (CLASSES[code] ?? 0) | bits
  }
}
mark('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ' + "-._~!$&'()*+,;=", HOST | SEGMENT | QUERY | ANY)
mark('0123456789', HOST | SEGMENT | QUERY | ANY | PORT)
mark(':@', SEGMENT | QUERY | ANY)
mark('/?', QUERY | ANY)
mark('#%[]', ANY)

const PERCENT = 37
const SLASH = 47
const COLON = 58
const QUESTION = 63
const HASH = 35

/** Where the scan is, in URI order; each part allows one character class. */
const IN_HOST = 0
const IN_PORT = 1
const IN_PATH = 2
const IN_QUERY = 3
const IN_FRAGMENT = 4

/**
 * Decide whether `value` is a `uri` for ajv-formats, given that `value[0..schemeEnd)` is
 * a valid scheme and `value[schemeEnd]` is `:`; `undefined` when only the full
 * expression can tell. One pass, one table lookup per character.
 */
export function scanUri(value: string, schemeEnd: number): boolean | undefined {
  const length = value.length
  let index = schemeEnd + 1
  if (value.charCodeAt(index) !== SLASH || value.charCodeAt(index + 1) !== SLASH) return undecided(value, index)
  let part: number = IN_HOST
  let allowed = HOST
  for (index += 2; index < length; index++) {
    const code = value.charCodeAt(index)
    if (code >= 128) return false
    if (((CLASSES[code] as number) & allowed) !== 0) continue
    if (code === PERCENT && part !== IN_PORT && isHex(value.charCodeAt(index + 1)) && isHex(value.charCodeAt(index + 2))) {
      index += 2
    } else if (code === SLASH && part <= IN_PATH) {
      part = IN_PATH
      allowed = SEGMENT
    } else if (code === QUESTION && part <= IN_PATH) {
      part = IN_QUERY
      allowed = QUERY
    } else if (code === HASH && part <= IN_QUERY) {
      part = IN_FRAGMENT
      allowed = QUERY
    } else if (code === COLON && part === IN_HOST) {
      part = IN_PORT
      allowed = PORT
    } else {
      return undecided(value, index)
    }
  }
  return true
}

/**
 * The scan stopped at `from` (everything before it is URI material): `false` if a
 * character no atom of the expression matches comes at or after it, else undefined.
 */
function undecided(value: string, from: number): false | undefined {
  for (let index = from; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code >= 128 || ((CLASSES[code] as number) & ANY) === 0) return false
  }
  return undefined
}

function isHex(code: number): boolean {
  const lower = code | 0x20
  return (code >= 48 && code <= 57) || (lower >= 97 && lower <= 102)
}
