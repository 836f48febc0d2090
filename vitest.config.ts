import { defineConfig } from 'vitest/config'

/**
 * The fast tier (`npm test`): units, property tests with modest counts and the e2e cases.
 * Files named `*.full.test.ts` (fuzzing, fault matrices, corpus scale, the published package)
 * run only in the full tier, `npm run test:all` (vitest.all.config.ts), which CI runs.
 */
export const FULL_TIER = 'test/**/*.full.test.ts'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['**/node_modules/**', FULL_TIER],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
})
