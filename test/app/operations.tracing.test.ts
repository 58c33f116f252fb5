import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newCompany, newTenant, type TestContext } from '../support/app.js';

interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: Array<{ key: string; value: Record<string, unknown> }>;
}

/** A real OTLP/HTTP receiver on 127.0.0.1: keeps every span of every JSON export it gets. */
class OtlpReceiver {
  readonly spans: OtlpSpan[] = [];
  readonly contentTypes: string[] = [];
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      this.contentTypes.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }>;
      };
      for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) this.spans.push(...ss.spans);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value && Object.values(value)[0];
};

describe('OpenTelemetry tracing', () => {
  let receiver: OtlpReceiver;
  let ctx: TestContext;
  beforeAll(async () => {
    receiver = await new OtlpReceiver().start();
    ctx = await createTestApp({ otlpEndpoint: receiver.url });
  });
  afterAll(() => receiver.close());

  it('exports a span per request, named by route pattern, with its transaction as a child', async () => {
    const admin = await newTenant(ctx, 'Traced carrier');
    const companyId = await newCompany(ctx, admin, { name: 'Traced Ltd' });
    expect((await ctx.app.inject({ url: `/v1/companies/company/${companyId}`, headers: { authorization: admin.auth } })).statusCode).toBe(200);
    // Closing the app flushes the spans still buffered by the batch processor.
    await ctx.close();

    expect(receiver.contentTypes.every((c) => c.startsWith('POST /v1/traces application/json'))).toBe(true);
    const requests = receiver.spans.filter((s) => attribute(s, 'http.route') !== undefined);
    const routes = requests.map((s) => attribute(s, 'http.route'));
    expect(routes).toContain('/v1/companies/company');
    expect(routes).toContain('/v1/companies/company/:id');
    expect(JSON.stringify(routes)).not.toContain(companyId);

    const create = requests.find((s) => attribute(s, 'http.route') === '/v1/companies/company' && attribute(s, 'http.request.method') === 'POST');
    expect(create).toBeDefined();
    const inTrace = receiver.spans.filter((s) => s.traceId === create?.traceId);
    expect(inTrace.map((s) => s.name)).toContain('db.transaction');
  });
});
