/**
 * A copy of a string that shares nothing with it. V8 represents a substring of a long string
 * (a name the YAML parser sliced out of a file's text) as a slice that keeps the whole parent
 * alive: holding 10,000 such names holds 10,000 files. JSON round-trips every string exactly,
 * lone surrogates included, into a fresh flat one.
 */
export function detachedCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string
}
