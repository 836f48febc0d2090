import { defineConfig } from 'vitest/config'
import { shared } from './vitest.config.js'

/** The full tier (`npm run test:all`, run by CI): the fast tier plus every `*.full.test.ts`. */
export default defineConfig({ test: { ...shared, exclude: ['**/node_modules/**'] } })
