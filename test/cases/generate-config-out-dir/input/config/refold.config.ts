import { defineConfig } from 'refold-events'

export default defineConfig({
  eventsDir: '../definitions',
  outDir: '../app/generated',
  inference: { formats: false, closedObjects: false },
})
