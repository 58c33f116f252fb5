import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { newTenant, useApp } from '../support/app.js';

/**
 * How /docs presents Waybill: its own name and mark in the top bar, links to the guides (served by
 * the server itself), groups small enough to read, and for every error status an example with
 * the message Waybill really answers with that status.
 */

interface Media {
  example?: { message?: string; errors?: unknown[] };
}
interface Operation {
  tags?: string[];
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  info: { description: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const ctx = useApp();
let doc: Document;
let operations: { name: string; op: Operation }[];

beforeAll(async () => {
  doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
  operations = Object.entries(doc.paths).flatMap(([p, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${p}`, op })),
  );
});

describe('the /docs reference page', () => {
  it("shows Waybill's mark in the top bar, not the framework's logo", async () => {
    const initializer = await ctx.app.inject({ method: 'GET', url: '/docs/static/swagger-initializer.js' });
    expect(initializer.statusCode).toBe(200);
    const frameworkLogo = readFileSync(path.join(path.dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui')), 'static/logo.svg'));
    expect(initializer.body).not.toContain(frameworkLogo.toString('base64'));
    const logo = /data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)/.exec(initializer.body)?.[1];
    expect(Buffer.from(logo ?? '', 'base64').toString()).toContain('>Waybill</text>');
  });

  it('links to the four guides, each served as written in docs/, with the files they use', async () => {
    const links = [...doc.info.description.matchAll(/\]\((\/docs\/guides\/[\w.-]+)\)/g)].map((m) => m[1] ?? '');
    for (const guide of ['guide-tenant.md', 'guide-customer.md', 'guide-subcontractor.md', 'guide-accounting.md']) {
      expect(links).toContain(`/docs/guides/${guide}`);
    }
    for (const link of [...links, '/docs/guides/order.json', '/docs/guides/trip-import.json', '/docs/guides/invoice.xml']) {
      const res = await ctx.app.inject({ method: 'GET', url: link });
      expect(res.statusCode, link).toBe(200);
      expect(res.body).toBe(readFileSync(new URL(`../../docs/${path.basename(link)}`, import.meta.url), 'utf8'));
    }
  });

  it('serves every file a guide links to', async () => {
    for (const guide of ['guide-tenant.md', 'guide-customer.md', 'guide-subcontractor.md', 'guide-accounting.md', 'conventions.md']) {
      const text = readFileSync(new URL(`../../docs/${guide}`, import.meta.url), 'utf8');
      for (const [, file] of text.matchAll(/\]\(((?:samples\/)?[\w.-]+\.\w+)\)/g)) {
        expect((await ctx.app.inject({ method: 'GET', url: `/docs/guides/${file}` })).statusCode, `${guide} → ${file}`).toBe(200);
      }
    }
  });

  it('serves only the guides and their files from docs/', async () => {
    for (const file of ['security.md', 'benchmarks.md', '..%2Fpackage.json', 'nope.md']) {
      const res = await ctx.app.inject({ method: 'GET', url: `/docs/guides/${file}` });
      expect(res.statusCode, file).toBe(404);
      expect(res.json().message).toBe('Guide not found');
    }
  });

  it('groups operations under declared tags, none holding more than 30', () => {
    const declared = new Set((doc.tags ?? []).map((t) => t.name));
    const counts = new Map<string, number>();
    for (const { name, op } of operations) {
      for (const tag of op.tags ?? []) {
        expect(declared.has(tag), `${name}: tag ${tag} is not declared`).toBe(true);
        counts.set(tag, (counts.get(tag) ?? 0) + 1);
      }
    }
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(30);
    expect([...counts.keys()]).toEqual(
      expect.arrayContaining(['Sales invoicing', 'Purchase invoicing', 'E-invoicing', 'Accounting reference data', 'Accounting sync']),
    );
  });

  it("gives every error status an example with that status's own message", () => {
    const messages = new Map<string, Set<string>>();
    for (const { name, op } of operations) {
      for (const [status, response] of Object.entries(op.responses)) {
        if (!/^[45]/.test(status)) continue;
        const example = response.content?.['application/json']?.example;
        expect(example?.message, `${name} ${status}`).toBeTruthy();
        expect(example?.errors?.length, `${name} ${status}`).toBeGreaterThan(0);
        messages.set(status, (messages.get(status) ?? new Set()).add(example?.message ?? ''));
      }
    }
    // A status's messages are its own: no two statuses share one.
    const seen = new Map<string, string>();
    for (const [status, set] of messages) {
      for (const message of set) {
        expect(seen.get(message), `"${message}" is shown for ${status} and ${seen.get(message)}`).toBeUndefined();
        seen.set(message, status);
      }
    }
  });

  it('shows the real answer for a status: an unknown order is "Order not found"', async () => {
    const example = doc.paths['/v1/orders/order/{order_id}']?.get?.responses['404']?.content?.['application/json']?.example;
    const admin = await newTenant(ctx);
    const res = await ctx.app.inject({ method: 'GET', url: '/v1/orders/order/00000000-0000-4000-8000-000000000000', headers: { authorization: admin.auth } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(example);
  });

  it('serves the page built on first use like any route: HEAD without a body, 304 for a known copy, the API’s 404 elsewhere', async () => {
    const css = await ctx.app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css' });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const head = await ctx.app.inject({ method: 'HEAD', url: '/docs/static/swagger-ui.css' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-length']).toBe(String(css.rawPayload.length));
    expect(head.rawPayload.length).toBe(0);
    const again = await ctx.app.inject({ method: 'GET', url: '/docs/static/swagger-ui.css', headers: { 'if-none-match': String(css.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const json = await ctx.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.json()).toEqual(doc);
    const withBody = await ctx.app.inject({
      method: 'GET',
      url: '/docs/static/swagger-ui.css',
      headers: { 'content-type': 'application/json' },
      payload: '{"a.b":1}',
    });
    expect(withBody.statusCode).toBe(200);
    const missing = await ctx.app.inject({ method: 'GET', url: '/docs/no.such.page' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().errors.length).toBeGreaterThan(0);
  });
});
