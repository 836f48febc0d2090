import { defineConfig, mergeConfig } from 'vitest/config'
import fast from './vitest.config.js'

/** The full tier (`npm run test:all`, run by CI): the fast tier plus every `*.full.test.ts`. */
export default mergeConfig(fast, defineConfig({ test: { exclude: ['**/node_modules/**'] } }))
