import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { CredentialBox } from '../../src/platform/crypto/credential-box.js';
import { resealServerSecrets, ServerSecretUnreadableError } from '../../src/platform/db/server-secrets.js';
import { EventBus } from '../../src/platform/events/bus.js';
import { createServices } from '../../src/services.js';
import { basic, createTestApp, newTenant, type Client, type TestContext } from '../support/app.js';

/** Threat class: secrets read back from places they should not be (replays, a database copy, logs). */
let ctx: TestContext;
let admin: Client;
const key = randomBytes(32);

beforeAll(async () => {
  ctx = await createTestApp({ credentialsKey: key });
  admin = await newTenant(ctx);
});
afterAll(() => ctx.close());

const postWithKey = (url: string, idempotencyKey: string, payload: object) =>
  ctx.app.inject({ method: 'POST', url, headers: { authorization: admin.auth, 'idempotency-key': idempotencyKey }, payload });

async function storedAnswers(): Promise<string> {
  const rows = await ctx.services.db.selectFrom('idempotency_keys').select('response_body').execute();
  return rows.map((r) => r.response_body ?? '').join('\n');
}

describe('idempotent replays', () => {
  it('a replayed client creation does not reveal the client_secret again, and no row stores it', async () => {
    const first = await postWithKey('/v1/admin/api-clients', 'client-1', { name: 'ERP', role: 'TENANT' });
    expect(first.statusCode, first.body).toBe(201);
    const secret = first.json().client_secret as string;
    expect(secret).toMatch(/^wbs_/);
    expect(first.headers['secret-shown-once']).toBeUndefined();
    const replay = await postWithKey('/v1/admin/api-clients', 'client-1', { name: 'ERP', role: 'TENANT' });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.headers['secret-shown-once']).toBe('client_secret');
    expect(replay.json()).toEqual(Object.fromEntries(Object.entries(first.json() as object).filter(([k]) => k !== 'client_secret')));
    expect(replay.body).not.toContain(secret);
    expect(await storedAnswers()).not.toContain(secret);
  });

  it('replayed webhook endpoint creation and secret rotation do not reveal the whsec_ secret again', async () => {
    const created = await postWithKey('/v1/admin/webhook-endpoints', 'endpoint-1', { url: 'http://127.0.0.1:9/hook', families: ['events'] });
    expect(created.statusCode, created.body).toBe(201);
    const { id, secret } = created.json() as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_/);
    const rotated = await postWithKey(`/v1/admin/webhook-endpoints/${id}/rotate-secret`, 'rotate-1', {});
    expect(rotated.statusCode, rotated.body).toBe(200);
    const newSecret = rotated.json().secret as string;
    expect(newSecret).toMatch(/^whsec_/);
    for (const [url, idemKey, body] of [
      ['/v1/admin/webhook-endpoints', 'endpoint-1', { url: 'http://127.0.0.1:9/hook', families: ['events'] }],
      [`/v1/admin/webhook-endpoints/${id}/rotate-secret`, 'rotate-1', {}],
    ] as const) {
      const replay = await postWithKey(url, idemKey, body);
      expect(replay.headers['secret-shown-once']).toBe('secret');
      expect(replay.json()).not.toHaveProperty('secret');
      expect(replay.json()).toMatchObject({ id });
    }
    const stored = await storedAnswers();
    expect(stored).not.toContain(secret);
    expect(stored).not.toContain(newSecret);
  });
});

describe('server secrets at rest', () => {
  async function appOver(config: Partial<TestContext['services']['config']>) {
    const services = await createServices({ config: { ...ctx.services.config, ...config }, database: ctx.database, bus: new EventBus() });
    const app = await buildApp(services);
    await app.ready();
    return app;
  }

  const rows = () => ctx.services.db.selectFrom('server_secrets').select(['name', 'value']).orderBy('name').execute();

  it('a copy of the database alone cannot mint tokens: the signing key, pepper and CSRF key are sealed', async () => {
    const stored = await rows();
    expect(stored.map((r) => r.name)).toEqual(['client_secret_pepper', 'jwt_signing_key', 'session_csrf_key']);
    for (const row of stored) expect(row.value).toMatch(/^sealed:v1:/);
    // What a database copy offers as a signing key does not make a token the server accepts.
    const signing = stored.find((r) => r.name === 'jwt_signing_key')?.value as string;
    for (const guess of [Buffer.from(signing), Buffer.from(signing.slice('sealed:v1:'.length), 'base64')]) {
      const forged = await new SignJWT({ tid: admin.tenantId, role: 'TENANT' })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer('waybill')
        .setSubject(admin.apiClientId)
        .setExpirationTime('1h')
        .sign(guess);
      expect((await ctx.app.inject({ url: '/me', headers: { authorization: `Bearer ${forged}` } })).statusCode).toBe(401);
    }
  });

  it('server secrets stored in the clear before a key was set are sealed at start, and tokens stay valid', async () => {
    const box = new CredentialBox(key);
    const plain = await rows();
    await ctx.services.db.transaction().execute(async (trx) => {
      for (const row of plain)
        await trx
          .updateTable('server_secrets')
          .set({ value: box.open(row.value) })
          .where('name', '=', row.name)
          .execute();
    });
    const restarted = await appOver({});
    try {
      for (const row of await rows()) expect(row.value).toMatch(/^sealed:v1:/);
      expect((await restarted.inject({ url: '/me', headers: { authorization: admin.auth } })).statusCode).toBe(200);
    } finally {
      await restarted.close();
    }
  });

  it('a key change through `credentials seal` covers server secrets; the old key alone no longer opens them', async () => {
    const newKey = randomBytes(32);
    expect(await resealServerSecrets(ctx.services.db, new CredentialBox(newKey, key))).toBe(3);
    const afterChange = await appOver({ credentialsKey: newKey, credentialsKeyPrevious: undefined });
    try {
      expect((await afterChange.inject({ url: '/me', headers: { authorization: admin.auth } })).statusCode).toBe(200);
    } finally {
      await afterChange.close();
    }
    await expect(appOver({ credentialsKey: key })).rejects.toBeInstanceOf(ServerSecretUnreadableError);
    await expect(appOver({ credentialsKey: undefined })).rejects.toBeInstanceOf(ServerSecretUnreadableError);
    // Put the original key back for the tests that follow.
    expect(await resealServerSecrets(ctx.services.db, new CredentialBox(key, newKey))).toBe(3);
  });
});

describe('logs', () => {
  it('an input the database rejects is logged by constraint or column, never with the statement parameters', async () => {
    const lines: string[] = [];
    const logged = await buildApp(ctx.services, { logger: { level: 'warn', stream: { write: (line: string) => lines.push(line) } } });
    await logged.ready();
    try {
      // A NUL byte in Basic credentials reaches the client lookup, which both engines refuse.
      const res = await logged.inject({ method: 'POST', url: '/v1/auth/token', headers: { authorization: basic('leak\u0000marker', 'hunter2-password') } });
      expect(res.statusCode, res.body).toBe(400);
    } finally {
      await logged.close();
    }
    const warnings = lines.filter((line) => line.includes('database rejected input'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('"code":"22021"');
    expect(warnings[0]).not.toContain('marker');
  });
});
