import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basic, createTestApp, newClient, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';

/** Threat class: getting more requests (or guesses) through than the limits allow. */
const LIMIT = 6;
let ctx: TestContext;
let admin: Client;
let hook: Client;

beforeAll(async () => {
  ctx = await createTestApp({ rateLimitPerMinute: LIMIT, tokenRateLimitPerMinute: LIMIT });
  // Setting up fetches two tokens from 127.0.0.1: the attacks below come from other addresses.
  admin = await newTenant(ctx);
  hook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
});
afterAll(() => ctx.close());

/** A request from `address`, as a caller on another machine would send it. */
const call = (address: string, authorization: string | undefined, url = '/me') =>
  ctx.app.inject({ method: 'GET', url, remoteAddress: address, headers: authorization === undefined ? {} : { authorization } });

function expectTooMany(res: Awaited<ReturnType<typeof call>>) {
  expect(res.statusCode, res.body).toBe(429);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expectContract('ValidationErrorResponse', res.json());
}

describe('per-client rate limit', () => {
  it('respelling "Bearer" (case, extra spaces) gets no fresh budget: the limit keys on the verified client', async () => {
    const token = admin.auth.slice('Bearer '.length);
    const spellings = [`Bearer ${token}`, `bearer ${token}`, `BEARER ${token}`, `Bearer  ${token}`, `bEaReR ${token} `];
    const statuses: number[] = [];
    // Each spelling from its own address too: neither the text nor the address buys a new budget.
    for (let i = 0; i < LIMIT + spellings.length; i++) {
      statuses.push((await call(`198.51.100.${i + 1}`, spellings[i % spellings.length])).statusCode);
    }
    expect(statuses.slice(0, LIMIT - 1).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(LIMIT)).toEqual(spellings.map(() => 429));
  });
});

describe('failed authentication per address', () => {
  it('a flood of forged tokens is cut off with 429 and Retry-After', async () => {
    const address = '203.0.113.10';
    for (let i = 0; i < LIMIT; i++) expect((await call(address, `Bearer forged.token.${i}`)).statusCode).toBe(401);
    expectTooMany(await call(address, 'Bearer forged.token.again'));
    // Requests without any credentials count too.
    const bare = '203.0.113.11';
    for (let i = 0; i < LIMIT; i++) expect((await call(bare, undefined)).statusCode).toBe(401);
    expectTooMany(await call(bare, undefined));
    // Another address is not affected.
    expect((await call('203.0.113.12', `Bearer forged`)).statusCode).toBe(401);
  });

  it('guessing Basic webhook secrets locks the address out, and the right secret gets 429 too until the minute is over', async () => {
    const address = '203.0.113.20';
    const url = '/v1/webhook/partial-order-update';
    for (let i = 0; i < LIMIT; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url,
        remoteAddress: address,
        headers: { authorization: basic(hook.clientId, `guess-${i}`) },
        payload: { updates: [] },
      });
      expect(res.statusCode).toBe(401);
    }
    const right = await ctx.app.inject({ method: 'POST', url, remoteAddress: address, headers: { authorization: hook.auth }, payload: { updates: [] } });
    expectTooMany(right);
  });

  it('the token endpoint refuses the right secret from an address that used up its budget guessing', async () => {
    const address = '203.0.113.30';
    const token = (secret: string) =>
      ctx.app.inject({ method: 'POST', url: '/v1/auth/token', remoteAddress: address, headers: { authorization: basic(admin.clientId, secret) } });
    for (let i = 0; i < LIMIT; i++) expect((await token(`guess-${i}`)).statusCode).toBe(401);
    expectTooMany(await token(admin.clientSecret));
  });
});
