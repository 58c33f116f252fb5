import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../src/platform/db/connect.js';
import { MIGRATIONS_DIR, migrate } from '../../src/platform/db/migrate.js';
import { inTransaction } from '../../src/platform/db/tx.js';
import { appendEvent } from '../../src/platform/events/append.js';
import '../support/fixture-events.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { freshDatabase } from '../support/app.js';
import '../../src/modules/auth/auth.tables.js';
import '../../src/modules/companies/companies.tables.js';
import { scratchDatabase } from '../support/postgres.js';

/** Runs on the engine the suite runs on: PGlite, or PostgreSQL when DATABASE_URL is set. */
const serverUrl = process.env.DATABASE_URL;

/** A database with no migrations applied, and a function that disposes of it. */
async function emptyDatabase(): Promise<{ connect(): Promise<DatabaseHandle>; dispose(): Promise<void> }> {
  if (!serverUrl) {
    const handle = await connectDatabase({});
    return { connect: async () => handle, dispose: () => handle.close() };
  }
  const scratch = await scratchDatabase(serverUrl);
  const handles: DatabaseHandle[] = [];
  return {
    connect: async () => {
      const handle = await connectDatabase({ databaseUrl: scratch.url, poolSize: 4 });
      handles.push(handle);
      return handle;
    },
    dispose: async () => {
      for (const handle of handles) await handle.close();
      await scratch.drop();
    },
  };
}

describe('transactions', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  it('keeps exactly the committed rows when many concurrent transactions fail part-way', async () => {
    const db = database.db;
    const bus = new EventBus();
    const tenantId = randomUUID();
    await db.insertInto('tenants').values({ id: tenantId, name: 'Concurrency' }).execute();
    const committedCallbacks: number[] = [];

    const attempts = Array.from({ length: 50 }, (_, i) =>
      inTransaction(db, async (tx) => {
        const id = randomUUID();
        await tx.trx
          .insertInto('companies')
          .values({
            tenant_id: tenantId,
            id,
            code: `C${i}`,
            accounting_code: null,
            name: `Company ${i}`,
            currency: 'EUR',
            is_customer: true,
            is_subcontractor: false,
            is_buyer_or_seller: false,
            details: '{}',
          })
          .execute();
        await appendEvent(tx, bus, { tenantId, type: 'thing.changed', entityType: 'thing', entityId: id, payload: { i } });
        tx.afterCommit(() => committedCallbacks.push(i));
        // Yield between the writes and the failure, so other transactions interleave with this one.
        await new Promise((resolve) => setImmediate(resolve));
        if (i % 3 === 0) throw new Error(`attempt ${i} fails after writing`);
        return i;
      }),
    );
    const outcomes = await Promise.allSettled(attempts);

    const succeeded = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const expected = Array.from({ length: 50 }, (_, i) => i).filter((i) => i % 3 !== 0);
    expect(succeeded.sort((a, b) => a - b)).toEqual(expected);
    for (const o of outcomes) if (o.status === 'rejected') expect(String(o.reason)).toMatch(/fails after writing/);

    const rows = await db.selectFrom('companies').select('code').where('tenant_id', '=', tenantId).execute();
    expect(rows.map((r) => Number(r.code?.slice(1))).sort((a, b) => a - b)).toEqual(expected);
    const events = await db.selectFrom('events').select(['position', 'payload']).where('tenant_id', '=', tenantId).orderBy('position').execute();
    // Rolled-back transactions give their positions back: the committed ones are numbered 1..n with no gaps.
    expect(events.map((e) => e.position)).toEqual(expected.map((_, i) => i + 1));
    expect(events.map((e) => (e.payload as { i: number }).i).sort((a, b) => a - b)).toEqual(expected);
    expect(committedCallbacks.sort((a, b) => a - b)).toEqual(expected);
  });

  it('rolls back every statement of a failed transaction, including ones that succeeded', async () => {
    const db = database.db;
    const tenantId = randomUUID();
    await expect(
      inTransaction(db, async (tx) => {
        await tx.trx.insertInto('tenants').values({ id: tenantId, name: 'Doomed' }).execute();
        // A duplicate primary key: the database itself aborts the transaction.
        await tx.trx.insertInto('tenants').values({ id: tenantId, name: 'Doomed again' }).execute();
      }),
    ).rejects.toThrow();
    expect(await db.selectFrom('tenants').select('id').where('id', '=', tenantId).execute()).toEqual([]);
    // The session is usable afterwards.
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]?.one).toBe(1);
  });
});

describe('migrations', () => {
  it('are idempotent: a second run applies nothing and changes nothing', async () => {
    const database = await freshDatabase();
    try {
      const before = await database.db
        .selectFrom('schema_migrations' as never)
        .selectAll()
        .execute();
      expect(await migrate(database.db)).toEqual([]);
      const after = await database.db
        .selectFrom('schema_migrations' as never)
        .selectAll()
        .execute();
      expect(after).toEqual(before);
      const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql'));
      expect(after).toHaveLength(files.length);
    } finally {
      await database.close();
    }
  });

  it('leave nothing of a migration file that fails, and keep the ones before it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'waybill-migrations-'));
    await fs.writeFile(path.join(dir, '001_ok.sql'), 'create table ok_table (id int primary key);');
    await fs.writeFile(path.join(dir, '002_broken.sql'), 'create table half_table (id int);\ninsert into half_table values (1);\nselect no_such_function();');
    const empty = await emptyDatabase();
    try {
      const { db } = await empty.connect();
      await expect(migrate(db, dir)).rejects.toThrow();
      const applied = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(db);
      expect(applied.rows.map((r) => r.name)).toEqual(['001_ok.sql']);
      const tables = await sql<{ t: string | null }>`select to_regclass('half_table')::text as t`.execute(db);
      expect(tables.rows[0]?.t).toBeNull();
      // Fixed, it applies on the next start.
      await fs.writeFile(path.join(dir, '002_broken.sql'), 'create table half_table (id int);');
      expect(await migrate(db, dir)).toEqual(['002_broken.sql']);
    } finally {
      await empty.dispose();
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!serverUrl)('are safe when two processes migrate one fresh PostgreSQL database at once', async () => {
    const empty = await emptyDatabase();
    try {
      const [a, b] = await Promise.all([empty.connect(), empty.connect()]);
      const [ranByA, ranByB] = await Promise.all([migrate(a.db), migrate(b.db)]);
      const files = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d+_[\w-]+\.sql$/.test(f)).sort();
      // Each file ran exactly once, in one of the two.
      expect([...ranByA, ...ranByB].sort()).toEqual(files);
      expect(ranByA.filter((f) => ranByB.includes(f))).toEqual([]);
      const recorded = await sql<{ name: string }>`select name from schema_migrations order by name`.execute(a.db);
      expect(recorded.rows.map((r) => r.name)).toEqual(files);
    } finally {
      await empty.dispose();
    }
  });
});

describe('the database of each test file (test/support/pglite-pool.ts on PGlite)', () => {
  const serial = sql<{ n: number }>`select nextval(pg_get_serial_sequence('webhook_deliveries', 'seq'))::int as n`;

  it('starts as the migrated template, even when it is the one an earlier file closed', async () => {
    const tenantId = randomUUID();
    const first = await freshDatabase();
    await first.db.insertInto('tenants').values({ id: tenantId, name: 'Earlier file' }).execute();
    expect((await serial.execute(first.db)).rows[0]?.n).toBe(1);
    expect((await serial.execute(first.db)).rows[0]?.n).toBe(2);
    await sql`analyze tenants`.execute(first.db);
    await first.close();

    const second = await freshDatabase();
    try {
      // On PGlite the worker hands the same database on (that is the point): check it happened.
      if (!serverUrl) expect(second.pglite).toBe(first.pglite);
      expect(await second.db.selectFrom('tenants').select('id').execute()).toEqual([]);
      expect((await serial.execute(second.db)).rows[0]?.n).toBe(1);
      const stats = await sql<{ n: number }>`select count(*)::int as n from pg_statistic where starelid = 'tenants'::regclass`.execute(second.db);
      expect(stats.rows[0]?.n).toBe(0);
      expect(await migrate(second.db)).toEqual([]);
    } finally {
      await second.close();
    }
    // The earlier file's handle is closed for good, though its database lives on.
    await expect(first.db.selectFrom('tenants').select('id').execute()).rejects.toThrow();
  });

  it('is never one whose tables an earlier file changed', async () => {
    const first = await freshDatabase();
    await sql`create table stray_table (id int)`.execute(first.db);
    await first.close();
    const second = await freshDatabase();
    try {
      if (!serverUrl) expect(second.pglite).not.toBe(first.pglite);
      const { rows } = await sql<{ t: string | null }>`select to_regclass('stray_table')::text as t`.execute(second.db);
      expect(rows[0]?.t).toBeNull();
    } finally {
      await second.close();
    }
  });
});
