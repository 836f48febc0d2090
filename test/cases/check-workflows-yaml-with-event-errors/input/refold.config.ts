import { defineConfig } from 'refold-events'

export default defineConfig({ emulator: { workflows: 'wf2.yaml' } })
