import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCompaniesService } from '../../src/modules/companies/companies.service.js';
import { connectDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { as } from '../support/requests.js';
import { eventually } from '../support/webhook-receiver.js';

const ctx = useApp();
let admin: Client;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Cache carrier');
});

const rename = (id: string, name: string) => as(admin).patch(`/v1/companies/company/${id}`, { name });

describe('company cache invalidation', () => {
  it('shows a change to other modules of the same process at once', async () => {
    const id = await newCompany(ctx, admin, { name: 'Before', code: 'CACHE1' });
    expect((await ctx.services.companies.findById(admin.tenantId, id))?.name).toBe('Before');
    expect((await ctx.services.companies.resolveByCodeOrName(admin.tenantId, { code: 'CACHE1' })).name).toBe('Before');
    expect((await rename(id, 'After')).statusCode).toBe(200);
    expect((await ctx.services.companies.findById(admin.tenantId, id))?.name).toBe('After');
    expect((await ctx.services.companies.resolveByCodeOrName(admin.tenantId, { code: 'CACHE1' })).name).toBe('After');
  });

  // A second process on the same PostgreSQL database; PGlite is one process by design.
  describe.skipIf(!process.env.DATABASE_URL)('across processes (PostgreSQL)', () => {
    let other: DatabaseHandle;
    let listener: { close(): Promise<void> };
    let otherCompanies: ReturnType<typeof createCompaniesService>;

    beforeAll(async () => {
      const url = (ctx.database as DatabaseHandle & { url?: string }).url as string;
      other = await connectDatabase({ databaseUrl: url, poolSize: 2 });
      // A cache that would keep its entries for ten minutes: only the notification can make the change show.
      otherCompanies = createCompaniesService({ db: other.db, bus: new EventBus(), cacheTtlMs: 600_000 });
      listener = otherCompanies.watchChanges(url, (err) => console.error('listener', err));
    });
    afterAll(async () => {
      await listener.close();
      await other.close();
    });

    it("drops the other process's cached company when this one changes it", async () => {
      const id = await newCompany(ctx, admin, { name: 'Shared before' });
      // Wait until the listener is connected: a change it hears proves it.
      await eventually(async () => {
        await otherCompanies.findById(admin.tenantId, id);
        await rename(id, `probe ${Date.now()}`);
        return (await otherCompanies.findById(admin.tenantId, id))?.name.startsWith('probe');
      });
      expect((await otherCompanies.findById(admin.tenantId, id))?.name).toMatch(/^probe/);
      expect((await rename(id, 'Shared after')).statusCode).toBe(200);
      await eventually(async () => (await otherCompanies.findById(admin.tenantId, id))?.name === 'Shared after');
    });
  });
});
