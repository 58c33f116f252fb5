import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { basic, createTestApp, newClient, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { multipart } from '../support/multipart.js';
import { seedPurchase } from '../accounting/accounting.purchase.fixtures.js';

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

describe('concurrent large uploads per client', () => {
  // Its own app: the default cap of uploads in flight, and no per-minute limit in the way.
  let up: TestContext;
  let base: string;
  let owner: Client;
  let subco: Client;
  let otherSubco: Client;
  beforeAll(async () => {
    up = await createTestApp();
    expect(up.services.config.uploadsPerClient).toBe(2);
    owner = await newTenant(up);
    const seeded = await seedPurchase(up, owner, 'UPCAP');
    subco = seeded.subco;
    otherSubco = await newClient(up, owner.tenantId, 'SUBCONTRACTOR', { companyId: seeded.subcoId, kind: 'WEBHOOK' });
    base = await up.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => up.close());

  type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };

  /**
   * An upload over a real connection whose body is held open after `head`: the server has its
   * headers (and so counts it) but not its end, as with a large file on a slow link.
   */
  function openUpload(path: string, authorization: string, body: { payload: Buffer; headers: Record<string, string> }, held = 1_000) {
    const head = body.payload.subarray(0, body.payload.length - held);
    const request = http.request(new URL(path, base), {
      method: 'POST',
      headers: { ...body.headers, authorization, 'content-length': String(body.payload.length) },
    });
    const answer = new Promise<Answer>((resolve, reject) => {
      request.once('error', reject);
      request.once('response', (res) => {
        let text = '';
        res.on('data', (chunk) => (text += String(chunk)));
        res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
    });
    request.write(head);
    const abort = () => {
      answer.catch(() => {});
      request.destroy();
    };
    return { answer, finish: () => (request.end(body.payload.subarray(head.length)), answer), abort };
  }

  async function inFlight(): Promise<number> {
    const text = await (await fetch(`${base}/metrics`)).text();
    return Number(/^waybill_uploads_in_flight (\d+)$/m.exec(text)?.[1]);
  }
  /** Waits until the server counts `n` uploads in flight: their headers have been authenticated. */
  async function untilInFlight(n: number) {
    while ((await inFlight()) !== n) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  function expectCapped(answer: Answer) {
    expect(answer.status, answer.body).toBe(429);
    expect(Number(answer.headers['retry-after'])).toBeGreaterThan(0);
    expect(answer.headers.connection).toBe('close');
    const body = JSON.parse(answer.body) as { message: string };
    expectContract('ValidationErrorResponse', body);
    expect(body.message).toMatch(/2 uploads at a time/);
  }

  /** A multipart e-invoice: the JSON document, then a 256 KiB PDF sent with it. */
  const eInvoice = (name: string) =>
    multipart([
      {
        name: 'document',
        contentType: 'application/json',
        content: JSON.stringify({
          invoice_type: 'PURCHASE',
          name,
          date: '2026-12-01',
          currency: 'EUR',
          supplier: { name: 'Haulers UPCAP BV' },
          total_excl_tax: '100.00',
          total_tax: '21.00',
          total_incl_tax: '121.00',
          line_items: [{ description: 'Transport', amount: '100.00', currency: 'EUR', tax_rate: { percentage: 21, tax_type: 'VAT' } }],
        }),
      },
      { name: 'pdf', filename: 'invoice.pdf', contentType: 'application/pdf', content: Buffer.alloc(256 * 1024, 0x25) },
    ]);
  const document = () => multipart([{ name: 'file', filename: 'pod.pdf', contentType: 'application/pdf', content: Buffer.alloc(256 * 1024, 0x25) }]);

  it('a third concurrent multipart e-invoice from one client is a 429 with Retry-After, however its credentials are spelled; another client is not held up', async () => {
    const url = '/v1/webhook/e-invoicing';
    const held = [openUpload(url, subco.auth, eInvoice('CAP-1')), openUpload(url, subco.auth, eInvoice('CAP-2'))];
    onTestFinished(() => held.forEach((upload) => upload.abort()));
    await untilInFlight(2);
    for (const spelling of [subco.auth, subco.auth.replace('Basic', 'basic'), basic(subco.clientId, subco.clientSecret).replace('Basic ', 'BASIC  ')]) {
      const third = openUpload(url, spelling, eInvoice('CAP-3'));
      expectCapped(await third.answer);
      third.abort();
    }
    // Another client of the same company has its own budget.
    const other = await openUpload(url, otherSubco.auth, eInvoice('CAP-OTHER'), 0).answer;
    expect(other.status, other.body).toBe(200);
    // The held uploads were never cut short: finished, they are received as sent.
    for (const upload of held) {
      const done = await upload.finish();
      expect(done.status, done.body).toBe(200);
    }
    await untilInFlight(0);
    const after = await openUpload(url, subco.auth, eInvoice('CAP-3'), 0).answer;
    expect(after.status, after.body).toBe(200);
  });

  it('document uploads share the cap; an upload abandoned mid-body gives its place back', async () => {
    const url = '/v1/documents/document/upload_content';
    const first = openUpload(url, owner.auth, document());
    const abandoned = openUpload(url, owner.auth, document());
    onTestFinished(() => [first, abandoned].forEach((upload) => upload.abort()));
    await untilInFlight(2);
    const third = openUpload(url, owner.auth, document());
    expectCapped(await third.answer);
    third.abort();
    abandoned.abort();
    await untilInFlight(1);
    const next = await openUpload(url, owner.auth, document(), 0).answer;
    expect(next.status, next.body).toBe(201);
    expect((await first.finish()).status).toBe(201);
  });
});
