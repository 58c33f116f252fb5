import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { createTestApp, newClient, newCompany, newTenant, type Client } from '../support/app.js';
import { as } from '../support/requests.js';
import { eventually } from '../support/webhook-receiver.js';
import { webhookWorld } from '../support/webhook-world.js';

const w = webhookWorld({ webhookRetrySchedule: [0, 0, 0] });
const BASE = '/v1/admin/webhook-endpoints';

async function create(client: Client, body: Record<string, unknown> = {}) {
  const res = await as(client).post(BASE, { url: w.receiver.url, families: ['events'], ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string; company_id: string | null };
}

describe('webhook endpoints', () => {
  it('creates, lists, reads, updates, disables, enables and deletes', async () => {
    const admin = await newTenant(w.ctx);
    const created = await create(admin, { description: 'ERP', event_types: ['company.*'], headers: { 'x-api-key': 'k1' } });
    expect(created).toMatchObject({ description: 'ERP', event_types: ['company.*'], header_names: ['x-api-key'], enabled: true, company_id: null });
    expect(JSON.stringify((await as(admin).get(`${BASE}/${created.id}`)).json())).not.toContain(created.secret);
    const secret = (await as(admin).get(`${BASE}/${created.id}/secret`)).json();
    expect(secret.secret).toBe(created.secret);

    const patched = await as(admin).patch(`${BASE}/${created.id}`, { event_types: [], basic_auth: { username: 'u', password: 'p' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ event_types: [], basic_auth_username: 'u' });

    const disabled = await as(admin).post(`${BASE}/${created.id}/disable`);
    expect(disabled.json()).toMatchObject({ enabled: false, disabled_reason: 'disabled by a client' });
    const test = await as(admin).post(`${BASE}/${created.id}/test`);
    expect(test.statusCode).toBe(409);
    expect((await as(admin).post(`${BASE}/${created.id}/enable`)).json()).toMatchObject({ enabled: true, disabled_reason: null });

    const second = await create(admin);
    const page1 = (await as(admin).get(`${BASE}?limit=1`)).json();
    expect(page1.items).toHaveLength(1);
    const page2 = (await as(admin).get(`${BASE}?limit=1&cursor=${page1.next_cursor}`)).json();
    expect(page2.items.map((e: { id: string }) => e.id)).toEqual([second.id]);
    expect(page2.next_cursor).toBeNull();

    expect((await as(admin).delete(`${BASE}/${created.id}`)).statusCode).toBe(204);
    expect((await as(admin).get(`${BASE}/${created.id}`)).statusCode).toBe(404);
    const feed = (await as(admin).get('/v1/events?types=webhook_endpoint.*')).json();
    expect(feed.items.map((e: { type: string }) => e.type)).toEqual([
      'webhook_endpoint.created',
      'webhook_endpoint.updated',
      'webhook_endpoint.disabled',
      'webhook_endpoint.enabled',
      'webhook_endpoint.created',
      'webhook_endpoint.deleted',
    ]);
    expect(JSON.stringify(feed)).not.toContain('whsec_');
  });

  it('validates input', async () => {
    const admin = await newTenant(w.ctx);
    const bad = [
      { url: w.receiver.url, families: [] },
      { url: w.receiver.url, families: ['accounting_magic'] },
      { url: 'ftp://127.0.0.1/x', families: ['events'] },
      { url: 'not a url at all', families: ['events'] },
      { url: 'http://user:pw@127.0.0.1/x', families: ['events'] },
      { url: w.receiver.url, families: ['events'], event_types: ['Order Accepted'] },
      { url: w.receiver.url, families: ['events'], headers: { 'webhook-signature': 'forged' } },
      { url: w.receiver.url, families: ['events'], headers: { authorization: 'Bearer x' } },
      { url: w.receiver.url, families: ['events'], company_id: crypto.randomUUID() },
      { url: w.receiver.url, families: ['events'], surprise: true },
      { url: `http://127.0.0.1/${'x'.repeat(2100)}`, families: ['events'] },
    ];
    for (const body of bad) {
      const res = await as(admin).post(BASE, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().errors.length).toBeGreaterThan(0);
    }
    expect((await as(admin).get(`${BASE}/not-a-uuid`)).statusCode).toBe(400);
    expect((await as(admin).get(`${BASE}?cursor=garbage`)).statusCode).toBe(400);
  });

  it('scopes endpoints to the caller: another tenant or company gets 404', async () => {
    const admin = await newTenant(w.ctx);
    const other = await newTenant(w.ctx, 'Other carrier');
    const acme = await newCompany(w.ctx, admin, { name: 'Acme', code: 'ACME-SCOPE' });
    const globex = await newCompany(w.ctx, admin, { name: 'Globex', code: 'GLOBEX-SCOPE' });
    const acmeClient = await newClient(w.ctx, admin.tenantId, 'CUSTOMER', { companyId: acme });
    const globexClient = await newClient(w.ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: globex });

    const tenantWide = await create(admin);
    const acmeOwn = await create(acmeClient);
    expect(acmeOwn.company_id).toBe(acme);
    const forAcmeByAdmin = await create(admin, { company_id: acme });
    expect((await as(acmeClient).post(BASE, { url: w.receiver.url, families: ['events'], company_id: globex })).statusCode).toBe(400);

    const acmeList = (await as(acmeClient).get(BASE)).json().items.map((e: { id: string }) => e.id);
    expect(acmeList.sort()).toEqual([acmeOwn.id, forAcmeByAdmin.id].sort());
    expect((await as(globexClient).get(BASE)).json().items).toEqual([]);
    expect((await as(other).get(BASE)).json().items).toEqual([]);

    for (const [client, id] of [
      [acmeClient, tenantWide.id],
      [globexClient, acmeOwn.id],
      [other, tenantWide.id],
    ] as const) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['GET', '/secret'],
        ['PATCH', ''],
        ['DELETE', ''],
        ['POST', '/enable'],
        ['POST', '/disable'],
        ['POST', '/rotate-secret'],
        ['POST', '/test'],
        ['GET', '/deliveries'],
        ['POST', '/replay'],
      ] as const) {
        const body =
          method === 'PATCH' ? { description: 'x' } : suffix === '/replay' ? { since: '2026-01-01T00:00:00Z' } : suffix === '/rotate-secret' ? {} : undefined;
        const res = await as(client).send(method, `${BASE}/${id}${suffix}`, body);
        expect(res.statusCode, `${method} ${suffix}`).toBe(404);
      }
    }
    const test = (await as(admin).post(`${BASE}/${tenantWide.id}/test`)).json();
    expect((await as(acmeClient).get(`${BASE}/deliveries/${test.id}/attempts`)).statusCode).toBe(404);
    expect((await as(other).post(`${BASE}/deliveries/${test.id}/redeliver`)).statusCode).toBe(404);
  });

  it('refuses private, metadata and (unless allowlisted) loopback addresses at registration', async () => {
    const admin = await newTenant(w.ctx);
    for (const url of [
      'http://10.0.0.5/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://192.168.1.1/',
      'http://[fd00::1]/',
      'http://100.64.0.1/',
      'http://[::ffff:10.0.0.1]/',
    ]) {
      const res = await as(admin).post(BASE, { url, families: ['events'] });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors[0].field).toBe('url');
    }
    // This app allowlists loopback (tests); an app with the default (empty) allowlist refuses it in every spelling.
    const strict = await createTestApp({ outboundAllowlist: [] });
    try {
      const strictAdmin = await newTenant(strict);
      for (const url of ['http://127.0.0.1:9/x', 'http://127.1/x', 'http://2130706433/x', 'http://[::1]/x', 'http://localhost/x', 'http://0x7f.0.0.1/x']) {
        const res = await as(strictAdmin).post(BASE, { url, families: ['events'] });
        expect(res.statusCode, url).toBe(400);
      }
    } finally {
      await strict.close();
    }
  });

  it('signs with both secrets during a rotation overlap, and with the new one only after it', async () => {
    const admin = await newTenant(w.ctx);
    const endpoint = await create(admin);
    const rotated = await as(admin).post(`${BASE}/${endpoint.id}/rotate-secret`, { overlap_seconds: 3600 });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const next = rotated.json() as { secret: string; previous_secret_expires_at: string };
    expect(next.secret).not.toBe(endpoint.secret);
    expect(next.previous_secret_expires_at).not.toBeNull();
    const test = (await as(admin).post(`${BASE}/${endpoint.id}/test`)).json();
    const message = await eventually(() => w.receiver.received.find((m) => m.headers['webhook-id'] === test.message_id));
    expect(String(message.headers['webhook-signature']).split(' ')).toHaveLength(2);
    for (const secret of [endpoint.secret, next.secret]) new Webhook(secret).verify(message.body, message.headers as Record<string, string>);

    const immediate = (await as(admin).post(`${BASE}/${endpoint.id}/rotate-secret`, { overlap_seconds: 0 })).json();
    const test2 = (await as(admin).post(`${BASE}/${endpoint.id}/test`)).json();
    const message2 = await eventually(() => w.receiver.received.find((m) => m.headers['webhook-id'] === test2.message_id));
    new Webhook(immediate.secret).verify(message2.body, message2.headers as Record<string, string>);
    expect(() => new Webhook(next.secret).verify(message2.body, message2.headers as Record<string, string>)).toThrow();
  });

  it('sends a test message of the endpoint family and redelivers it with the same webhook-id', async () => {
    const admin = await newTenant(w.ctx);
    const endpoint = await create(admin, { families: ['operational_visibility'] });
    const test = await as(admin).post(`${BASE}/${endpoint.id}/test`);
    expect(test.statusCode).toBe(202);
    const delivery = test.json() as { id: string; message_id: string };
    await eventually(() => w.receiver.received.find((m) => m.headers['webhook-id'] === delivery.message_id));
    const redelivered = await as(admin).post(`${BASE}/deliveries/${delivery.id}/redeliver`);
    expect(redelivered.statusCode).toBe(202);
    expect(redelivered.json().message_id).toBe(delivery.message_id);
    expect(redelivered.json().id).not.toBe(delivery.id);
    await eventually(() => w.receiver.received.filter((m) => m.headers['webhook-id'] === delivery.message_id).length === 2);
    const copies = w.receiver.received.filter((m) => m.headers['webhook-id'] === delivery.message_id);
    expect(copies[0]?.body).toBe(copies[1]?.body);
    // The receiver has both copies before the worker has recorded the second one's success.
    await eventually(async () => (await as(admin).get(`${BASE}/${endpoint.id}/deliveries?status=SUCCEEDED`)).json().items.length === 2);
    const attempts = (await as(admin).get(`${BASE}/deliveries/${delivery.id}/attempts`)).json().items;
    expect(attempts).toHaveLength(1);
    expect(attempts[0]).toMatchObject({ status_code: 200, response_excerpt: '{}', error: null });
  });
});
