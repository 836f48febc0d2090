import { defineConfig } from 'refold-events'

export default defineConfig({
  eventsDir: 'events'
  outDir: 'generated',
})
