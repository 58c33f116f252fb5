import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEngine } from '../../src/modules/webhooks/webhooks.worker.js';
import { newClient, newCompany, newTenant, type Client, useApp } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { as } from '../support/requests.js';
import { eventually, Receiver } from '../support/webhook-receiver.js';
import { realisticOrder, upload } from '../orders/orders.fixtures.js';

const ctx = useApp({ webhookRetrySchedule: [0, 0] });
let engine: WebhookEngine;
const receivers: Receiver[] = [];
const BASE = '/v1/admin/webhook-endpoints';

beforeAll(async () => {
  engine = ctx.services.webhooks.startEngine((err) => console.error('engine error', err));
});
afterAll(async () => {
  await engine.stop();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver() {
  const r = await new Receiver().start();
  receivers.push(r);
  return r;
}

async function endpoint(client: Client, url: string, body: Record<string, unknown> = {}) {
  const res = await as(client).post(BASE, { url, families: ['operational_visibility'], ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}

async function importOrder(client: Client, body: Record<string, unknown>) {
  const res = await upload(ctx, client, body);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().upload_status, res.body).toBe('COMPLETED');
  return res.json() as { order_id: string; order_name: string };
}

interface Update {
  events: Array<{ timestamp: string; update: { type: string; id: string | null; status: string } }>;
  order: { id: string; order_name: string; status: string; customer_reference_number: string } | null;
}
const updates = (r: Receiver) => r.received.map((m) => JSON.parse(m.body) as Update);

describe('operational visibility', () => {
  let admin: Client;
  let acmeId: string;
  let betaId: string;
  beforeAll(async () => {
    admin = await newTenant(ctx);
    acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
    betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
  });

  it('pushes ACCEPTED, status updates and CANCELLED with the order snapshot, valid against the contract', async () => {
    const r = await receiver();
    await endpoint(admin, r.url);
    const created = await importOrder(admin, realisticOrder('VIS-1'));
    await importOrder(admin, realisticOrder('VIS-1', { operation: 'UPDATE', planning_instructions: 'Call ahead' }));
    await importOrder(admin, { operation: 'DELETE', order_identifier: 'VIS-1', customer: { code: 'ACME' }, consignments: [] });
    await eventually(() => r.received.length === 3);
    for (const body of updates(r)) expectContract('OperationalVisibilityUpdate', body);
    const [accepted, updated, cancelled] = updates(r);
    expect(accepted?.events[0]?.update).toMatchObject({ type: 'Order', id: created.order_id, status: 'ACCEPTED' });
    expect(accepted?.order).toMatchObject({ id: created.order_id, order_name: created.order_name, customer_reference_number: 'PO-VIS-1' });
    expect(updated?.events[0]?.update).toMatchObject({ type: 'Order', status: 'TO_PLAN' });
    expect(cancelled?.events[0]?.update).toMatchObject({ type: 'Order', status: 'CANCELLED' });
    expect(cancelled?.order?.status).toBe('CANCELLED');
  });

  it('sends a company endpoint only the events about its own orders', async () => {
    const acmeReceiver = await receiver();
    const tenantReceiver = await receiver();
    const acmeClient = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
    await endpoint(acmeClient, acmeReceiver.url);
    await endpoint(admin, tenantReceiver.url, { event_types: ['order.accepted'] });
    const acmeOrder = await importOrder(admin, realisticOrder('VIS-A'));
    const betaOrder = await importOrder(admin, realisticOrder('VIS-B', { customer: { code: 'BETA' } }));
    await eventually(() => tenantReceiver.received.length === 2);
    await eventually(() => acmeReceiver.received.length >= 1);
    // The Beta order committed after the Acme one, and the tenant endpoint already has it.
    expect(updates(acmeReceiver).map((u) => u.order?.id)).toEqual([acmeOrder.order_id]);
    expect(updates(tenantReceiver).map((u) => u.order?.id)).toEqual([acmeOrder.order_id, betaOrder.order_id]);
    expect(betaId).toBeTruthy();
  });
});

describe('document visibility', () => {
  it('pushes a Document CREATED update for a document attached to an order', async () => {
    const admin = await newTenant(ctx);
    await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
    const hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
    const r = await receiver();
    await endpoint(admin, r.url, { event_types: ['document.*'] });
    const order = await importOrder(admin, realisticOrder('DOCVIS-1'));
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/webhook/document-import',
      query: { filename: 'pod.pdf', customer_reference_number: 'PO-DOCVIS-1', document_type: 'PROOF_OF_DELIVERY' },
      headers: { authorization: hook.auth, 'content-type': 'application/pdf' },
      payload: Buffer.from('%PDF-1.4 proof'),
    });
    expect(res.statusCode, res.body).toBe(200);
    await eventually(() => r.received.length === 1);
    const [body] = r.received.map((m) => JSON.parse(m.body));
    expectContract('OperationalVisibilityUpdate', body);
    expect(body.events[0].update).toMatchObject({
      type: 'Document',
      id: res.json().document_id,
      status: 'CREATED',
      document: { document_type: 'PROOF_OF_DELIVERY', subject: { customer_reference_number: 'PO-DOCVIS-1' } },
    });
    expect(body.events[0].update.document.document_content.download_url).toContain(res.json().document_id);
    expect(body.order.id).toBe(order.order_id);
  });
});

describe('events feed', () => {
  it('pages in position order, filters by type, and shows a company client only its events', async () => {
    const admin = await newTenant(ctx);
    const other = await newTenant(ctx);
    const acme = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
    await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
    await newCompany(ctx, other, { name: 'Elsewhere', code: 'ACME' });
    const acmeClient = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acme });
    const a = await importOrder(admin, realisticOrder('FEED-A'));
    await importOrder(admin, realisticOrder('FEED-B', { customer: { code: 'BETA' } }));

    const feed = async (client: Client, query: string) => {
      const res = await as(client).get(`/v1/events${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: Array<{ position: number; type: string; entity_id: string }>; next_after: number | null; last_position: number };
    };
    const all = await feed(admin, '');
    const positions = all.items.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((x, y) => x - y));
    expect(new Set(positions).size).toBe(positions.length);
    expect(all.items.filter((e) => e.type === 'order.accepted')).toHaveLength(2);

    const page1 = await feed(admin, '?limit=2');
    expect(page1.items).toHaveLength(2);
    const page2 = await feed(admin, `?after=${page1.next_after}&limit=100`);
    expect([...page1.items, ...page2.items].map((e) => e.position)).toEqual(positions);
    expect(page2.next_after).toBeNull();

    expect((await feed(admin, '?types=order.accepted')).items.map((e) => e.type)).toEqual(['order.accepted', 'order.accepted']);
    expect((await feed(admin, '?types=order.*,company.created')).items.length).toBe(4);

    const mine = await feed(acmeClient, '');
    expect(mine.items.map((e) => e.entity_id)).toEqual([acme, a.order_id]);
    expect((await feed(other, '')).items.every((e) => e.type !== 'order.accepted')).toBe(true);

    for (const bad of ['?after=-1', '?types=DROP%20TABLE', '?limit=0', '?limit=5000', '?after=abc']) {
      const res = await as(admin).get(`/v1/events${bad}`);
      expect(res.statusCode, bad).toBe(400);
    }
    expect((await ctx.app.inject({ url: '/v1/events' })).statusCode).toBe(401);
  });
});

describe('replay', () => {
  it('resends what a disabled endpoint missed, and requeues failed messages', async () => {
    const admin = await newTenant(ctx);
    await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
    const r = await receiver();
    const ep = await endpoint(admin, r.url);
    const since = new Date(Date.now() - 1000).toISOString();
    await as(admin).post(`${BASE}/${ep.id}/disable`);
    const missed = await importOrder(admin, realisticOrder('REPLAY-1'));
    await as(admin).post(`${BASE}/${ep.id}/enable`);
    // The failing receiver turns a live event into a FAILED message (the schedule has two attempts).
    r.respond = () => ({ status: 500 });
    const failed = await importOrder(admin, realisticOrder('REPLAY-2'));
    await eventually(async () => {
      const res = await as(admin).get(`${BASE}/${ep.id}/deliveries?status=FAILED`);
      return res.json().items.length === 1;
    });
    expect(r.received).toHaveLength(2);
    r.respond = () => ({});

    const res = await as(admin).post(`${BASE}/${ep.id}/replay`, { since });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ queued: 1, requeued: 1, resume_since: null });
    await eventually(() => r.received.length === 4);
    const delivered = updates(r)
      .slice(2)
      .map((u) => u.order?.id)
      .sort();
    expect(delivered).toEqual([missed.order_id, failed.order_id].sort());

    const again = await as(admin).post(`${BASE}/${ep.id}/replay`, { since });
    expect(again.json()).toEqual({ queued: 0, requeued: 0, resume_since: null });
    const backwards = await as(admin).post(`${BASE}/${ep.id}/replay`, { since, until: '2020-01-01T00:00:00Z' });
    expect(backwards.statusCode).toBe(400);
  });
});
