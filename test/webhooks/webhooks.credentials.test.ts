import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createWebhooks } from '../../src/modules/webhooks/webhooks.module.js';
import { CredentialBox } from '../../src/platform/crypto/credential-box.js';
import { newCompany, newTenant, type Client } from '../support/app.js';
import { eventually } from '../support/webhook-receiver.js';
import { webhookWorld } from '../support/webhook-world.js';

/** Receivers' credentials sealed at rest with WAYBILL_CREDENTIALS_KEY, and still presented correctly. */
const w = webhookWorld({ credentialsKey: randomBytes(32), webhookRetrySchedule: [0, 0, 0] });

async function createEndpoint(admin: Client) {
  const res = await w.ctx.app.inject({
    method: 'POST',
    url: '/v1/admin/webhook-endpoints',
    headers: { authorization: admin.auth },
    payload: {
      url: w.receiver.url,
      families: ['events'],
      event_types: ['company.created'],
      basic_auth: { username: 'waybill', password: 'receiver-password-1' },
      headers: { 'x-api-key': 'key-for-the-receiver' },
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string; header_names: string[] };
}

async function storedRow(id: string) {
  const result = await sql<{ secret: string; previous_secret: string | null; basic_password: string; headers: Record<string, string> }>`
    select secret, previous_secret, basic_password, headers from webhook_endpoints where id = ${id}`.execute(w.ctx.services.db);
  return result.rows[0]!;
}

const receivedFor = (companyName: string) => w.receiver.received.filter((m) => m.body.includes(companyName));

describe('credentials at rest', () => {
  it('stores the secret, the Basic password and header values encrypted, and sends them in the clear', async () => {
    const admin = await newTenant(w.ctx);
    const ep = await createEndpoint(admin);
    expect(ep.header_names).toEqual(['x-api-key']);

    const row = await storedRow(ep.id);
    expect(row.secret).toMatch(/^sealed:v1:/);
    expect(row.basic_password).toMatch(/^sealed:v1:/);
    expect(row.headers['x-api-key']).toMatch(/^sealed:v1:/);
    const everything = JSON.stringify(row);
    for (const plain of [ep.secret, 'receiver-password-1', 'key-for-the-receiver']) expect(everything).not.toContain(plain);

    await newCompany(w.ctx, admin, { name: 'Sealed Ltd' });
    const [message] = await eventually(() => receivedFor('Sealed Ltd').length === 1 && receivedFor('Sealed Ltd'));
    expect(message!.headers.authorization).toBe(`Basic ${Buffer.from('waybill:receiver-password-1').toString('base64')}`);
    expect(message!.headers['x-api-key']).toBe('key-for-the-receiver');
    new Webhook(ep.secret).verify(message!.body, message!.headers as Record<string, string>);

    const revealed = await w.ctx.app.inject({ url: `/v1/admin/webhook-endpoints/${ep.id}/secret`, headers: { authorization: admin.auth } });
    expect(revealed.statusCode, revealed.body).toBe(200);
    expect(revealed.json().secret).toBe(ep.secret);
  });

  it('signs with both sealed secrets during a rotation overlap', async () => {
    const admin = await newTenant(w.ctx);
    const ep = await createEndpoint(admin);
    const rotated = await w.ctx.app.inject({
      method: 'POST',
      url: `/v1/admin/webhook-endpoints/${ep.id}/rotate-secret`,
      headers: { authorization: admin.auth },
      payload: { overlap_seconds: 3600 },
    });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const row = await storedRow(ep.id);
    expect(row.secret).toMatch(/^sealed:v1:/);
    expect(row.previous_secret).toMatch(/^sealed:v1:/);

    await newCompany(w.ctx, admin, { name: 'Rotated Ltd' });
    const [message] = await eventually(() => receivedFor('Rotated Ltd').length === 1 && receivedFor('Rotated Ltd'));
    new Webhook(ep.secret).verify(message!.body, message!.headers as Record<string, string>);
    new Webhook(rotated.json().secret as string).verify(message!.body, message!.headers as Record<string, string>);
  });

  it('still reads values stored before the key was set', async () => {
    const admin = await newTenant(w.ctx);
    const ep = await createEndpoint(admin);
    const plainSecret = `whsec_${randomBytes(32).toString('base64')}`;
    await sql`update webhook_endpoints set secret = ${plainSecret}, basic_password = 'old-plain-password' where id = ${ep.id}`.execute(w.ctx.services.db);

    await newCompany(w.ctx, admin, { name: 'Legacy Ltd' });
    const [message] = await eventually(() => receivedFor('Legacy Ltd').length === 1 && receivedFor('Legacy Ltd'));
    new Webhook(plainSecret).verify(message!.body, message!.headers as Record<string, string>);
    expect(message!.headers.authorization).toBe(`Basic ${Buffer.from('waybill:old-plain-password').toString('base64')}`);
  });

  it('records a failed attempt, sends nothing, and answers 409 for a secret sealed under another key', async () => {
    const admin = await newTenant(w.ctx);
    const ep = await createEndpoint(admin);
    const foreign = new CredentialBox(randomBytes(32)).seal(`whsec_${randomBytes(32).toString('base64')}`);
    await sql`update webhook_endpoints set secret = ${foreign} where id = ${ep.id}`.execute(w.ctx.services.db);

    await newCompany(w.ctx, admin, { name: 'Foreign Key Ltd' });
    const deliveries = async () =>
      (await w.ctx.app.inject({ url: `/v1/admin/webhook-endpoints/${ep.id}/deliveries`, headers: { authorization: admin.auth } })).json().items as Array<{
        id: string;
        status: string;
        last_error: string | null;
      }>;
    const [delivery] = await eventually(async () => {
      const items = await deliveries();
      return items[0]?.status === 'FAILED' && items;
    });
    expect(delivery!.last_error).toMatch(/cannot be decrypted/);
    expect(receivedFor('Foreign Key Ltd')).toHaveLength(0);

    const revealed = await w.ctx.app.inject({ url: `/v1/admin/webhook-endpoints/${ep.id}/secret`, headers: { authorization: admin.auth } });
    expect(revealed.statusCode).toBe(409);
    expect(revealed.json().message).toMatch(/Rotate it/);
  });

  it('refuses a key that is not 32 bytes of base64', () => {
    expect(() => loadConfig({ WAYBILL_CREDENTIALS_KEY: Buffer.alloc(16).toString('base64') })).toThrow(ConfigError);
    expect(() => loadConfig({ WAYBILL_CREDENTIALS_KEY_PREVIOUS: randomBytes(32).toString('base64') })).toThrow(/needs WAYBILL_CREDENTIALS_KEY/);
    expect(loadConfig({ WAYBILL_CREDENTIALS_KEY: randomBytes(32).toString('base64') }).credentialsKey).toHaveLength(32);
    expect(loadConfig({}).credentialsKey).toBeUndefined();
  });

  it('seals plain values and those under the previous key again under a new key, once', async () => {
    const admin = await newTenant(w.ctx);
    const sealedUnderOld = await createEndpoint(admin);
    const plain = await createEndpoint(admin);
    const plainSecret = `whsec_${randomBytes(32).toString('base64')}`;
    await sql`update webhook_endpoints set secret = ${plainSecret}, basic_password = 'plain-password', headers = ${JSON.stringify({ 'x-api-key': 'plain-key' })}::jsonb
      where id = ${plain.id}`.execute(w.ctx.services.db);

    // The same database, served after a key change: the new key, and the old one as the previous.
    const newKey = randomBytes(32);
    const { config, database, bus, companies } = w.ctx.services;
    const afterChange = createWebhooks({
      config: { ...config, credentialsKey: newKey, credentialsKeyPrevious: config.credentialsKey },
      database,
      bus,
      companies,
    });
    const first = await afterChange.resealCredentials();
    expect(first.endpoints).toBeGreaterThanOrEqual(2); // every readable endpoint this file created so far
    // The endpoint given a secret under a foreign key (an earlier test) cannot be opened: listed, left alone.
    expect(first.unreadable).toHaveLength(1);
    expect(await afterChange.resealCredentials()).toEqual({ endpoints: 0, unreadable: first.unreadable });

    const onlyNew = new CredentialBox(newKey);
    const stored = [await storedRow(sealedUnderOld.id), await storedRow(plain.id)];
    expect(stored.map((row) => onlyNew.open(row.secret))).toEqual([sealedUnderOld.secret, plainSecret]);
    expect(stored.map((row) => onlyNew.open(row.basic_password))).toEqual(['receiver-password-1', 'plain-password']);
    expect(stored.map((row) => onlyNew.open(row.headers['x-api-key'] as string))).toEqual(['key-for-the-receiver', 'plain-key']);
  });
});
