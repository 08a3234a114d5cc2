import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['packages/testing/src/globalSetup.ts'],
    setupFiles: ['packages/testing/src/setupCedar.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two cores: more workers only adds contention on anvil and PostgreSQL.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
  },
})
