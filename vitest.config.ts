// The suite runs on the embedded database (PGlite) always, and on PostgreSQL
// as well when TEST_DATABASE_URL or DATABASE_URL is set: the same tests, two
// projects.
import { defineConfig } from 'vitest/config';

const postgresUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
const engines = ['pglite', ...(postgresUrl ? ['postgresql'] : [])];

// In CI, each run also writes a JSON summary that .ci/run adds up into one closing line.
const runName = postgresUrl ? 'with-postgresql' : 'pglite-only';

export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', ['json', { outputFile: `tmp/vitest-${runName}.json` }]] : ['default'],
    projects: engines.map((engine) => ({
      test: {
        name: engine,
        include: ['test/**/*.test.ts'],
        globalSetup: ['test/support/global-setup.ts'],
        env: { REACHABLE_TEST_ENGINE: engine, ...(postgresUrl ? { REACHABLE_TEST_POSTGRES_URL: postgresUrl } : {}) },
        pool: 'forks',
        testTimeout: 60_000,
        hookTimeout: 120_000,
      },
    })),
  },
});
