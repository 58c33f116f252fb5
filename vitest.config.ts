import { defineConfig } from 'vitest/config';
import { LongestFirstSequencer } from './test/support/longest-first.js';

/**
 * Test files that must start from a fresh module graph: the event catalog's check compares the
 * registry with docs/events.md, which would also hold the fixture events another file declared
 * earlier in the same worker.
 */
const ISOLATED = ['test/events/events.catalog.test.ts'];

export default defineConfig({
  test: {
    // Migrates one database per run; each test file's database starts as a copy of it.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Three workers on the 2-core machines: many files spend much of their time waiting (spawned
    // servers, browsers, timers), and a third file fills those gaps. On an idle machine the PGlite
    // suite took 6.5 min with three and 7.3 min with two (docs/benchmarks.md, test-suite speed).
    maxWorkers: 3,
    pool: 'forks',
    // The longest files first, whether or not vitest has the results of an earlier run (a fresh clone has none).
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: ISOLATED,
          // A worker imports the app's modules once and runs file after file in them, instead of
          // importing (and transforming) the whole app again for every file: about half the CPU time
          // of a run went to those imports. Every file still gets its own database, app and clients
          // (useApp), and no test mocks modules or changes the environment, so nothing leaks between
          // files but warmed-up caches.
          isolate: false,
        },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
