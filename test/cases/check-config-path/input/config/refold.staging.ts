import { defineConfig } from 'refold-events'

// Paths resolve against this file's folder.
export default defineConfig({
  eventsDir: '../definitions',
  inference: { formats: false },
})
