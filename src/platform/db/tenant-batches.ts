type Waiter<I, R> = { item: I; settle: (outcome: PromiseSettledResult<R>) => void };

/**
 * Group commit per tenant, in the process: writes that serialise on one of the tenant's counters
 * (order names, event positions) hold its row lock from their draw until their COMMIT has been
 * flushed to disk, so one tenant commits one such write per WAL flush, however many arrive at
 * once. This queue runs at most `maxRunning` batches per tenant at a time; whatever arrives
 * meanwhile waits and then goes together, as one statement and one flush. With two running, the
 * next batch already waits for the lock in the database while the one before commits, instead of
 * starting its round trip only then. An idle tenant's write waits for nothing: it starts at once,
 * as a batch of one.
 */
export class TenantBatches<I, R> {
  private readonly tenants = new Map<string, { running: number; waiting: Array<Waiter<I, R>> }>();

  /**
   * @param run writes one batch and answers each item's outcome, in order (it decides what a
   *   failed batch means for its items, e.g. running them again one by one).
   */
  constructor(
    private readonly run: (tenantId: string, items: I[]) => Promise<Array<PromiseSettledResult<R>>>,
    private readonly options: { maxBatch: number; maxRunning: number },
  ) {}

  submit(tenantId: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const settle = (outcome: PromiseSettledResult<R>) => (outcome.status === 'fulfilled' ? resolve(outcome.value) : reject(outcome.reason));
      let tenant = this.tenants.get(tenantId);
      if (!tenant) this.tenants.set(tenantId, (tenant = { running: 0, waiting: [] }));
      tenant.waiting.push({ item, settle });
      if (tenant.running < this.options.maxRunning) void this.drain(tenantId, tenant);
    });
  }

  /** Runs batches of the tenant's waiting items until none is left. */
  private async drain(tenantId: string, tenant: { running: number; waiting: Array<Waiter<I, R>> }): Promise<void> {
    tenant.running++;
    for (let batch = tenant.waiting.splice(0, this.options.maxBatch); batch.length; batch = tenant.waiting.splice(0, this.options.maxBatch)) {
      let outcomes: Array<PromiseSettledResult<R>>;
      try {
        outcomes = await this.run(
          tenantId,
          batch.map((b) => b.item),
        );
      } catch (reason) {
        outcomes = batch.map(() => ({ status: 'rejected', reason }));
      }
      batch.forEach((b, i) => b.settle(outcomes[i] ?? { status: 'rejected', reason: new Error('a batch answered fewer outcomes than items') }));
    }
    tenant.running--;
    if (!tenant.running) this.tenants.delete(tenantId);
  }
}
