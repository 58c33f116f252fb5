import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { serveWaybill, stopAll } from '../support/processes.js';
import { scratchDatabase, type ScratchDatabase } from '../support/postgres.js';

/**
 * Several `waybill serve` processes started at the same moment on one empty PostgreSQL database
 * (a deployment's replicas coming up together): between them they create one tenant and one
 * bootstrap admin, and every one of them starts.
 *
 * Left alone, the processes rarely reach the first start's check at the same moment (their
 * migrations already queue on a lock), so the later scenarios make them: the test holds the tables
 * that check reads until all three processes wait on a lock, then lets them go at once.
 */
const serverUrl = process.env.DATABASE_URL;
const scratches: ScratchDatabase[] = [];
afterAll(async () => {
  await stopAll();
  for (const scratch of scratches) await scratch.drop();
});

/** An empty database; `migrated`: with the schema already in place (a copy of the suite's template). */
async function freshDatabase(migrated = false): Promise<ScratchDatabase> {
  const scratch = await scratchDatabase(serverUrl as string, undefined, migrated ? inject('postgresTemplate') : undefined);
  scratches.push(scratch);
  return scratch;
}

/**
 * Starts three servers on a migrated, empty database while holding the tenant and client tables,
 * so that each process gets as far as the first start's check (or the lock guarding it) and waits;
 * once all three wait, the tables are released and they proceed together.
 */
async function startTogether(scratch: ScratchDatabase, env: Record<string, string>) {
  const holder = new pg.Client({ connectionString: scratch.url });
  await holder.connect();
  try {
    await holder.query('begin');
    await holder.query('lock table tenants, api_clients in access exclusive mode');
    const starting = [1, 2, 3].map(() => serveWaybill({ DATABASE_URL: scratch.url, ...env }));
    // Kept from rejecting unhandled while the test waits; awaited below.
    for (const start of starting) start.catch(() => {});
    const deadline = Date.now() + 300_000;
    for (;;) {
      // Asked outside the holding transaction, which would keep seeing its first snapshot of the statistics.
      const [{ n }] = (await rows(
        scratch.url,
        'select count(*)::int as n from pg_locks where not granted and database = (select oid from pg_database where datname = current_database())',
      )) as [{ n: number }];
      if (n >= 3) break;
      if (Date.now() > deadline) throw new Error(`only ${n} of 3 processes reached the first start's check`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await holder.query('commit');
    return await Promise.all(starting);
  } finally {
    await holder.end();
  }
}

async function rows(url: string, query: string): Promise<Array<Record<string, unknown>>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(query)).rows as Array<Record<string, unknown>>;
  } finally {
    await client.end();
  }
}

const tokenStatus = async (url: string, id: string, secret: string) =>
  (await fetch(`${url}/v1/auth/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}` } })).status;

describe.skipIf(!serverUrl)('three processes starting at once on an empty PostgreSQL database', () => {
  it('create exactly one tenant and one admin client, printed by exactly one of them', async () => {
    const scratch = await freshDatabase();
    const servers = await Promise.all([1, 2, 3].map(() => serveWaybill({ DATABASE_URL: scratch.url })));

    const printed = servers.map((s) => s.output().stdout).filter((stdout) => stdout.includes('client_secret:'));
    expect(printed).toHaveLength(1);
    expect(await rows(scratch.url, 'select name from tenants')).toEqual([{ name: 'Default tenant' }]);
    const clients = await rows(scratch.url, 'select client_id, role from api_clients');
    expect(clients).toEqual([{ client_id: expect.any(String), role: 'TENANT' }]);

    // The printed credentials are those of that one client, and work on every process.
    const clientId = /client_id:\s+(\S+)/.exec(printed[0]!)?.[1] as string;
    const secret = /client_secret:\s+(\S+)/.exec(printed[0]!)?.[1] as string;
    expect(clientId).toBe(clients[0]!.client_id);
    for (const server of servers) expect(await tokenStatus(server.url, clientId, secret)).toBe(200);
  }, 600_000);

  it("create one tenant and one admin client when they reach the first start's check together", async () => {
    const scratch = await freshDatabase(true);
    const servers = await startTogether(scratch, {});
    expect(servers.filter((s) => s.output().stdout.includes('client_secret:'))).toHaveLength(1);
    expect(await rows(scratch.url, 'select count(*)::int as n from tenants')).toEqual([{ n: 1 }]);
    expect(await rows(scratch.url, 'select count(*)::int as n from api_clients')).toEqual([{ n: 1 }]);
  }, 600_000);

  it('with WAYBILL_BOOTSTRAP_CLIENT_ID/SECRET: one client with those credentials, and no process fails on the duplicate', async () => {
    const scratch = await freshDatabase(true);
    const servers = await startTogether(scratch, { WAYBILL_BOOTSTRAP_CLIENT_ID: 'fleet-admin', WAYBILL_BOOTSTRAP_CLIENT_SECRET: 'fleet-admin-secret-0123' });

    expect(await rows(scratch.url, 'select count(*)::int as n from tenants')).toEqual([{ n: 1 }]);
    expect(await rows(scratch.url, 'select client_id from api_clients')).toEqual([{ client_id: 'fleet-admin' }]);
    for (const server of servers) {
      expect(server.output().stdout).not.toContain('client_secret');
      expect(await tokenStatus(server.url, 'fleet-admin', 'fleet-admin-secret-0123')).toBe(200);
    }
  }, 600_000);
});
