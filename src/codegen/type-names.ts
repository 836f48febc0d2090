/**
 * Names for generated TypeScript types: a nested object type is named after its event and
 * its path in the payload (`OrderPlacedLineItem` for the items of `line_items`), never
 * after its shape, and every name in an event's module is unique. Names depend on the
 * event alone (each event module has its own namer), so they stay the same when other
 * events change. An array's items take the singular of the array's name unless a property
 * path already gives that name (`assignee` beside `assignees[]`), then `<Array>Item`
 * (`IssueAssigneesItem`); a number is only the last resort (`2`, `3`, … in a fixed order).
 */
import { capitalizeWord, nameWords } from '../definitions/identifier.js'

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
  let name = PASCAL_CASES.get(text)
  if (name === undefined) {
    name = nameWords(text).map(capitalizeWord).join('')
    // Bounded: a long `generate --watch` must not grow it forever.
    if (PASCAL_CASES.size >= MAX_REMEMBERED_NAMES) PASCAL_CASES.clear()
    PASCAL_CASES.set(text, name)
  }
  return name
}

/**
 * Names already split: the same property keys recur across a project's events, and the word
 * splitting (Unicode regular expressions) was about 5% of a cold generate's time.
 */
const PASCAL_CASES = new Map<string, string>()
const MAX_REMEMBERED_NAMES = 50_000

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

/**
 * The name of the type of an array's items, given the name the array itself would get:
 * its singular, or `<Array>Item` when the word has no plural or `pathNamed(singular)` says
 * a property path already gives that name.
 */
export function itemTypeName(arrayName: string, pathNamed: (name: string) => boolean = () => false): string {
  const one = singular(arrayName)
  return one !== arrayName && !pathNamed(one) ? one : `${arrayName}Item`
}

/**
 * Every name a property path of `schema` gives (`<stem><Key>`, through nested properties,
 * array items, union branches and `additionalProperties`), whatever its type: the names
 * array items must not take, so `issue.assignee` keeps `IssueAssignee` whichever is met first.
 */
export function propertyPathNames(schema: unknown, stem: string): Set<string> {
  const names = new Set<string>()
  const stack: Array<[node: unknown, stem: string]> = [[schema, stem]]
  while (stack.length > 0) {
    const [node, name] = stack.pop()!
    if (typeof node !== 'object' || node === null || Array.isArray(node)) continue
    const record = node as Record<string, unknown>
    const properties = record.properties
    if (typeof properties === 'object' && properties !== null && !Array.isArray(properties)) {
      for (const [key, child] of Object.entries(properties)) {
        const childName = name + propertySegment(key)
        names.add(childName)
        stack.push([child, childName])
      }
    }
    stack.push([record.items, itemTypeName(name)], [record.additionalProperties, `${name}Value`])
    for (const keyword of ['anyOf', 'oneOf', 'allOf']) {
      const branches = record[keyword]
      if (Array.isArray(branches)) for (const branch of branches) stack.push([branch, name])
    }
  }
  return names
}

/** The name segment for one property key; `Property` when the key has no letter or digit. */
export function propertySegment(key: string): string {
  return pascalCase(key) || 'Property'
}
