/**
 * The small pieces under the generator: type names, the code writer's escaping, and the
 * re-indentation of json-schema-to-typescript's unformatted output.
 */
import { describe, expect, it } from 'vitest'
import { CodeWriter, escapeDocText, stringLiteral } from '../../src/codegen/code-writer.js'
import { reindent } from '../../src/codegen/emit-types.js'
import { itemTypeName, pascalCase, propertyPathNames, singular, TypeNamer } from '../../src/codegen/type-names.js'
import { exampleText } from '../../src/codegen/type-schema.js'

describe('type names', () => {
  it('builds PascalCase from keys the way event identifiers are built', () => {
    expect(pascalCase('line_items')).toBe('LineItems')
    expect(pascalCase('billingAddress')).toBe('BillingAddress')
    expect(pascalCase('shipping-address.v2')).toBe('ShippingAddressV2')
    expect(pascalCase('Café crème')).toBe('CafeCreme')
    expect(pascalCase('HTTPHeaders')).toBe('HttpHeaders')
    expect(pascalCase('***')).toBe('')
  })

  it('names array items in the singular, or Item when the word has no plural', () => {
    expect(itemTypeName('OrderLineItems')).toBe('OrderLineItem')
    expect(itemTypeName('PostCategories')).toBe('PostCategory')
    expect(itemTypeName('UserAddresses')).toBe('UserAddress')
    expect(itemTypeName('BoxBoxes')).toBe('BoxBox')
    expect(itemTypeName('OrderStatus')).toBe('OrderStatusItem')
    expect(itemTypeName('EventData')).toBe('EventDataItem')
    expect(singular('Keys')).toBe('Key')
  })

  it('names array items <Array>Item when a property path already gives the singular', () => {
    const schema = {
      type: 'object',
      properties: {
        issue: { type: 'object', properties: { assignee: { type: 'object' }, assignees: { type: 'array', items: { type: 'object' } } } },
        labels: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      },
    }
    const paths = propertyPathNames(schema, 'GitHubIssues')
    expect([...paths].sort()).toEqual([
      'GitHubIssuesIssue',
      'GitHubIssuesIssueAssignee',
      'GitHubIssuesIssueAssignees',
      'GitHubIssuesLabelName',
      'GitHubIssuesLabels',
    ])
    expect(itemTypeName('GitHubIssuesIssueAssignees', (n) => paths.has(n))).toBe('GitHubIssuesIssueAssigneesItem')
    expect(itemTypeName('GitHubIssuesLabels', (n) => paths.has(n))).toBe('GitHubIssuesLabel')
    expect(pascalCase('github_repo')).toBe('GitHubRepo')
  })

  it('hands out each name once, numbering later claims in order', () => {
    const namer = new TypeNamer(['RefoldEventMap'])
    expect(namer.claim('A')).toBe('A')
    expect(namer.claim('A')).toBe('A2')
    expect(namer.claim('A')).toBe('A3')
    expect(namer.claim('RefoldEventMap')).toBe('RefoldEventMap2')
  })
})

describe('CodeWriter', () => {
  it('indents blocks, keeps empty lines empty and ends with one newline', () => {
    const w = new CodeWriter().line('a').blank().blank()
    w.block('function f() {', () => {
      w.line('return 1').line()
    })
    expect(w.toString()).toBe('a\n\nfunction f() {\n  return 1\n\n}\n')
  })

  it('writes TSDoc that user text cannot close', () => {
    const text = new CodeWriter().doc('one */ two\r\nthree', undefined, '', '@example 1').toString()
    expect(text).toBe('/**\n * one *\\/ two\n * three\n *\n * @example 1\n */\n')
    expect(new CodeWriter().doc(undefined, '  ').toString()).toBe('\n')
  })

  it('writes string literals that survive quotes, backslashes, newlines and line separators', () => {
    for (const value of ['a"b', "c'd", 'e`f${g}', 'h\\', 'i\nj', 'k\u2028l\u2029m', '</script>']) {
      const literal = stringLiteral(value)
      expect(literal).not.toMatch(/[\n\u2028\u2029]/)
      expect(new Function(`return ${literal}`)()).toBe(value)
    }
    expect(escapeDocText('a\u2028b')).toBe('a\nb')
  })
})

describe('reindent', () => {
  it('indents by braces, leaves strings and comments alone, separates declarations', () => {
    const raw = 'export interface A {\n/**\n * has { and }\n */\n"{": B\nc?: {\n[k: string]: unknown\n}\n}\nexport interface B {\n\n}\n'
    expect(reindent(raw)).toBe(
      'export interface A {\n  /**\n   * has { and }\n   */\n  "{": B\n  c?: {\n    [k: string]: unknown\n  }\n}\n\nexport interface B {\n}',
    )
  })
})

describe('exampleText', () => {
  it('shows short values as JSON, cuts long strings and skips long or nested values', () => {
    expect(exampleText('jane@example.com')).toBe('"jane@example.com"')
    expect(exampleText(42)).toBe('42')
    expect(exampleText(['a', 'b'])).toBe('["a","b"]')
    expect(exampleText([{ a: 1 }])).toBeUndefined()
    expect(exampleText('x'.repeat(500))).toBe(`"${'x'.repeat(100)}…"`)
    expect(exampleText(Array.from({ length: 100 }, (_, i) => i))).toBeUndefined()
    expect(exampleText(undefined)).toBeUndefined()
  })
})
