import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTITY } from '../accounting/accounting.fixtures.js';
import { realisticOrder } from '../orders/orders.fixtures.js';
import { serveWaybill, stopAll, type Served } from '../support/processes.js';
import { scratchDatabase, type ScratchDatabase } from '../support/postgres.js';
import { eventually, Receiver } from '../support/webhook-receiver.js';

/**
 * Past one process: three `waybill serve` processes on one PostgreSQL database, the load spread
 * over them, one killed with SIGKILL in the middle. A client whose request dies with a process
 * retries it on another with the same Idempotency-Key, as a client behind a load balancer would.
 */
const CLIENT_ID = 'scale-out-admin';
const CLIENT_SECRET = 'scale-out-secret-0123456789';
const ORDERS = 120;
const SHARED_KEYS = 12;
const INVOICES = 12;

const serverUrl = process.env.DATABASE_URL;

describe.skipIf(!serverUrl)('three processes on one PostgreSQL database', () => {
  let scratch: ScratchDatabase;
  let receiver: Receiver;
  let servers: Served[] = [];
  let token: string;

  beforeAll(async () => {
    scratch = await scratchDatabase(serverUrl as string);
    receiver = await new Receiver().start();
    const env = {
      DATABASE_URL: scratch.url,
      WAYBILL_BOOTSTRAP_CLIENT_ID: CLIENT_ID,
      WAYBILL_BOOTSTRAP_CLIENT_SECRET: CLIENT_SECRET,
      WAYBILL_OUTBOUND_ALLOWLIST: '127.0.0.0/8',
      WAYBILL_WEBHOOK_TIMEOUT_MS: '1000',
      WAYBILL_WEBHOOK_RETRY_SCHEDULE: '0,1,1,1,1,1,1,1,1,1',
      WAYBILL_WEBHOOK_POLL_MS: '500',
      WAYBILL_RATE_LIMIT_PER_MINUTE: '100000',
      WAYBILL_WORKERS: 'true',
    };
    // All three start together, as a deployment's replicas do: migrations and the first start's
    // admin are each made once, under an advisory lock.
    servers = await Promise.all([serveWaybill(env), serveWaybill(env), serveWaybill(env)]);
    const res = await fetch(`${servers[0]!.url}/v1/auth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')}` },
    });
    expect(res.status).toBe(200);
    token = ((await res.json()) as { access_token: string }).access_token;
  }, 900_000);
  afterAll(async () => {
    await stopAll();
    await receiver?.close();
    await scratch?.drop();
  });

  const alive = () => servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);

  /** Sends to process `n` (modulo those alive); a request that dies with its process goes to the next one, same key. */
  async function call(n: number, method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; json: Record<string, unknown> }> {
    for (let attempt = 0; ; attempt++) {
      const live = alive();
      const server = live[(n + attempt) % live.length] as Served;
      try {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}), ...(key ? { 'idempotency-key': key } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
        // The same key still being processed elsewhere, or reserved by the killed process (such a
        // reservation lapses after 2 minutes): ask again, as the 409 says.
        if (res.status === 409 && key && attempt < 400) {
          await new Promise((r) => setTimeout(r, attempt < 20 ? 50 : 500));
          continue;
        }
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      } catch (err) {
        // The connection died with its process: the next attempt goes to another one.
        if (attempt > 400) throw err;
      }
    }
  }

  async function ok(n: number, method: string, path: string, body?: unknown, key?: string) {
    const res = await call(n, method, path, body, key);
    expect(res.status, JSON.stringify(res.json)).toBeLessThan(300);
    return res.json;
  }

  /** Runs `work(i)` for 0..count-1, `parallel` at a time. */
  async function spread(count: number, parallel: number, work: (i: number) => Promise<void>) {
    let next = 0;
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        while (next < count) await work(next++);
      }),
    );
  }

  it('spreads orders and invoices over the processes, survives a SIGKILL, and loses, doubles or skips nothing', async () => {
    await ok(0, 'POST', '/v1/companies/company', { name: 'Acme', code: 'ACME', currency: 'EUR', is_customer: true, vat_number: 'BE0403019261' });
    await ok(1, 'POST', '/v1/admin/billing-entities', ENTITY);
    await ok(2, 'POST', '/v1/admin/tax-rates', { code: 'BE21', name: 'VAT 21%', percentage: '21' });
    const endpoint = await ok(0, 'POST', '/v1/admin/webhook-endpoints', { url: receiver.url, families: ['events'] });

    const orderIds = new Map<string, string>();
    let done = 0;
    await spread(ORDERS, 12, async (i) => {
      const identifier = `SCALE-${i}`;
      const body = realisticOrder(identifier, { customer: { code: 'ACME' } });
      if (i < SHARED_KEYS) {
        // One key sent to two processes at once: one order, the same answer twice.
        const key = `shared-${i}`;
        const [a, b] = await Promise.all([ok(i, 'POST', '/v1/orders/order/upload', body, key), ok(i + 1, 'POST', '/v1/orders/order/upload', body, key)]);
        expect(b.order_id).toBe(a.order_id);
        orderIds.set(identifier, a.order_id as string);
      } else {
        orderIds.set(identifier, (await ok(i, 'POST', '/v1/orders/order/upload', body, `order-${i}`)).order_id as string);
      }
      if (++done === Math.floor(ORDERS / 3)) servers[2]!.child.kill('SIGKILL');
    });
    expect(servers[2]!.child.signalCode ?? (await servers[2]!.exited).signal).toBe('SIGKILL');

    const invoiceNames: string[] = [];
    await spread(INVOICES, 4, async (i) => {
      const orderId = orderIds.get(`SCALE-${i}`) as string;
      await ok(i, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'F', unit_price: 10, tax_rate: { code: 'BE21' } }, `charge-${i}`);
      const draft = await ok(i + 1, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] }, `draft-${i}`);
      invoiceNames.push((await ok(i, 'POST', `/v1/accounting/sales-invoice/${draft.id as string}/finalize`, {}, `final-${i}`)).name as string);
    });

    const db = new pg.Client({ connectionString: scratch.url });
    await db.connect();
    try {
      // Every acknowledged order exists once, and the numbers run 1..N without a gap.
      const orders = (await db.query<{ name: string; order_identifier: string; id: string }>('select name, order_identifier, id from orders')).rows;
      expect(orders).toHaveLength(ORDERS);
      for (const order of orders) expect(orderIds.get(order.order_identifier)).toBe(order.id);
      const numbers = orders.map((o) => Number(o.name.replace(/\D/g, ''))).sort((a, b) => a - b);
      expect(numbers).toEqual(Array.from({ length: ORDERS }, (_, i) => i + 1));
      const invoiceNumbers = invoiceNames.map((n) => Number(/(\d+)$/.exec(n)?.[1])).sort((a, b) => a - b);
      expect(invoiceNumbers).toEqual(Array.from({ length: INVOICES }, (_, i) => (invoiceNumbers[0] as number) + i));

      // Every event after the endpoint's start reaches the receiver at least once (the killed
      // process's leases run out and another process sends what it held).
      const expected = (
        await db.query<{ n: string }>(
          'select count(*) as n from events e join webhook_endpoints w on w.tenant_id = e.tenant_id where w.id = $1 and e.position > w.start_position',
          [endpoint.id],
        )
      ).rows[0]!.n;
      const messages = await eventually(async () => {
        const pending = (await db.query<{ n: string }>("select count(*) as n from webhook_deliveries where status <> 'SUCCEEDED'")).rows[0]!.n;
        const ids = new Set(receiver.received.map((m) => m.headers['webhook-id']));
        return Number(pending) === 0 && ids.size >= Number(expected) && ids;
      }, 120_000);
      expect(messages.size).toBe(Number(expected));
      const duplicates = receiver.received.length - messages.size;
      console.info(`3 processes: ${ORDERS} orders, ${INVOICES} invoices, ${messages.size} messages delivered, ${duplicates} delivered twice or more`);
    } finally {
      await db.end();
    }
  }, 600_000);
});
