import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { sql } from 'kysely';
import { inTransaction } from '../../src/platform/db/tx.js';
import { appendEvent } from '../../src/platform/events/append.js';
import '../support/fixture-events.js';
import type { FixtureEventType } from '../support/fixture-events.js';
import { purgeFinished } from '../../src/modules/webhooks/deliveries/deliveries.repo.js';
import type { WebhookEngine } from '../../src/modules/webhooks/webhooks.worker.js';
import { createTestApp, newCompany, newTenant, type Client, type TestContext, useApp } from '../support/app.js';
import { as } from '../support/requests.js';
import { eventually, Receiver } from '../support/webhook-receiver.js';

// A timeout far above any answer time on a loaded machine: a fast receiver must not be recorded as a
// timeout (and sent the message again) because the shared cores were busy. The timeout test has its own app.
const ctx = useApp({ webhookTimeoutMs: 5_000, webhookRetrySchedule: [0, 0, 0, 0, 1, 1] });
let engine: WebhookEngine;
const receivers: Receiver[] = [];

beforeAll(async () => {
  engine = ctx.services.webhooks.startEngine((err) => console.error('engine error', err));
});
afterAll(async () => {
  await engine.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(): Promise<Receiver> {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
}

async function endpoint(admin: Client, url: string, body: Record<string, unknown> = {}) {
  const res = await as(admin).post('/v1/admin/webhook-endpoints', { url, families: ['events'], ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string };
}

async function deliveries(admin: Client, endpointId: string) {
  const res = await as(admin).get(`/v1/admin/webhook-endpoints/${endpointId}/deliveries`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: Array<Record<string, unknown> & { id: string; status: string; attempt_count: number }> }).items;
}

async function attempts(admin: Client, deliveryId: string) {
  const res = await as(admin).get(`/v1/admin/webhook-endpoints/deliveries/${deliveryId}/attempts`);
  expect(res.statusCode, res.body).toBe(200);
  return (
    res.json() as {
      items: Array<{ id: string; status_code: number | null; error: string | null; latency_ms: number; attempted_at: string; response_excerpt: string | null }>;
    }
  ).items;
}

/** Appends a domain event the way a module would, for entities other modules do not emit yet. */
async function emit(tenantId: string, type: FixtureEventType, entityId: string, payload: Record<string, unknown> = {}, on: TestContext = ctx) {
  await inTransaction(on.services.db, (tx) => appendEvent(tx, on.services.bus, { tenantId, type, entityType: 'thing', entityId, payload }));
}

const bodies = (r: Receiver) => r.received.map((m) => JSON.parse(m.body) as { type: string; entity_id: string; payload: Record<string, unknown> });

describe('webhook delivery', () => {
  it('delivers a committed event with verifiable Standard Webhooks headers', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    const ep = await endpoint(admin, r.url, { basic_auth: { username: 'erp', password: 's3cret' }, headers: { 'x-tenant-key': 'abc' } });
    expect(ep.secret).toMatch(/^whsec_/);
    const companyId = await newCompany(ctx, admin, { name: 'Delivered Ltd' });
    const message = await eventually(() => r.received.find((m) => m.body.includes(companyId)));
    const event = new Webhook(ep.secret).verify(message.body, message.headers as Record<string, string>) as { type: string; entity_id: string };
    expect(event).toMatchObject({ type: 'company.created', entity_id: companyId });
    expect(message.headers.authorization).toBe(`Basic ${Buffer.from('erp:s3cret').toString('base64')}`);
    expect(message.headers['x-tenant-key']).toBe('abc');
    expect(message.headers['content-type']).toBe('application/json');
    const [delivery] = await eventually(async () => {
      const items = await deliveries(admin, ep.id);
      return items[0]?.status === 'SUCCEEDED' && items;
    });
    expect(delivery).toMatchObject({ event_type: 'company.created', attempt_count: 1, last_status_code: 200 });
    expect(message.headers['webhook-id']).toBe(delivery?.message_id);
  });

  it('retries 500s with the same webhook-id and bytes, and records every attempt', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    r.respond = (_m, i) => (i < 2 ? { status: 500, body: 'database down' } : {});
    const ep = await endpoint(admin, r.url);
    await newCompany(ctx, admin, { name: 'Retry Ltd' });
    await eventually(() => r.received.length >= 3);
    expect(new Set(r.received.map((m) => m.headers['webhook-id'])).size).toBe(1);
    expect(new Set(r.received.map((m) => m.body)).size).toBe(1);
    for (const m of r.received) new Webhook(ep.secret).verify(m.body, m.headers as Record<string, string>);
    const [delivery] = await eventually(async () => {
      const items = await deliveries(admin, ep.id);
      return items[0]?.status === 'SUCCEEDED' && items;
    });
    const log = await attempts(admin, delivery!.id);
    expect(log.map((a) => a.status_code)).toEqual([500, 500, 200]);
    expect(log[0]).toMatchObject({ response_excerpt: 'database down', error: 'receiver answered 500' });
    expect(delivery!.attempt_count).toBe(3);
    // The latest attempt lives on the delivery row and earlier ones in the log: ids stay distinct.
    expect(new Set(log.map((a) => a.id)).size).toBe(3);
  });

  it('records a timeout, then gives up after the schedule and keeps the endpoint failing', async () => {
    const hasty = await createTestApp({ webhookTimeoutMs: 400, webhookRetrySchedule: [0, 0, 0, 0, 1, 1] });
    const hastyEngine = hasty.services.webhooks.startEngine((err) => console.error('engine error', err));
    try {
      const admin = await newTenant(hasty);
      const r = await receiver();
      r.respond = () => ({ delayMs: 1_500 });
      const ep = await endpoint(admin, r.url);
      await newCompany(hasty, admin, { name: 'Slow Ltd' });
      const [delivery] = await eventually(async () => {
        const items = await deliveries(admin, ep.id);
        return items[0]?.status === 'FAILED' && items;
      }, 30_000);
      const log = await attempts(admin, delivery!.id);
      expect(log).toHaveLength(6);
      expect(log.every((a) => a.error === 'timeout' && a.status_code === null)).toBe(true);
      const got = (await as(admin).get(`/v1/admin/webhook-endpoints/${ep.id}`)).json();
      expect(got.failing_since).not.toBeNull();
      expect(got.enabled).toBe(true);
    } finally {
      await hastyEngine.stop();
      await hasty.close();
    }
  }, 60_000);

  it('disables the endpoint on 410 Gone and records webhook_endpoint.disabled', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    r.respond = () => ({ status: 410 });
    const ep = await endpoint(admin, r.url);
    await newCompany(ctx, admin, { name: 'Gone Ltd' });
    const got = await eventually(async () => {
      const res = await as(admin).get(`/v1/admin/webhook-endpoints/${ep.id}`);
      const body = res.json();
      return body.enabled === false && body;
    });
    expect(got.disabled_reason).toMatch(/410/);
    expect(r.received).toHaveLength(1);
    const feed = (await as(admin).get('/v1/events?types=webhook_endpoint.disabled')).json();
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({ entity_id: ep.id, payload: { reason: 'receiver answered 410 Gone' } });
    // The company's message; the endpoint's own webhook_endpoint.disabled event may be queued after it.
    const delivery = (await deliveries(admin, ep.id)).find((d) => d.event_type === 'company.created');
    expect(delivery?.status).toBe('FAILED');
  });

  it('disables an endpoint failing for longer than the configured hours, with an event', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    r.respond = () => ({ status: 500 });
    const ep = await endpoint(admin, r.url);
    const get = async () => (await as(admin).get(`/v1/admin/webhook-endpoints/${ep.id}`)).json();
    const test = () => as(admin).post(`/v1/admin/webhook-endpoints/${ep.id}/test`);
    expect((await test()).statusCode).toBe(202);
    await eventually(async () => (await get()).failing_since !== null);
    expect((await get()).enabled).toBe(true);
    // Pretend the streak began 121 hours ago (the default limit is 120): the next failure ends it.
    await ctx.services.db
      .updateTable('webhook_endpoints')
      .set({ failing_since: new Date(Date.now() - 121 * 3_600_000) })
      .where('tenant_id', '=', admin.tenantId)
      .where('id', '=', ep.id)
      .execute();
    // The first message is still being retried (the schedule starts with immediate retries), and
    // its next failure may end the streak before this second one is sent: then the endpoint is
    // already disabled and a test message is refused with 409. Either way one failure ends it.
    const second = await test();
    expect([202, 409], second.body).toContain(second.statusCode);
    const disabled = await eventually(async () => {
      const body = await get();
      return body.enabled === false && body;
    });
    expect(disabled.disabled_reason).toBe('failing for more than 120 hours');
    const feed = (await as(admin).get('/v1/events?types=webhook_endpoint.disabled')).json();
    expect(feed.items.map((e: { entity_id: string }) => e.entity_id)).toEqual([ep.id]);
  });

  it('honours Retry-After on 429', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    r.respond = (_m, i) => (i === 0 ? { status: 429, headers: { 'retry-after': '2' } } : {});
    const ep = await endpoint(admin, r.url);
    await newCompany(ctx, admin, { name: 'Busy Ltd' });
    const [delivery] = await eventually(async () => {
      const items = await deliveries(admin, ep.id);
      return items[0]?.status === 'SUCCEEDED' && items;
    });
    const log = await attempts(admin, delivery!.id);
    expect(log.map((a) => a.status_code)).toEqual([429, 200]);
    const gap = Date.parse(log[1]!.attempted_at) - Date.parse(log[0]!.attempted_at);
    expect(gap).toBeGreaterThanOrEqual(2_000);
  });

  it('records refused connections and retries them', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    const url = r.url;
    await r.close();
    receivers.splice(receivers.indexOf(r), 1);
    const ep = await endpoint(admin, url);
    await newCompany(ctx, admin, { name: 'Nobody Home Ltd' });
    const [delivery] = await eventually(async () => {
      const items = await deliveries(admin, ep.id);
      return items[0] && items[0].attempt_count >= 2 && items;
    });
    const log = await attempts(admin, delivery!.id);
    expect(log[0]?.error).toMatch(/ECONNREFUSED/);
    expect(log[0]?.status_code).toBeNull();
  });

  it('keeps a stalled receiver from delaying another endpoint', async () => {
    const admin = await newTenant(ctx);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const stalled = await receiver();
    stalled.respond = () => ({ until: gate });
    const fast = await receiver();
    await endpoint(admin, stalled.url);
    await endpoint(admin, fast.url);
    for (let i = 0; i < 30; i++) await emit(admin.tenantId, 'thing.happened', crypto.randomUUID(), { i });
    // The stalled receiver answers nothing until the other endpoint has everything.
    await eventually(() => fast.distinctMessages === 30);
    release();
  });

  it('sends to a failing endpoint one request at a time, so it cannot take the slots others need', async () => {
    // Its own app with a timeout far beyond any wait here: a held request must never time out.
    const patient = await createTestApp({ webhookTimeoutMs: 60_000, webhookRetrySchedule: [0, 0, 0, 0, 0, 0, 0, 0] });
    const patientEngine = patient.services.webhooks.startEngine((err) => console.error('engine error', err));
    const admin = await newTenant(patient);
    const r = await receiver();
    const cap = patient.services.config.webhookEndpointConcurrency;
    // No clock involved: the receiver holds the first requests until the endpoint's whole cap is in
    // flight, so the engine cannot send anything more before it learns of a failure. Every later
    // request is then sent by an engine that knows the endpoint fails, and must find none in flight.
    let openGate!: () => void;
    const gate = new Promise<void>((resolve) => (openGate = resolve));
    let inFlight = 0;
    const concurrentAtArrival: number[] = [];
    r.respond = (_m, index) => {
      concurrentAtArrival.push(inFlight);
      inFlight++;
      if (index === cap - 1) openGate();
      const answered = index < cap ? gate : new Promise((resolve) => setTimeout(resolve, 20));
      return { status: 500, until: answered.then(() => inFlight--) };
    };
    try {
      const res = await as(admin).post('/v1/admin/webhook-endpoints', { url: r.url, families: ['events'] });
      expect(res.statusCode, res.body).toBe(201);
      for (let i = 0; i < cap + 4; i++) await emit(admin.tenantId, 'thing.failed', crypto.randomUUID(), { i }, patient);
      await eventually(() => r.received.length >= cap + 6);
      // Until the first failure is known, the endpoint's full cap is used; afterwards one at a time.
      expect(concurrentAtArrival.slice(0, cap)).toEqual([...Array(cap).keys()]);
      expect(concurrentAtArrival.slice(cap)).toEqual(concurrentAtArrival.slice(cap).map(() => 0));
    } finally {
      r.respond = () => ({});
      openGate();
      await patientEngine.stop();
      await patient.close();
    }
  });

  it('keeps one entity in order behind a failing delivery without holding back others', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    const stuck = crypto.randomUUID();
    const free = crypto.randomUUID();
    const of = (id: string) =>
      bodies(r)
        .filter((b) => b.entity_id === id)
        .map((b) => b.payload.n);
    // The stuck entity's first event fails until every event of the other entity has arrived.
    r.respond = (m) => {
      const body = JSON.parse(m.body) as { entity_id: string; payload: { n: number } };
      return body.entity_id === stuck && body.payload.n === 1 && of(free).length < 3 ? { status: 503 } : {};
    };
    await endpoint(admin, r.url);
    for (let n = 1; n <= 3; n++) {
      await emit(admin.tenantId, 'thing.changed', stuck, { n });
      await emit(admin.tenantId, 'thing.changed', free, { n });
    }
    await eventually(() => of(stuck).includes(3) && of(free).length === 3);
    expect(of(free)).toEqual([1, 2, 3]);
    const stuckSeq = of(stuck);
    const retries = stuckSeq.length - 2;
    expect(stuckSeq).toEqual([...Array(retries).fill(1), 2, 3]);
    expect(retries).toBeGreaterThan(1);
  }, 60_000);

  it('keeps each entity in order within one fan-out batch, when most messages go straight to the worker', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    await endpoint(admin, r.url);
    const entities = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    const loners = Array.from({ length: 40 }, () => crypto.randomUUID());
    // One transaction, so one fan-out batch: per entity, only the first message can be handed over.
    await inTransaction(ctx.services.db, async (tx) => {
      for (let n = 1; n <= 20; n++) {
        for (const id of entities)
          await appendEvent(tx, ctx.services.bus, { tenantId: admin.tenantId, type: 'thing.changed', entityType: 'thing', entityId: id, payload: { n } });
        const loner = loners[n - 1] as string;
        await appendEvent(tx, ctx.services.bus, { tenantId: admin.tenantId, type: 'thing.changed', entityType: 'thing', entityId: loner, payload: { n } });
      }
    });
    await eventually(() => r.distinctMessages === 80);
    for (const id of entities) {
      expect(
        bodies(r)
          .filter((b) => b.entity_id === id)
          .map((b) => b.payload.n),
      ).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    }
    expect(new Set(r.received.map((m) => m.headers['webhook-id'])).size).toBe(80);
  });

  it('purges finished deliveries past the retention, attempts included, and keeps the rest', async () => {
    const admin = await newTenant(ctx);
    const r = await receiver();
    r.respond = (_m, i) => (i === 0 ? { status: 500 } : {});
    const ep = await endpoint(admin, r.url);
    await emit(admin.tenantId, 'thing.old', crypto.randomUUID());
    const [old] = await eventually(async () => {
      const items = await deliveries(admin, ep.id);
      return items[0]?.status === 'SUCCEEDED' && items;
    });
    expect(await attempts(admin, old!.id)).toHaveLength(2);
    await emit(admin.tenantId, 'thing.recent', crypto.randomUUID());
    await eventually(async () => (await deliveries(admin, ep.id)).filter((d) => d.status === 'SUCCEEDED').length === 2);
    await sql`update webhook_deliveries set created_at = now() - interval '40 days', finished_at = now() - interval '39 days'
      where tenant_id = ${admin.tenantId} and id = ${old!.id}`.execute(ctx.services.db);
    expect(await purgeFinished(ctx.services.db, 30)).toBe(1);
    const left = await deliveries(admin, ep.id);
    expect(left.map((d) => d.event_type)).toEqual(['thing.recent']);
    const orphans = await sql<{ n: number }>`select count(*)::int as n from webhook_attempts where delivery_id = ${old!.id}`.execute(ctx.services.db);
    expect(orphans.rows[0]?.n).toBe(0);
  });
});
