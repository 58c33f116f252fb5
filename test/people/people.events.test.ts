import { beforeAll, describe, expect, it } from 'vitest';
import { newTenant, useApp, type Client } from '../support/app.js';
import { asPerson, newPerson, type Person } from '../support/people.js';

/** Who did what: every event appended by a request names its API client or person. */
const ctx = useApp();
let admin: Client;
let person: Person;

beforeAll(async () => {
  admin = await newTenant(ctx, 'Actor carrier');
  person = await newPerson(ctx, admin, { email: 'an@actor.example', name: 'An Peeters', role: 'TENANT' });
});

interface WireEvent {
  type: string;
  entity_id: string;
  actor: { type: string; id: string; name: string } | null;
}

async function events(): Promise<WireEvent[]> {
  const res = await ctx.app.inject({ url: '/v1/events?limit=1000', headers: { authorization: admin.auth } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

describe('event actors', () => {
  it('an event appended by a person names that person', async () => {
    const res = await asPerson(person).post('/v1/companies/company', { name: 'Made by An', code: 'BYAN', currency: 'EUR', is_customer: true });
    expect(res.statusCode, res.body).toBe(200);
    const made = (await events()).find((e) => e.entity_id === res.json().id);
    expect(made?.actor).toEqual({ type: 'user', id: person.userId, name: 'An Peeters' });
  });

  it('an event appended by an API client names the client; the invite names the admin who sent it', async () => {
    const res = await ctx.app.inject({
      method: 'POST',
      url: '/v1/companies/company',
      headers: { authorization: admin.auth },
      payload: { name: 'Made by a client', code: 'BYCLIENT', currency: 'EUR', is_customer: true },
    });
    const all = await events();
    expect(all.find((e) => e.entity_id === res.json().id)?.actor).toEqual({ type: 'api_client', id: admin.apiClientId, name: 'TENANT API' });
    expect(all.find((e) => e.type === 'user.invited' && e.entity_id === person.userId)?.actor).toMatchObject({ type: 'api_client', id: admin.apiClientId });
  });

  it('setting the password with an invite link is recorded as done by that person', async () => {
    const activated = (await events()).find((e) => e.type === 'user.activated' && e.entity_id === person.userId);
    expect(activated?.actor).toEqual({ type: 'user', id: person.userId, name: 'An Peeters' });
  });

  it("Waybill's own work names nobody", async () => {
    const created = (await events()).find((e) => e.type === 'tenant.created');
    expect(created?.actor).toBeNull();
  });
});
