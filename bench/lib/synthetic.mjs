/**
 * Synthetic, seeded event definitions and payloads for the benchmarks: 8-15 top-level
 * fields per event, nested objects, arrays of primitives and of objects, nullable fields
 * settled by an example, and values in every inferred format. The same seed always gives
 * the same events, so two runs (and the measured side and its baseline) see the same input.
 */
import { stringify } from 'yaml'

/** mulberry32: a small, fast, seedable PRNG (deterministic across machines). */
export function prng(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const WORDS = [
  'account',
  'amount',
  'billing',
  'campaign',
  'channel',
  'company',
  'contact',
  'country',
  'currency',
  'customer',
  'deal',
  'discount',
  'domain',
  'invoice',
  'item',
  'label',
  'lead',
  'owner',
  'payment',
  'phone',
  'plan',
  'price',
  'product',
  'quantity',
  'region',
  'score',
  'segment',
  'source',
  'stage',
  'status',
  'subscription',
  'tag',
  'team',
  'ticket',
  'tier',
  'total',
  'user',
  'vendor',
  'warehouse',
  'workspace',
]
const SUFFIXES = ['id', 'name', 'code', 'count', 'at', 'url', 'email', 'type', 'ref', 'note', 'value', 'kind']
const VERBS = ['Created', 'Updated', 'Deleted', 'Archived', 'Restored', 'Assigned', 'Closed', 'Opened', 'Paid', 'Shipped']
const APPS = ['hubspot', 'salesforce', 'zendesk', 'shopify', 'netsuite', 'slack', 'pipedrive', 'intercom']

/** A value generator for one field, chosen once per field so every sample agrees on the type. */
function pickScalar(random) {
  const kinds = ['string', 'string', 'integer', 'number', 'boolean', 'email', 'date-time', 'uuid', 'uri', 'date', 'nullable']
  return kinds[Math.floor(random() * kinds.length)]
}

function scalarValue(kind, random, nth) {
  const n = Math.floor(random() * 1e6)
  switch (kind) {
    case 'string':
      return `${WORDS[n % WORDS.length]}-${n.toString(36)}`
    case 'integer':
      return n % 10_000
    case 'number':
      return Math.round(random() * 1e6) / 100 + 0.01
    case 'boolean':
      return random() < 0.5
    case 'email':
      return `${WORDS[n % WORDS.length]}.${n}@example.com`
    case 'date-time':
      return new Date(Date.UTC(2024, n % 12, 1 + (n % 28), n % 24, n % 60, n % 60)).toISOString()
    case 'date':
      return `2024-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`
    case 'uuid':
      return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-a${hex(random, 3)}-${hex(random, 12)}`
    case 'uri':
      return `https://example.com/${WORDS[n % WORDS.length]}/${n}`
    // null in the sample, a string in the example: inference makes it nullable.
    case 'nullable':
      return nth === 0 ? null : `value-${n}`
    default:
      throw new Error(kind)
  }
}

function hex(random, length) {
  let out = ''
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16)
  return out
}

function fieldName(random, taken) {
  for (;;) {
    const name = `${WORDS[Math.floor(random() * WORDS.length)]}_${SUFFIXES[Math.floor(random() * SUFFIXES.length)]}`
    if (!taken.has(name)) {
      taken.add(name)
      return name
    }
  }
}

/**
 * The shape of one object: field name -> kind (a scalar kind, `object` with its own shape,
 * `strings` for an array of strings, `objects` for an array of objects).
 */
function objectShape(random, min, max, depth) {
  const count = min + Math.floor(random() * (max - min + 1))
  const taken = new Set()
  const shape = []
  for (let i = 0; i < count; i++) {
    const name = fieldName(random, taken)
    const roll = random()
    if (depth < 2 && roll < 0.15) shape.push([name, { object: objectShape(random, 3, 6, depth + 1) }])
    else if (depth < 2 && roll < 0.22) shape.push([name, { objects: objectShape(random, 3, 5, depth + 1) }])
    else if (roll < 0.3) shape.push([name, 'strings'])
    else shape.push([name, pickScalar(random)])
  }
  return shape
}

function valueOf(shape, random, nth) {
  const out = {}
  for (const [name, kind] of shape) {
    if (kind === 'strings') out[name] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => scalarValue('string', random, nth))
    else if (typeof kind === 'object' && 'object' in kind) out[name] = valueOf(kind.object, random, nth)
    else if (typeof kind === 'object')
      out[name] = Array.from({ length: 1 + Math.floor(random() * 2) }, () => valueOf(kind.objects, random, nth))
    else out[name] = scalarValue(kind, random, nth)
  }
  return out
}

/**
 * `count` event definitions (as data, the shape of an event file): a name, a description,
 * apps, a sample and one example, 8-15 top-level fields each.
 */
export function syntheticEvents(count, seed = 1) {
  const random = prng(seed)
  const events = []
  for (let i = 0; i < count; i++) {
    const shape = objectShape(random, 8, 15, 0)
    const noun = `${WORDS[i % WORDS.length]} ${WORDS[Math.floor(i / WORDS.length) % WORDS.length]}`
    const name = `${noun[0].toUpperCase()}${noun.slice(1)} ${VERBS[i % VERBS.length]} ${String(i).padStart(5, '0')}`
    const apps = [APPS[i % APPS.length], APPS[(i + 3) % APPS.length]]
    events.push({
      name,
      description: `Synthetic benchmark event ${i}: a ${noun} was ${VERBS[i % VERBS.length].toLowerCase()}.`,
      apps,
      sample: valueOf(shape, random, 0),
      examples: [valueOf(shape, random, 1)],
    })
  }
  return events
}

/** `count` standalone payloads (the samples of `count` synthetic events). */
export function syntheticPayloads(count, seed = 7) {
  return syntheticEvents(count, seed).map((event) => event.sample)
}

/** The YAML text of an event file for `event`. */
export function eventYaml(event) {
  return stringify(event, { lineWidth: 0 })
}

/** A kebab-case file name for event `i`. */
export function eventFileName(i) {
  return `event-${String(i).padStart(5, '0')}.yaml`
}
