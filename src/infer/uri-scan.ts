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

const CLASSES = new Uint8Array(128)
function mark(chars: string, bits: number): void {
  for (const char of chars) {
    const code = char.charCodeAt(0)
    CLASSES[code] = (CLASSES[code] ?? 0) | bits
  }
}
const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'
mark(ALNUM + "-._~!$&'()*+,;=", HOST | SEGMENT | QUERY | ANY)
mark(':@', SEGMENT | QUERY | ANY)
mark('/?', QUERY | ANY)
mark('#%[]', ANY)

const PERCENT = 37
const SLASH = 47
const COLON = 58
const QUESTION = 63
const HASH = 35

/**
 * Decide whether `value` is a `uri` for ajv-formats, given that `value[0..schemeEnd)` is
 * a valid scheme and `value[schemeEnd]` is `:`; `undefined` when only the full
 * expression can tell.
 */
export function scanUri(value: string, schemeEnd: number): boolean | undefined {
  const length = value.length
  let index = schemeEnd + 1
  if (value.charCodeAt(index) !== SLASH || value.charCodeAt(index + 1) !== SLASH) return undecided(value, index)
  index += 2
  // Host: a possibly empty reg-name.
  index = skip(value, index, HOST)
  if (index < 0) return undecided(value, schemeEnd)
  let code = value.charCodeAt(index)
  if (code === COLON) {
    index++
    while (index < length && isDigit(value.charCodeAt(index))) index++
    code = value.charCodeAt(index)
  }
  // Path: `/segment` repeated.
  while (code === SLASH) {
    index = skip(value, index + 1, SEGMENT)
    if (index < 0) return undecided(value, schemeEnd)
    code = value.charCodeAt(index)
  }
  if (code === QUESTION) {
    index = skip(value, index + 1, QUERY)
    if (index < 0) return undecided(value, schemeEnd)
    code = value.charCodeAt(index)
  }
  if (code === HASH) {
    index = skip(value, index + 1, QUERY)
    if (index < 0) return undecided(value, schemeEnd)
  }
  return index === length ? true : undecided(value, index)
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

/** The index after a run of `bits` characters and `%XX` escapes from `index`; -1 on a bad `%`. */
function skip(value: string, index: number, bits: number): number {
  const length = value.length
  while (index < length) {
    const code = value.charCodeAt(index)
    if (code === PERCENT) {
      if (!isHex(value.charCodeAt(index + 1)) || !isHex(value.charCodeAt(index + 2))) return -1
      index += 3
    } else if (code < 128 && ((CLASSES[code] as number) & bits) !== 0) {
      index++
    } else {
      break
    }
  }
  return index
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

function isHex(code: number): boolean {
  const lower = code | 0x20
  return isDigit(code) || (lower >= 97 && lower <= 102)
}
