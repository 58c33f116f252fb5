import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliveryObserver } from '../../src/modules/webhooks/webhooks.metrics.js';
import type { WebhookEngine } from '../../src/modules/webhooks/webhooks.worker.js';
import { inTransaction } from '../../src/platform/db/tx.js';
import { appendEvent } from '../../src/platform/events/append.js';
import '../support/fixture-events.js';
import { runHousekeeping } from '../../src/server.js';
import { newOrder, ok, seedBillingEntity } from '../accounting/accounting.fixtures.js';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { eventually, Receiver } from '../support/webhook-receiver.js';

const TOKEN = 'scrape-token-0123456789';

/** A logger that keeps what was logged at warn, to check what the warnings say (and do not say). */
function capturingLogger() {
  const warnings: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const noop = () => {};
  const log = {
    warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }),
    error: noop,
    info: noop,
    debug: noop,
    trace: noop,
    fatal: noop,
    child: () => log,
    level: 'info',
  } as unknown as FastifyBaseLogger;
  return { log, warnings };
}

/** One sample's value from Prometheus' text format, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function scrape(ctx: TestContext, headers: Record<string, string> = {}): Promise<string> {
  const res = await ctx.app.inject({ url: '/metrics', headers });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
}

async function endpoint(ctx: TestContext, admin: Client, url: string): Promise<string> {
  const res = await ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/webhook-endpoints',
    headers: { authorization: admin.auth },
    // Only the test's event and the disable news, so the counts below are exactly those messages.
    payload: { url, families: ['events'], event_types: ['thing.happened', 'webhook_endpoint.disabled'] },
  });
  expect(res.statusCode, res.body).toBe(201);
  return (res.json() as { id: string }).id;
}

async function emit(ctx: TestContext, tenantId: string, type: 'thing.happened' | 'thing.changed') {
  await inTransaction(ctx.services.db, (tx) =>
    appendEvent(tx, ctx.services.bus, { tenantId, type, entityType: 'thing', entityId: crypto.randomUUID(), payload: { secret_field: 'do-not-log' } }),
  );
}

describe('GET /metrics with webhook workers running', () => {
  let ctx: TestContext;
  let engine: WebhookEngine;
  const receivers: Receiver[] = [];
  const { log, warnings } = capturingLogger();

  beforeAll(async () => {
    ctx = await createTestApp({ webhookTimeoutMs: 5_000, webhookRetrySchedule: [0, 0, 0, 0] });
    engine = ctx.services.webhooks.startEngine((err) => console.error('engine error', err), deliveryObserver(ctx.app.metrics, log));
  });
  afterAll(async () => {
    await engine.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await ctx.close();
  });

  it('times requests per route pattern and status, never per raw URL, beside the process defaults and pool gauges', async () => {
    const admin = await newTenant(ctx);
    const missing = crypto.randomUUID();
    expect((await ctx.app.inject({ url: '/health' })).statusCode).toBe(200);
    expect((await ctx.app.inject({ url: `/v1/admin/webhook-endpoints/${missing}/deliveries`, headers: { authorization: admin.auth } })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: `/no/such/path/${missing}` })).statusCode).toBe(404);
    const text = await scrape(ctx);
    expect(sample(text, 'waybill_http_request_duration_seconds_count', { method: 'GET', route: '/health', status_code: '200' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'waybill_http_request_duration_seconds_count', { route: '/v1/admin/webhook-endpoints/:id/deliveries', status_code: '404' })).toBe(1);
    expect(sample(text, 'waybill_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })).toBe(1);
    expect(text).not.toContain(missing);
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'waybill_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'waybill_db_pool_waiting_requests')).toBeGreaterThanOrEqual(0);
    // Open without a token configured, and not part of the API's OpenAPI document.
    const spec = (await ctx.app.inject({ url: '/openapi.json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).not.toContain('/metrics');
  });

  it('counts attempts, retries and deliveries per endpoint and outcome; warns of failures and disabled endpoints without secrets', async () => {
    const admin = await newTenant(ctx);
    const flaky = await new Receiver().start();
    const gone = await new Receiver().start();
    receivers.push(flaky, gone);
    flaky.respond = (_m, i) => (i === 0 ? { status: 500, body: 'receiver-body-not-for-logs' } : {});
    gone.respond = () => ({ status: 410 });
    const flakyId = await endpoint(ctx, admin, flaky.url);
    const goneId = await endpoint(ctx, admin, gone.url);
    await emit(ctx, admin.tenantId, 'thing.happened');

    const text = await eventually(async () => {
      const t = await scrape(ctx);
      // Two messages reach the flaky endpoint: the event, and the news that the other endpoint was disabled.
      return (
        sample(t, 'waybill_webhook_deliveries_total', { endpoint_id: flakyId, outcome: 'succeeded' }) === 2 &&
        sample(t, 'waybill_webhook_endpoints_disabled') === 1 &&
        t
      );
      // A retry, a disable and the fan-out of its event, one after the other: generous on a loaded machine.
    }, 90_000);
    expect(sample(text, 'waybill_webhook_attempts_total', { endpoint_id: flakyId, outcome: 'retrying' })).toBe(1);
    expect(sample(text, 'waybill_webhook_attempts_total', { endpoint_id: flakyId, outcome: 'succeeded' })).toBe(2);
    expect(sample(text, 'waybill_webhook_retries_total', { endpoint_id: flakyId, outcome: 'succeeded' })).toBe(1);
    expect(sample(text, 'waybill_webhook_deliveries_total', { endpoint_id: goneId, outcome: 'failed' })).toBe(1);
    // The endpoint a 410 disabled is not sent the news of its own disabling (the fan-out reads the
    // endpoints after the events; it once read them before and raced the disable).
    expect(gone.received).toHaveLength(1);

    const failure = warnings.find((w) => w.fields.endpointId === flakyId);
    expect(failure).toMatchObject({ fields: { statusCode: 500, attempt: 1 } });
    await eventually(() => warnings.some((w) => w.message === 'webhook endpoint disabled' && w.fields.endpointId === goneId));
    const logged = JSON.stringify(warnings);
    for (const secret of ['receiver-body-not-for-logs', 'do-not-log', flaky.url, 'whsec_']) expect(logged).not.toContain(secret);
  }, 120_000);
});

describe('GET /metrics from the database, behind a token', () => {
  let ctx: TestContext;
  let admin: Client;
  const auth = { authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    ctx = await createTestApp({ metricsToken: TOKEN });
    admin = await newTenant(ctx, 'Metrics carrier');
  });
  afterAll(() => ctx.close());

  it('answers 401 in the error envelope without the token or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong-token-0123456789' }, { authorization: admin.auth }]) {
      const res = await ctx.app.inject({ url: '/metrics', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ message: expect.any(String), errors: [expect.objectContaining({ message: expect.any(String) })] });
    }
    expect(sample(await scrape(ctx, auth), 'waybill_db_pool_connections')).toBeGreaterThanOrEqual(1);
  });

  it('reports the outbox lag of events not fanned out and deliveries not sent', async () => {
    // No workers run in this app: what is written stays undelivered.
    await emit(ctx, admin.tenantId, 'thing.changed');
    await sql`update events set occurred_at = now() - interval '90 seconds' where tenant_id = ${admin.tenantId}`.execute(ctx.services.db);
    const endpointId = await endpoint(ctx, admin, 'https://receiver.example.com/hook');
    await sql`insert into webhook_deliveries (tenant_id, id, endpoint_id, message_id, event_type, entity_key, payload, next_attempt_at)
      values (${admin.tenantId}, ${crypto.randomUUID()}, ${endpointId}, 'msg_lag', 'thing.changed', 'thing/1', '{}', now() - interval '150 seconds')`.execute(
      ctx.services.db,
    );
    const text = await scrape(ctx, auth);
    expect(sample(text, 'waybill_outbox_lag_seconds', { stage: 'fan_out' })).toBeGreaterThanOrEqual(90);
    expect(sample(text, 'waybill_outbox_lag_seconds', { stage: 'delivery' })).toBeGreaterThanOrEqual(150);
  });

  it('counts unmatched status updates of the last hour and failed sync tasks', async () => {
    const before = await scrape(ctx, auth);
    expect(sample(before, 'waybill_trip_unmatched_status_updates_last_hour')).toBe(0);
    expect(sample(before, 'waybill_accounting_sync_tasks_failed')).toBe(0);

    const subcoId = await newCompany(ctx, admin, { name: 'Haulier', code: 'HAUL', is_customer: false, is_subcontractor: true });
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
    const update = {
      stop: { match: { matches_all: [{ order: { name: { matches_any: ['OR-NOPE'] } } }] }, status: 'AT_STOP' },
      event_time: '2026-12-01T10:00:00Z',
    };
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/subco-status-update',
      headers: { authorization: subco.auth },
      payload: { updates: [update, update] },
    });
    expect(res.statusCode, res.body).toBe(200);

    await seedBillingEntity(ctx, admin);
    await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
    const orderId = await newOrder(ctx, admin, 'METRICS-1', 'ACME');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'F', unit_price: 10, tax_rate: { code: 'BE21' } });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, {});
    const tasks = await ok(ctx, admin.auth, 'GET', '/v1/accounting/sync-tasks');
    const taskId = (tasks.tasks as Array<{ id: string }>)[0]?.id as string;
    await ok(ctx, admin.auth, 'POST', `/v1/accounting/sync-tasks/${taskId}/update-status`, { status: 'FAILED' });

    const after = await scrape(ctx, auth);
    expect(sample(after, 'waybill_trip_unmatched_status_updates_last_hour')).toBe(2);
    expect(sample(after, 'waybill_accounting_sync_tasks_failed')).toBe(1);
  });
});

describe('data retention in the hourly housekeeping', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestApp({ webhookRetentionDays: 7 });
  });
  afterAll(() => ctx.close());

  it('deletes finished deliveries and their attempts older than the retention, and keeps pending and recent ones', async () => {
    const admin = await newTenant(ctx, 'Retention carrier');
    const endpointId = await endpoint(ctx, admin, 'https://receiver.example.com/hook');
    const rows = {
      oldDelivered: { status: 'SUCCEEDED', age: 10 },
      oldFailed: { status: 'FAILED', age: 10 },
      oldPending: { status: 'PENDING', age: 10 },
      recentDelivered: { status: 'SUCCEEDED', age: 3 },
    };
    const ids: Record<string, string> = {};
    for (const [name, row] of Object.entries(rows)) {
      ids[name] = crypto.randomUUID();
      const at = sql`now() - make_interval(days => ${row.age})`;
      await sql`insert into webhook_deliveries (tenant_id, id, endpoint_id, message_id, event_type, entity_key, payload, status, attempt_count, created_at, finished_at)
        values (${admin.tenantId}, ${ids[name]}, ${endpointId}, ${`msg_${name}`}, 'thing.done', ${`thing/${name}`}, '{}', ${row.status}, 2, ${at},
                ${row.status === 'PENDING' ? null : at})`.execute(ctx.services.db);
      await sql`insert into webhook_attempts (tenant_id, id, delivery_id, attempted_at, status_code, latency_ms)
        values (${admin.tenantId}, ${crypto.randomUUID()}, ${ids[name]}, ${at}, 500, 12)`.execute(ctx.services.db);
    }
    const { log, warnings } = capturingLogger();
    await runHousekeeping(ctx.services, log);
    expect(warnings).toEqual([]);

    const res = await ctx.app.inject({ url: `/v1/admin/webhook-endpoints/${endpointId}/deliveries?limit=100`, headers: { authorization: admin.auth } });
    expect(res.statusCode, res.body).toBe(200);
    const left = (res.json() as { items: Array<{ id: string }> }).items.map((d) => d.id).sort();
    expect(left).toEqual([ids.oldPending, ids.recentDelivered].sort());
    const attempts = await sql<{ delivery_id: string }>`select delivery_id from webhook_attempts where tenant_id = ${admin.tenantId}`.execute(ctx.services.db);
    expect(attempts.rows.map((r) => r.delivery_id).sort()).toEqual([ids.oldPending, ids.recentDelivered].sort());
  });
});
