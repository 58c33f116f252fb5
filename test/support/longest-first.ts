import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take longest, longest first: the longer of a file's wall seconds in a full
 * PGlite and a full PostgreSQL run on the shared 2-core machine (2026-12-07, loaded: load average
 * 20–40; RESULT of the slow-files work in docs/benchmarks.md), with process.test and
 * process.cli placed by their times after their processes ran side by side. A file that runs on
 * one engine only (operations.processes, process.bootstrap: PostgreSQL; process.lifecycle:
 * PGlite) is placed by that engine and is skipped in a moment on the other. accounting.filing and
 * accounting.purchase also wait, on a fresh clone, for the Schematron stylesheets to compile
 * (test/support/en16931.ts). Only the order matters; a file missing here simply runs after these,
 * and a name that no longer exists is ignored.
 */
export const LONGEST_FILES = [
  'test/accounting/accounting.filing.test.ts',
  'test/app/operations.processes.test.ts',
  'test/contract/contract.fuzz.test.ts',
  'test/app/guides.story.test.ts',
  'test/accounting/accounting.purchase.test.ts',
  'test/webhooks/webhooks.processes.test.ts',
  'test/app/process.lifecycle.test.ts',
  'test/contract/contract.client.accounting.test.ts',
  'test/carrier/carrier.test.ts',
  'test/console/integrations.test.ts',
  'test/trips/trips.drivers.test.ts',
  'test/console/data.test.ts',
  'test/console/operations.test.ts',
  'test/portal/portal.test.ts',
  'test/app/process.test.ts',
  'test/app/openapi.document.test.ts',
  'test/contract/contract.client.master-data.test.ts',
  'test/accounting/accounting.invoices.test.ts',
  'test/app/process.bootstrap.test.ts',
  'test/security/security.access.test.ts',
];

/**
 * Starts the longest files first, so that none of them starts near the end and runs on alone
 * while the other worker idles (with two workers a 150-second file started last adds up to 150
 * seconds to the run). vitest's own order does this only from the results of an earlier run on the
 * same machine; a fresh clone (CI) has none, and vitest then orders by file size, which put the
 * 150-second fuzz test among the short files. The rest keep vitest's order (earlier failures and
 * longer durations first when it knows them).
 */
export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FILES.indexOf(file.moduleId.slice(root.length + 1));
      return index === -1 ? LONGEST_FILES.length : index;
    };
    // Array.prototype.sort is stable: files outside the list keep vitest's order among themselves.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
