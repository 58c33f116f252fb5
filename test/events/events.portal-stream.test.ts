import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { openEventStream, type OpenStream } from '../support/event-stream.js';
import { newPerson, type Person } from '../support/people.js';
import { as } from '../support/requests.js';
import { eventually } from '../support/webhook-receiver.js';
import { realisticOrder, upload } from '../orders/orders.fixtures.js';

/**
 * The portal's live updates (issue 23): a customer's person, signed in with a session cookie, follows
 * GET /v1/events/stream like the console does, and gets only its own company's events.
 */
let ctx: TestContext;
let base: string;
let acme: Client;
let beta: Client;
let acmeBuyer: Person;
let betaBuyer: Person;
const open: OpenStream[] = [];

beforeAll(async () => {
  ctx = await createTestApp({ eventStreamHeartbeatSeconds: 1 });
  base = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const admin = await newTenant(ctx);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  acmeBuyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: acmeId });
  betaBuyer = await newPerson(ctx, admin, { email: 'buyer@beta.example', name: 'Beta Buyer', role: 'CUSTOMER', company_id: betaId });
});
afterAll(async () => {
  for (const stream of open) stream.close();
  await ctx.close();
});

async function streamAs(person: Person): Promise<OpenStream> {
  const s = await openEventStream(`${base}/v1/events/stream`, { cookie: person.cookie });
  open.push(s);
  return s;
}

describe('the event stream in a customer session', () => {
  it("carries the customer's own orders' and templates' events, and none of another customer's", async () => {
    const acmeStream = await streamAs(acmeBuyer);
    const betaStream = await streamAs(betaBuyer);
    expect(acmeStream.status).toBe(200);
    expect(betaStream.status).toBe(200);

    const betaOrder = await upload(ctx, beta, realisticOrder('BETA-LIVE', { customer: undefined }));
    expect(betaOrder.json().upload_status, betaOrder.body).toBe('COMPLETED');
    const acmeOrder = await upload(ctx, acme, realisticOrder('ACME-LIVE', { customer: undefined }));
    expect(acmeOrder.json().upload_status, acmeOrder.body).toBe('COMPLETED');
    const template = await as(acme).post('/v1/orders/templates', { name: 'Live', order: { consignments: [] } });
    expect(template.statusCode, template.body).toBe(201);

    const acmeEvents = await eventually(() => {
      const events = acmeStream.events();
      return events.some((e) => e.type === 'order_template.saved') ? events : undefined;
    });
    const acmeOrderId = acmeOrder.json().order_id as string;
    const betaOrderId = betaOrder.json().order_id as string;
    expect(acmeEvents.map((e) => e.type)).toContain('order.accepted');
    expect(acmeEvents.some((e) => JSON.stringify(e).includes(acmeOrderId))).toBe(true);
    expect(acmeEvents.some((e) => JSON.stringify(e).includes(betaOrderId))).toBe(false);

    // One more of Beta's own, after Acme's: once Beta's stream shows it, it has passed Acme's events (the stream keeps order).
    const marker = await as(beta).post('/v1/orders/templates', { name: 'Marker', order: { consignments: [] } });
    expect(marker.statusCode, marker.body).toBe(201);
    const betaEvents = await eventually(() => {
      const events = betaStream.events();
      return events.some((e) => e.type === 'order_template.saved') ? events : undefined;
    });
    const betaText = JSON.stringify(betaEvents);
    expect(betaText).toContain(betaOrder.json().order_id);
    expect(betaText).not.toContain(acmeOrderId);
    expect(betaEvents.filter((e) => e.type === 'order_template.saved').map((e) => e.payload.name)).toEqual(['Marker']);
  });

  it('refuses a stream without a session or with an ended one', async () => {
    const none = await openEventStream(`${base}/v1/events/stream`, {});
    expect(none.status).toBe(401);
    const ended = await openEventStream(`${base}/v1/events/stream`, { cookie: 'waybill_session=not-a-session' });
    expect(ended.status).toBe(401);
  });
});
