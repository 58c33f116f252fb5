import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The test files that take longest, longest first (wall seconds of a full PGlite run on the shared
 * 2-core machine, docs/benchmarks.md "Test-suite speed"). Only the order matters; a file missing
 * here simply runs after these, and a name that no longer exists is ignored.
 */
export const LONGEST_FILES = [
  'test/contract/contract.fuzz.test.ts',
  'test/app/process.test.ts',
  'test/app/guides.story.test.ts',
  'test/app/process.lifecycle.test.ts',
  'test/accounting/accounting.filing.test.ts',
  'test/accounting/accounting.purchase.test.ts',
  'test/portal/portal.test.ts',
  'test/console/operations.test.ts',
  'test/webhooks/webhooks.delivery.test.ts',
  'test/app/operations.backup.test.ts',
  'test/console/integrations.test.ts',
  'test/carrier/carrier.test.ts',
  'test/app/process.control.test.ts',
  'test/trips/trips.drivers.test.ts',
  'test/webhooks/webhooks.processes.test.ts',
  'test/security/security.access.test.ts',
  'test/contract/contract.client.accounting.test.ts',
  'test/contract/contract.client.master-data.test.ts',
  'test/portal/story.test.ts',
  'test/accounting/accounting.order-invoices.test.ts',
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
