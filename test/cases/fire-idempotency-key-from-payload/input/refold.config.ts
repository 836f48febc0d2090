import { defineConfig } from 'refold-events'

export default defineConfig({
  emulator: { workflows: 'workflows.yaml' },
})
