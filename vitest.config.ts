import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Migrates one database per run; each test file's database starts as a copy of it.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each test file builds its own database; two workers keep the 2-core machines busy without thrashing.
    maxWorkers: 2,
    pool: 'forks',
  },
});
