import { describe, expect, it } from 'vitest'
import { EventListText } from '../../src/remote/event-list-text.js'
import { decodeEvent, decodeEventList } from '../../src/remote/events-api.js'
import { RemoteProtocolError } from '../../src/remote/remote-error.js'

const index = (text: string) => EventListText.index(text, (value) => decodeEvent(value, 'PUT', '/e/1'), 'PUT', '/e/1')

/** What the decoding path makes of `text`, by id (last of duplicates), or null when it refuses it. */
function decodedById(text: string) {
  try {
    return new Map(decodeEventList(text, 'PUT', '/e/1').map((event) => [event.id, event]))
  } catch (error) {
    if (error instanceof RemoteProtocolError) return null
    throw error
  }
}

const endpointEvent = (id: string, name: string, sample: object) => ({
  _id: id,
  name,
  response: Object.keys(sample).map((key) => ({ key, type: 'text' })),
  raw_response: JSON.stringify(sample),
  json_schema: { type: 'object', properties: { note: { type: 'string', description: 'a "quoted" \\ path, with } and ]' } } },
})

/** Lists the indexed form must read exactly as the decoded form does. */
const lists: Record<string, string> = {
  'endpoint shape': JSON.stringify([endpointEvent('a1', 'First', { x: 1 }), endpointEvent('b2', 'Second', { y: 'two' })]),
  'OpenAPI shape (response is the sample as a string)': JSON.stringify([{ _id: 'c3', name: 'Third', response: '{"z":[1,2]}' }]),
  'a {data: [...]} wrapper': JSON.stringify({ total: 1, data: [endpointEvent('d4', 'Fourth', { w: null })] }),
  'whitespace everywhere, escaped keys and names': `
    [ { "\\u005fid" : "e5" , "name" : "Fifth \\"quoted\\" \\\\ name", "raw_response" : "{\\"_id\\":\\"not-me\\"}" } ,
      {"name":"Sixth","_id":"f6","raw_response":{"nested":{"_id":"also-not-me","name":"x"}}} ]
  `,
  'duplicate ids and keys (the last counts)': JSON.stringify([
    { _id: 'g7', name: 'Old', raw_response: '{}' },
    { _id: 'g7', name: 'New', raw_response: '{"k":true}' },
  ]).replace('"_id":"g7","name":"New"', '"_id":"ignored","name":"New","_id":"g7"'),
  'an empty list': '[]',
  'numbers, literals and empty containers': JSON.stringify([
    { _id: 'h8', name: 'Eighth', n: -1.5e3, t: true, f: false, z: null, o: {}, a: [] },
  ]),
}

/** Answers that are not event lists: both forms refuse them. */
const notLists: Record<string, string> = {
  'an object without data': '{"message":"ok"}',
  'data that is not an array': '{"data":{"_id":"x","name":"y"}}',
  'a list of non-objects': '[1,2]',
  'an event without _id': '[{"name":"No id"}]',
  'an event with a numeric _id': '[{"_id":5,"name":"Numeric"}]',
  'an event without a name': '[{"_id":"i9"}]',
  'a cut-off answer': JSON.stringify([endpointEvent('j1', 'Cut', { a: 1 })]).slice(0, -20),
  'trailing garbage': '[]x',
  'an unterminated string': '[{"_id":"k1","name":"Unterminated]',
  'a missing comma': '[{"_id":"k1" "name":"x"}]',
  'plain text': 'Service Unavailable',
  'an empty answer': '',
}

describe('EventListText', () => {
  for (const [what, text] of Object.entries(lists)) {
    it(`reads ${what} as decoding the whole list does`, () => {
      const decoded = decodedById(text)!
      const indexed = index(text)!
      expect(indexed.size).toBe(decoded.size)
      for (const [id, event] of decoded) expect(indexed.event(id)).toEqual(event)
      expect(indexed.event('absent')).toBeNull()
    })
  }

  for (const [what, text] of Object.entries(notLists)) {
    it(`refuses ${what}, as decoding does`, () => {
      expect(decodedById(text)).toBeNull()
      expect(index(text)).toBeNull()
    })
  }

  it('finds no event by an _id that only appears inside a sample or a nested object', () => {
    const indexed = index(lists['whitespace everywhere, escaped keys and names']!)!
    expect(indexed.event('not-me')).toBeNull()
    expect(indexed.event('also-not-me')).toBeNull()
    expect(indexed.event('f6')!.sample).toEqual({ nested: { _id: 'also-not-me', name: 'x' } })
  })

  it('names the request when an event asked for is not JSON, and still reads the others', () => {
    const text = '[{"_id":"l1","name":"Broken","n":01x},{"_id":"l2","name":"Fine","raw_response":"{}"}]'
    const indexed = index(text)!
    expect(() => indexed.event('l1')).toThrow(/PUT \/e\/1.*event l1 in the answer is not JSON/)
    expect(indexed.event('l2')).toMatchObject({ id: 'l2', name: 'Fine', sample: {} })
  })
})
