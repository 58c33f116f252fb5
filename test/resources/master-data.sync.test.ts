import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebhookEngine } from '../../src/modules/webhooks/webhooks.worker.js';
import { newClient, newTenant, type Client, useApp } from '../support/app.js';
import { as } from '../support/requests.js';
import { eventually, Receiver } from '../support/webhook-receiver.js';

const ctx = useApp({ webhookRetrySchedule: [0, 0] });
let engine: WebhookEngine;
let admin: Client;
/** Two outside systems syncing master data both ways, each writing with its own API client. */
let systemA: Client;
let systemB: Client;
let receiverA: Receiver;
let receiverB: Receiver;

interface Message {
  entity: string;
  operation: string;
  id: string;
  version: number;
  code?: string | null;
  external_id?: string | null;
  record: Record<string, unknown>;
  origin_client_id: string | null;
}
const messages = (r: Receiver) => r.received.map((m) => JSON.parse(m.body) as Message);
const about = (r: Receiver, id: string) => messages(r).filter((m) => m.id === id);

async function endpoint(url: string, integrationClients: string[], extra: object = {}) {
  const res = await as(admin).post('/v1/admin/webhook-endpoints', { url, families: ['master_data'], integration_client_ids: integrationClients, ...extra });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; suppress_echo: boolean; integration_client_ids: string[] };
}

beforeAll(async () => {
  engine = ctx.services.webhooks.startEngine((err) => console.error('engine error', err));
  admin = await newTenant(ctx, 'Two-way carrier');
  systemA = await newClient(ctx, admin.tenantId, 'TENANT');
  systemB = await newClient(ctx, admin.tenantId, 'TENANT');
  receiverA = await new Receiver().start();
  receiverB = await new Receiver().start();
  const a = await endpoint(receiverA.url, [systemA.clientId]);
  expect(a).toMatchObject({ suppress_echo: true, integration_client_ids: [systemA.clientId] });
  await endpoint(receiverB.url, [systemB.clientId]);
});
afterAll(async () => {
  await engine.stop();
  await receiverA.close();
  await receiverB.close();
});

describe('master_data push with echo suppression', () => {
  it('sends a change made by system A to B, not back to A, with the record as GET returns it', async () => {
    const billTo = await as(admin).post('/v1/companies/company', { name: 'Group HQ', currency: 'EUR', is_customer: true });
    const created = await as(systemA).post('/v1/companies/company', {
      name: 'Shared Shipper',
      code: 'SHARED',
      currency: 'EUR',
      is_customer: true,
      default_invoice_customer_id: billTo.json().id,
    });
    expect(created.statusCode).toBe(200);
    const id = created.json().id as string;
    const updated = await as(systemA).patch(`/v1/companies/company/${id}`, { note: 'from A' });
    expect(updated.statusCode).toBe(200);

    const atB = await eventually(() => about(receiverB, id).length === 2 && about(receiverB, id));
    expect(atB.map((m) => [m.entity, m.operation, m.version, m.code])).toEqual([
      ['company', 'created', 1, 'SHARED'],
      ['company', 'updated', 2, 'SHARED'],
    ]);
    expect(atB[1]?.record).toEqual(updated.json());
    expect(updated.json().default_invoice_customer).toMatchObject({ name: 'Group HQ' });
    expect(atB[1]?.origin_client_id).toBe(systemA.clientId);

    // B writes back; that reaches A and not B.
    const back = await as(systemB).patch(`/v1/companies/company/${id}`, { vat_number: 'BE0999999999' });
    expect(back.statusCode).toBe(200);
    const atA = await eventually(() => about(receiverA, id).length === 1 && about(receiverA, id));
    expect(atA[0]).toMatchObject({ operation: 'updated', version: 3, record: back.json() });
    // Everything B itself wrote never came back to it, and nothing of A's reached A.
    expect(about(receiverB, id).map((m) => m.version)).toEqual([1, 2]);
    expect(messages(receiverA).filter((m) => m.origin_client_id === systemA.clientId)).toEqual([]);
  });

  it('sends resources, contacts and unavailability too, and admin changes to both', async () => {
    const resource = await as(systemB).post('/v1/resources/resource', { name: 'Driver Dee', external_id: 'B-DRV-1', driver: { first_name: 'Dee' } });
    expect(resource.statusCode).toBe(200);
    const resourceId = resource.json().row_id as string;
    const period = await as(admin).post(`/v1/resources/resource/${resourceId}/unavailability`, {
      start_time: '2027-05-01T00:00:00Z',
      reason: 'DRIVER_HOLIDAY',
    });
    const periodId = period.json().id as string;
    expect((await as(systemA).delete(`/v1/resources/resource/${resourceId}/unavailability/${periodId}`)).statusCode).toBe(204);
    const company = await as(admin).post('/v1/companies/company', { name: 'Contacted', currency: 'EUR', contacts: [{ name: 'Cleo' }] });

    const [resourceAtA] = await eventually(() => about(receiverA, resourceId).length === 1 && about(receiverA, resourceId));
    expect(resourceAtA).toMatchObject({ entity: 'resource', operation: 'created', external_id: 'B-DRV-1', record: resource.json() });
    expect(about(receiverB, resourceId)).toEqual([]);

    // The admin's period reaches both; A's deletion only B, as a deletion with the last state.
    await eventually(() => about(receiverB, periodId).length === 2);
    expect(about(receiverB, periodId).map((m) => m.operation)).toEqual(['created', 'deleted']);
    await eventually(() => about(receiverA, periodId).length === 1);
    expect(about(receiverA, periodId)[0]).toMatchObject({ entity: 'unavailability', operation: 'created', record: period.json() });

    const contactId = company.json().contacts[0].id as string;
    for (const receiver of [receiverA, receiverB]) {
      const [contact] = await eventually(() => about(receiver, contactId).length === 1 && about(receiver, contactId));
      expect(contact).toMatchObject({ entity: 'contact', operation: 'created', record: { id: contactId, name: 'Cleo', company_id: company.json().id } });
    }
  });

  it('sends a system its own changes when the endpoint turns echo suppression off', async () => {
    const echo = await new Receiver().start();
    try {
      await endpoint(echo.url, [systemA.clientId], { suppress_echo: false });
      const created = await as(systemA).post('/v1/companies/company', { name: 'Echoed', currency: 'EUR' });
      const id = created.json().id as string;
      const [message] = await eventually(() => about(echo, id).length === 1 && about(echo, id));
      expect(message).toMatchObject({ origin_client_id: systemA.clientId, record: created.json() });
    } finally {
      await echo.close();
    }
  });

  it("keeps other tenants' changes away", async () => {
    const other = await newTenant(ctx, 'Unrelated carrier');
    const created = await as(other).post('/v1/companies/company', { name: 'Not yours', currency: 'EUR' });
    const marker = await as(admin).post('/v1/companies/company', { name: 'Marker', currency: 'EUR' });
    await eventually(() => about(receiverA, marker.json().id).length === 1);
    expect(about(receiverA, created.json().id)).toEqual([]);
    expect(about(receiverB, created.json().id)).toEqual([]);
  });
});
