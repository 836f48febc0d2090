/**
 * Names for generated TypeScript types: a nested object type is named after its event and
 * its path in the payload (`OrderPlacedLineItem` for the items of `line_items`), never
 * after its shape, and every name in `index.ts` is unique. Collisions are resolved in a
 * fixed order (first come keeps the plain name, later ones get `2`, `3`, …), so the output
 * never depends on anything but the input.
 */
import { nameWords } from '../definitions/identifier.js'

/**
 * Hands out unique type names. Seeded with the names the generator declares itself
 * (payload types, map types, runtime imports) so a nested type can never shadow one.
 */
export class TypeNamer {
  private readonly taken: Set<string>

  constructor(reserved: Iterable<string>) {
    this.taken = new Set(reserved)
  }

  /** `candidate`, or `candidate2`, `candidate3`, … when it is taken; the result is taken from then on. */
  claim(candidate: string): string {
    let name = candidate
    for (let n = 2; this.taken.has(name); n++) name = `${candidate}${n}`
    this.taken.add(name)
    return name
  }

  /** Mark a name as used without renaming it (the caller guarantees it is unique). */
  reserve(name: string): void {
    this.taken.add(name)
  }

  has(name: string): boolean {
    return this.taken.has(name)
  }
}

/**
 * PascalCase from any text (a property key, a `$defs` key), split into words the way event
 * names are (definitions/identifier.ts: separators, case humps, accents dropped), each word
 * capitalised: `line_items` -> `LineItems`, `billingAddress` -> `BillingAddress`.
 * Empty when the text has no letter or digit.
 */
export function pascalCase(text: string): string {
  return nameWords(text)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase())
    .join('')
}

/**
 * The singular of the last word of a PascalCase name, for array item types
 * (`LineItems` -> `LineItem`, `Categories` -> `Category`, `Addresses` -> `Address`).
 * Returns the name unchanged when it does not look like an English plural.
 */
export function singular(name: string): string {
  if (/[^aeiou]ies$/i.test(name)) return `${name.slice(0, -3)}y`
  if (/(ss|x|ch|sh|zz)es$/i.test(name)) return name.slice(0, -2)
  if (/[^su]s$/i.test(name) && !/(is|os|us|ss)$/i.test(name)) return name.slice(0, -1)
  return name
}

/** The name of the type of an array's items, given the name the array itself would get. */
export function itemTypeName(arrayName: string): string {
  const one = singular(arrayName)
  return one !== arrayName ? one : `${arrayName}Item`
}

/** The name segment for one property key; `Property` when the key has no letter or digit. */
export function propertySegment(key: string): string {
  return pascalCase(key) || 'Property'
}
