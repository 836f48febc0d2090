/**
 * The local Refold emulator (the built package's `startEmulator`) in its own process, for
 * the sync benchmarks: options as JSON in argv[2]; sends `{ url }` over IPC once listening.
 * IPC messages: `{ faults: {...} }` changes fault settings (answered `{ faults }`),
 * `'close'` saves the state and exits.
 */
import { startEmulator } from 'refold-events'

const emulator = await startEmulator({ host: '127.0.0.1', port: 0, ...JSON.parse(process.argv[2] ?? '{}') })
process.send({ url: emulator.url })
process.on('message', async (message) => {
  if (message === 'close') {
    await emulator.close()
    process.exit(0)
  }
  if (typeof message === 'object' && message !== null && message.faults !== undefined) {
    process.send({ faults: emulator.faults.set(message.faults) })
  }
})
const stop = () => void emulator.close().finally(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('disconnect', stop)
