import { defineConfig } from 'refold-events'

export default defineConfig({
  // One YAML file per Refold event.
  eventsDir: 'events',
  // Where `refold-events generate` writes typed fire helpers and JSON Schemas.
  outDir: 'generated',
  // Refold deployments for sync, pull and fire (--env NAME). The key is read from the
  // named environment variable, never written here.
  // environments: {
  //   production: { baseUrl: 'https://app.refold.ai', apiKeyEnv: 'REFOLD_PRODUCTION_API_KEY' },
  // },
})
