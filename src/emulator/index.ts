/**
 * The local Refold emulator's public surface: start it, and the shapes it answers with.
 */
export { startEmulator } from './start-emulator.js'
export type { EmulatorInspector, RunningEmulator } from './start-emulator.js'
export { DEFAULT_EMULATOR_API_KEY, DEFAULT_EMULATOR_PORT, DEFAULT_HISTORY_LIMIT, DEFAULT_MAX_BODY_BYTES } from './emulator-options.js'
export type { EmulatorCompat, EmulatorOptions, EventShape } from './emulator-options.js'
export type { FaultOptions } from './faults.js'
export type { RequestLogEntry } from './request-pipeline.js'
export type { ErrorEnvelope } from '../wire/error-envelope.js'
export { signWebhook } from './webhook-sender.js'
export { StateInUseError, StateUnusableError } from './state-file.js'
export { ROUTE_CLASSES } from './types.js'
export type * from './types.js'
