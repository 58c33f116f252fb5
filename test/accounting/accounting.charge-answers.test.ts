import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { asPerson, newPerson, type Person } from '../support/people.js';
import { as } from '../support/requests.js';
import { newOrder, ok, seedBillingEntity } from './accounting.fixtures.js';

/** A customer answers a charge with a reason (the portal's reject-with-a-reason, issue 23); the carrier reads it. */
let ctx: TestContext;
let admin: Client;
let beta: Client;
let buyer: Person;
let orderId: string;

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Answers carrier');
  await seedBillingEntity(ctx, admin);
  const acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME', vat_number: 'BE0403019261' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta', code: 'BETA' });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  buyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: acmeId });
  orderId = await newOrder(ctx, admin, 'ANS-1', 'ACME');
});
afterAll(() => ctx.close());

const url = () => `/v1/orders/order/${orderId}/charges`;

describe('answering a charge with a reason', () => {
  it('records the reason with a rejection, shows it on the charge and in the event, and clears it when the charge asks again', async () => {
    const charge = await ok(ctx, admin.auth, 'POST', url(), { code: 'WAIT', unit_price: '45', tax_rate: { code: 'BE21' }, requires_approval: true });
    expect(charge.approval_reason).toBeNull();

    const rejected = await asPerson(buyer).post(`${url()}/approval`, {
      charges: [{ id: charge.id, approval_status: 'REJECTED', reason: '  The truck was 20 minutes late, not us. ' }],
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expectContract('OrderChargesOutput', rejected.json());
    const seen = (await ok(ctx, admin.auth, 'GET', url())).charges[0];
    expect(seen).toMatchObject({ approval_status: 'REJECTED', approval_reason: 'The truck was 20 minutes late, not us.' });

    const events = await ok(ctx, admin.auth, 'GET', `/v1/events?entity_type=charge&entity_id=${charge.id}`);
    const answer = events.items.find((e: { type: string }) => e.type === 'charge.rejected');
    expect(answer.payload).toMatchObject({ answered_by: 'CUSTOMER', reason: 'The truck was 20 minutes late, not us.' });

    // A new price asks again: the old answer's reason goes with it.
    const changed = await ok(ctx, admin.auth, 'PATCH', `${url()}/${charge.id}`, { unit_price: '30' });
    expect(changed).toMatchObject({ approval_status: 'REQUESTED', approval_reason: null });
    const approved = await asPerson(buyer).post(`${url()}/approval`, { charges: [{ id: charge.id, approval_status: 'APPROVED' }] });
    expect(approved.json().charges[0]).toMatchObject({ approval_status: 'APPROVED', approval_reason: null });
  });

  it('refuses a reason longer than 500 characters, and another customer’s answer', async () => {
    const charge = await ok(ctx, admin.auth, 'POST', url(), { code: 'TOLL', unit_price: '12', tax_rate: { code: 'BE21' }, requires_approval: true });
    const long = await asPerson(buyer).post(`${url()}/approval`, { charges: [{ id: charge.id, approval_status: 'REJECTED', reason: 'x'.repeat(501) }] });
    expect(expectError(long, 400).errors[0]?.field).toBe('reason');
    expectError(await as(beta).post(`${url()}/approval`, { charges: [{ id: charge.id, approval_status: 'REJECTED', reason: 'not mine' }] }), 404);
  });
});
