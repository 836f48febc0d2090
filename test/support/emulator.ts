/**
 * The real emulator for tests: on a free loopback port, stopped after the test that started it.
 */
import { startEmulator, type RunningEmulator } from '../../src/emulator/start-emulator.js'
import type { EmulatorOptions } from '../../src/emulator/emulator-options.js'
import { onCleanup } from './temp-dir.js'

/** Start an emulator on port 0 with `options` (the key, state and workflows each test needs); closed after the test. */
export async function startTestEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, ...options })
  onCleanup(() => emulator.close())
  return emulator
}
