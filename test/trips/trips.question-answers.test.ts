import { beforeAll, describe, expect, it } from 'vitest';
import { newClient, newCompany, stageUpload, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { eventually, type Receiver } from '../support/webhook-receiver.js';
import { get } from '../orders/orders.fixtures.js';
import { orderWithStops, planTrip, stopRef, tripCall, tripsWorld, type OrderStops } from './trips.fixtures.js';

const world = tripsWorld();
let ctx: TestContext;
let admin: Client;
let subco: Client;
let subcoApi: Client;
let rival: Client;
let customer: Receiver;
let order: OrderStops;
const ref = (r: string) => stopRef(r, order.stops);

const SIGNATURE = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
const embedded = (filename: string, content = SIGNATURE.toString('base64')) => ({ embedded_document: { content, content_type: 'image/svg+xml', filename } });

beforeAll(async () => {
  ({ ctx, admin } = world);
  customer = (await world.receiver(world.acmeId, ['operational_visibility'])).receiver;
  const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL-Q', is_customer: false, is_subcontractor: true });
  const rivalId = await newCompany(ctx, admin, { name: 'Rivals', code: 'RIVAL-Q', is_customer: false, is_subcontractor: true });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId, kind: 'WEBHOOK' });
  subcoApi = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
  rival = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: rivalId, kind: 'WEBHOOK' });
  order = await orderWithStops(ctx, admin, 'QA-1');
  const trip = await planTrip(ctx, admin, ['P1', 'D1', 'P2', 'D2'].map(ref));
  expect((await tripCall(ctx, admin, 'POST', `/v1/trips/trip/${trip.id}/dispatch`, { subcontractor_id: subcoId })).statusCode).toBe(200);
});

async function post(client: Client, updates: unknown[]) {
  const res = await ctx.app.inject({ method: 'POST', url: '/v1/webhook/subco-status-update', headers: { authorization: client.auth }, payload: { updates } });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().results as Array<{ outcome: string; message: string | null }>).map((r) => r.outcome);
}

const stage = (client: Client, content: Buffer) => stageUpload(ctx, client, content, 'cmr.pdf');

const documents = async () =>
  (await get(ctx, admin, `/v1/orders/order/${order.orderId}/documents`)).json() as Array<{
    id: string;
    name: string;
    type: string;
    subject_type: string;
    subject_id: string;
  }>;

describe('question_answers with documents in status updates', () => {
  it('an embedded document rides along with a status: attached to the stop once, seen by the customer as Document CREATED', async () => {
    const update = {
      stop: { id: ref('P1'), status: 'COMPLETED', question_answers: { SIGNATURE: [embedded('signature.svg')], trailer_number: 'VB-123-AB' } },
      event_time: '2026-12-01T08:00:00Z',
    };
    expect(await post(subco, [update])).toEqual(['APPLIED']);
    expect(await post(subco, [update])).toEqual(['DUPLICATE']);
    const listed = await documents();
    expect(listed.map((d) => [d.name, d.type, d.subject_type, d.subject_id])).toEqual([['signature.svg', 'CONSIGNEE_SIGNATURE', 'STOP', ref('P1')]]);
    const customerClient = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: world.acmeId });
    const download = await get(ctx, customerClient, `/v1/documents/document/${listed[0]!.id}/download`);
    expect(download.rawPayload.equals(SIGNATURE)).toBe(true);
  });

  it('a remote_document names a file the subcontractor staged; files may come without a status', async () => {
    const pdf = Buffer.from('%PDF-1.4 delivery note');
    const uploadId = await stage(subcoApi, pdf);
    const filesOnly = {
      stop: { id: ref('D1'), question_answers: { 'documents/PROOF_OF_DELIVERY': [{ remote_document: { upload_id: uploadId } }] } },
      event_time: '2026-12-01T12:00:00Z',
    };
    expect(await post(subco, [filesOnly])).toEqual(['APPLIED']);
    // The same staged upload on the same stop is one document, however often it is sent.
    expect(await post(subco, [filesOnly])).toEqual(['APPLIED']);
    const pods = (await documents()).filter((d) => d.type === 'PROOF_OF_DELIVERY');
    expect(pods.map((d) => d.subject_id)).toEqual([ref('D1')]);
    const messages = await eventually(() => {
      const all = customer.received.map(
        (m) => JSON.parse(m.body) as { events: Array<{ update: { type: string; status?: string; document?: { document_type: string } } }> },
      );
      const docs = all.filter((m) => m.events[0]?.update.type === 'Document');
      return docs.length === 2 && docs;
    });
    for (const m of messages) expectContract('OperationalVisibilityUpdate', m);
    expect(messages.map((m) => [m.events[0]!.update.status, m.events[0]!.update.document?.document_type])).toEqual([
      ['CREATED', 'CONSIGNEE_SIGNATURE'],
      ['CREATED', 'PROOF_OF_DELIVERY'],
    ]);
  });

  it('a bad document rejects its whole update (the status too); others cannot attach to this trip or use foreign uploads', async () => {
    const before = (await documents()).length;
    const broken = {
      stop: { id: ref('P2'), status: 'AT_STOP', question_answers: { POD: embedded('x.svg', '***not base64***') } },
      event_time: '2026-12-01T13:00:00Z',
    };
    expect(await post(subco, [broken])).toEqual(['REJECTED']);
    const status = (await get(ctx, admin, `/v1/orders/order/${order.orderId}`)).json() as { stops: Array<{ id: string; status: string }> };
    expect(status.stops.find((s) => s.id === ref('P2'))?.status).toBe('DISPATCHED');
    const tenantsUpload = await stage(admin, Buffer.from('%PDF-1.4 tenant file'));
    const foreign = {
      stop: { id: ref('P2'), question_answers: { POD: { remote_document: { upload_id: tenantsUpload } } } },
      event_time: '2026-12-01T13:00:00Z',
    };
    expect(await post(subco, [foreign])).toEqual(['REJECTED']);
    const malformed = { stop: { id: ref('P2'), question_answers: { POD: { embedded_document: { content: 'AAAA' } } } }, event_time: '2026-12-01T13:00:00Z' };
    expect(await post(subco, [malformed])).toEqual(['REJECTED']);
    expect(await post(rival, [{ stop: { id: ref('P2'), question_answers: { POD: embedded('r.svg') } }, event_time: '2026-12-01T13:00:00Z' }])).toEqual([
      'UNMATCHED',
    ]);
    expect((await documents()).length).toBe(before);
  });
});
