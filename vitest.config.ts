import { defineConfig } from 'vitest/config'

/** Options both tiers share. */
export const shared = {
  include: ['test/**/*.test.ts'],
  testTimeout: 30_000,
  hookTimeout: 30_000,
  pool: 'forks' as const,
}

/**
 * The fast tier (`npm test`): units, property tests with modest counts and the e2e cases.
 * Files named `*.full.test.ts` (fuzzing, fault matrices, corpus scale, the published package)
 * run only in the full tier, `npm run test:all` (vitest.all.config.ts), which CI runs.
 */
export default defineConfig({
  // Every core: the fast tier is many short files, and vitest's default leaves one core idle.
  test: { ...shared, maxWorkers: '100%', exclude: ['**/node_modules/**', 'test/**/*.full.test.ts'] },
})
