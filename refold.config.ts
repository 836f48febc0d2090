import { defineConfig } from 'refold-events'

export default defineConfig({
  eventsDir: 'events',
  outDir: 'generated',
  inference: { formats: true, closedObjects: false }, // the defaults: open objects, date-time/date/uuid formats
  emulator: { state: '.refold/emulator.json', workflows: 'workflows.yaml' },
  environments: {
    staging: { baseUrl: 'https://app.refold.ai', apiKeyEnv: 'REFOLD_STAGING_API_KEY' },
    production: { baseUrl: 'https://app.refold.ai', apiKeyEnv: 'REFOLD_PRODUCTION_API_KEY' },
  },
})
