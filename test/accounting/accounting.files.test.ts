import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FILE_CACHE } from '../../src/modules/accounting/documents/file-cache.policy.js';
import { createFileBlobStore } from '../../src/platform/storage/file-blob-store.js';
import { createTestApp, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectContract } from '../support/contract.js';
import { newOrder, ok, seedBillingEntity, seedDutchCustomer } from './accounting.fixtures.js';

/**
 * Issued files live in the blob store (issue 17): the PDF and UBL rendered at finalization are
 * written there and streamed on download with their length and SHA-256 as ETag (a matching
 * If-None-Match is a 304 without them, to those who may read the file only), the blob sweep
 * keeps them, and files issued before (bytes in the row) keep downloading as they were.
 */
let ctx: TestContext;
let admin: Client;
let other: Client;
let invoice: Record<string, unknown> & { id: string; name: string };
let files: Array<{ id: string; type: string; name: string; download_url: string; content_type: string }>;

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

async function get(url: string, auth = admin.auth, ifNoneMatch?: string) {
  return ctx.app.inject({ url, headers: { authorization: auth, ...(ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch }) } });
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Files carrier');
  other = await newTenant(ctx, 'Other files carrier');
  await seedBillingEntity(ctx, admin);
  await seedDutchCustomer(ctx, admin);
  const orderId = await newOrder(ctx, admin, 'FILES-1', 'NL');
  await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '812.40', tax_rate: { code: 'BE21' } });
  const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
  invoice = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
  files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoice.id}/documents`)) as unknown as typeof files;
}, 300_000);
afterAll(() => ctx.close());

describe('issued files are blobs', () => {
  it('stores the PDF and UBL in the blob store at finalization, nothing in the row', async () => {
    expect(files.map((f) => f.type).sort()).toEqual(['SALES_INVOICE_PDF', 'SALES_INVOICE_UBL']);
    const rows = await ctx.services.db
      .selectFrom('billing_document_files')
      .select(['id', 'sha256', 'size_bytes', sql<boolean>`content is null`.as('no_content')])
      .where('tenant_id', '=', admin.tenantId)
      .where('document_id', '=', invoice.id)
      .execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.no_content).toBe(true);
      // What the download streams is the blob the row names: its hash and length.
      const res = await get(`/v1/accounting/files/${row.id}`);
      expect(sha256(res.rawPayload)).toBe(row.sha256);
      expect(res.rawPayload.length).toBe(Number(row.size_bytes));
    }
  });

  it('streams each with its Content-Length and its SHA-256 as ETag, the same bytes every time', async () => {
    for (const file of files) {
      const first = await get(file.download_url);
      expect(first.statusCode, first.body.slice(0, 300)).toBe(200);
      expect(first.headers['content-type']).toContain(file.content_type);
      expect(Number(first.headers['content-length'])).toBe(first.rawPayload.length);
      expect(first.headers.etag).toBe(`"${sha256(first.rawPayload)}"`);
      expect(first.headers['cache-control']).toBe('private, no-cache');
      expect(String(first.headers['content-disposition'])).toContain(file.name);
      const again = await get(file.download_url);
      expect(Buffer.compare(again.rawPayload, first.rawPayload)).toBe(0);
      expect(again.headers.etag).toBe(first.headers.etag);
    }
    const pdf = await get((files.find((f) => f.type.endsWith('_PDF')) as { download_url: string }).download_url);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const ubl = await get((files.find((f) => f.type.endsWith('_UBL')) as { download_url: string }).download_url);
    expect(ubl.body).toContain(`<cbc:ID>${invoice.name}</cbc:ID>`);
  });

  it('answers 304 without the bytes to an If-None-Match naming the ETag, and the file to any other', async () => {
    for (const file of files) {
      const first = await get(file.download_url);
      const etag = String(first.headers.etag);
      // The ETag alone, in a list, weak, or `*`: the client holds these bytes already.
      for (const held of [etag, `"${'0'.repeat(64)}", ${etag}`, `W/${etag}`, '*']) {
        const res = await get(file.download_url, admin.auth, held);
        expect(res.statusCode, held).toBe(304);
        expect(res.rawPayload.length).toBe(0);
        expect(res.headers.etag).toBe(etag);
        expect(res.headers['cache-control']).toBe('private, no-cache');
      }
      // Another file's ETag (the other file of this invoice) or a tag without quotes: the bytes.
      const otherFile = files.find((f) => f.id !== file.id) as { download_url: string };
      const otherEtag = String((await get(otherFile.download_url)).headers.etag);
      for (const stale of [otherEtag, etag.slice(1, -1)]) {
        const res = await get(file.download_url, admin.auth, stale);
        expect(res.statusCode, stale).toBe(200);
        expect(Buffer.compare(res.rawPayload, first.rawPayload)).toBe(0);
      }
    }
  });

  it('keeps them through the blob sweep, however old they are', async () => {
    const before = await Promise.all(files.map((f) => get(f.download_url)));
    // A cutoff in the future makes every blob old enough to go, unless a row holds it.
    await ctx.services.documents.sweepOrphanBlobs(new Date(Date.now() + 60_000));
    const after = await Promise.all(files.map((f) => get(f.download_url)));
    after.forEach((res, i) => {
      expect(res.statusCode).toBe(200);
      expect(Buffer.compare(res.rawPayload, (before[i] as { rawPayload: Buffer }).rawPayload)).toBe(0);
    });
  });

  it('serves a file issued before migration 028 from the bytes in its row, with the same headers', async () => {
    const orderId = await newOrder(ctx, admin, 'FILES-OLD', 'NL');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, { code: 'FREIGHT', unit_price: '10', tax_rate: { code: 'BE21' } });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const old = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-01' });
    // Made into a row as migration 019 wrote them: the bytes in the row, no blob.
    const bytes = Buffer.from('%PDF-1.7 issued before the blob store\n', 'utf8');
    await ctx.services.db
      .updateTable('billing_document_files')
      .set({ content: bytes, sha256: null, size_bytes: null })
      .where('tenant_id', '=', admin.tenantId)
      .where('document_id', '=', old.id)
      .where('type', '=', 'PDF')
      .execute();
    const listed = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${old.id}/documents`)) as unknown as typeof files;
    const res = await get((listed.find((f) => f.type.endsWith('_PDF')) as { download_url: string }).download_url);
    expect(res.statusCode).toBe(200);
    expect(Buffer.compare(res.rawPayload, bytes)).toBe(0);
    expect(Number(res.headers['content-length'])).toBe(bytes.length);
    expect(res.headers.etag).toBe(`"${sha256(bytes)}"`);
    const held = await get((listed.find((f) => f.type.endsWith('_PDF')) as { download_url: string }).download_url, admin.auth, `"${sha256(bytes)}"`);
    expect(held.statusCode).toBe(304);
    expect(held.rawPayload.length).toBe(0);
  });

  it('streams a file too large to keep in memory from the blob store, all of it, with the same headers', async () => {
    const bytes = Buffer.alloc(FILE_CACHE.maxEntryBytes + 4096, 0x41);
    bytes.write('%PDF-1.7 a large scan sent with an e-invoice', 'latin1');
    const blob = await createFileBlobStore(ctx.services.config.blobDir).put(Readable.from([bytes]), { maxBytes: bytes.length });
    const id = randomUUID();
    await ctx.services.db
      .insertInto('billing_document_files')
      .values({
        tenant_id: admin.tenantId,
        id,
        document_id: invoice.id,
        type: 'OTHER',
        name: 'scan.pdf',
        content_type: 'application/pdf',
        sha256: blob.sha256,
        size_bytes: blob.size,
      })
      .execute();
    for (let i = 0; i < 2; i++) {
      const res = await get(`/v1/accounting/files/${id}`);
      expect(res.statusCode).toBe(200);
      expect(Buffer.compare(res.rawPayload, bytes)).toBe(0);
      expect(Number(res.headers['content-length'])).toBe(bytes.length);
      expect(res.headers.etag).toBe(`"${sha256(bytes)}"`);
    }
    expect((await get(`/v1/accounting/files/${id}`, admin.auth, `"${sha256(bytes)}"`)).statusCode).toBe(304);
  });

  it('is a 404 to another tenant, as an unknown id is, also when it sends the file’s ETag or `*`', async () => {
    for (const file of files) {
      const etag = String((await get(file.download_url)).headers.etag);
      for (const held of [undefined, etag, '*']) {
        const res = await get(file.download_url, other.auth, held);
        expect(res.statusCode).toBe(404);
        expectContract('ValidationErrorResponse', res.json());
      }
    }
    expect((await get(`/v1/accounting/files/${randomUUID()}`)).statusCode).toBe(404);
    expect((await get(`/v1/accounting/files/${randomUUID()}`, admin.auth, '*')).statusCode).toBe(404);
  });
});
