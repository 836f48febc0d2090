/**
 * Ids in the shape Refold uses (MongoDB ObjectIds: 24 lower-case hex digits), so clients
 * that check or store them behave as they would against Refold.
 */
import { randomBytes } from 'node:crypto'

const processPart = randomBytes(5).toString('hex')
let counter = randomBytes(3).readUIntBE(0, 3)

/** A new unique id: seconds since the epoch, a per-process random part, a counter. */
export function newObjectId(): string {
  counter = (counter + 1) % 0x1000000
  const seconds = Math.floor(Date.now() / 1000)
  return seconds.toString(16).padStart(8, '0') + processPart + counter.toString(16).padStart(6, '0')
}
