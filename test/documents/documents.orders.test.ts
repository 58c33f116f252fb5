import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/platform/db/tx.js';
import { AppError } from '../../src/platform/http/errors.js';
import { realisticOrder, upload } from '../orders/orders.fixtures.js';
import { newClient, newCompany, newTenant, stageUpload, type Client, type TestContext, useApp } from '../support/app.js';
import { expectContract, expectError } from '../support/contract.js';
import { as } from '../support/requests.js';
import { documentCount } from './documents.fixtures.js';

const MAX_BYTES = 32 * 1024;

const ctx = useApp({ documentMaxBytes: MAX_BYTES });
let admin: Client;
let acmeId: string;
let acmeClient: Client;
let betaClient: Client;
let tenantHook: Client;
let acmeHook: Client;
interface Created {
  id: string;
  name: string;
}
let a1: Created;
let a2: Created;
let b1: Created;

async function createOrder(identifier: string, overrides: Record<string, unknown>): Promise<Created> {
  const res = await upload(ctx, admin, realisticOrder(identifier, overrides));
  const body = res.json() as { upload_status: string; order_id: string; order_name: string };
  if (body.upload_status !== 'COMPLETED') throw new Error(`order import failed: ${res.body}`);
  return { id: body.order_id, name: body.order_name };
}

beforeAll(async () => {
  admin = await newTenant(ctx);
  acmeId = await newCompany(ctx, admin, { name: 'Acme', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta Foods', code: 'BETA' });
  acmeClient = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  betaClient = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  tenantHook = await newClient(ctx, admin.tenantId, 'TENANT', { kind: 'WEBHOOK' });
  acmeHook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId, kind: 'WEBHOOK' });
  a1 = await createOrder('DOC-A1', { customer_reference_number: 'PO-DOC-A1' });
  a2 = await createOrder('DOC-A2', { customer_reference_number: 'SHARED-REF' });
  b1 = await createOrder('DOC-B1', { customer: { code: 'BETA' }, customer_reference_number: 'SHARED-REF' });
});

let listening: string | undefined;
/** The app on a real loopback socket, started once for the tests that need one. */
async function serverUrl(): Promise<string> {
  listening ??= await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  return `${listening}/`;
}

function importDocument(client: Client | undefined, query: Record<string, string>, body: Buffer | string | Readable, contentType?: string) {
  const headers: Record<string, string> = {};
  if (client) headers.authorization = client.auth;
  if (contentType) headers['content-type'] = contentType;
  return ctx.app.inject({ method: 'POST', url: '/v1/webhook/document-import', query, headers, payload: body });
}

async function documentsOf(client: Client, orderId: string) {
  const res = await as(client).get(`/v1/orders/order/${orderId}/documents`);
  return res;
}

const PDF = Buffer.from('%PDF-1.4\n% proof of delivery\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');

describe('document import webhook', () => {
  it('attaches a file matched by customer reference number, lists it and serves its bytes', async () => {
    const before = await documentsOf(admin, a1.id);
    expect(before.statusCode).toBe(200);
    expect(before.json()).toEqual([]);

    const res = await importDocument(tenantHook, { filename: 'pod-a1.pdf', customer_reference_number: 'PO-DOC-A1' }, PDF, 'application/pdf');
    expect(res.statusCode, res.body).toBe(200);
    expectContract('DocumentImportResponse', res.json());
    expect(res.json()).toMatchObject({ errors: [], order_id: a1.id });

    const list = await documentsOf(admin, a1.id);
    const docs = list.json() as Array<Record<string, unknown>>;
    expect(docs).toHaveLength(1);
    for (const doc of docs) expectContract('Document', doc);
    expect(docs[0]).toMatchObject({
      id: res.json().document_id,
      name: 'pod-a1.pdf',
      type: 'CUSTOMER_PAPERWORK',
      subject_type: 'ORDER',
      subject_id: a1.id,
      content_type: 'application/pdf',
      download_url: `/v1/documents/document/${res.json().document_id}/download`,
    });

    const file = await as(admin).get(docs[0]?.download_url as string);
    expect(file.statusCode).toBe(200);
    expect(Buffer.compare(file.rawPayload, PDF)).toBe(0);
    expect(file.headers['content-type']).toBe('application/pdf');
  });

  it('matches by order name and takes the document type and display name from the query', async () => {
    const bytes = randomBytes(3000);
    const res = await importDocument(
      tenantHook,
      { filename: 'photo.jpg', name: a2.name, document_type: 'PHOTO_OF_GOODS_DELIVERY', document_name: 'Delivery photo 1/2' },
      bytes,
      'image/jpeg',
    );
    expect(res.json()).toMatchObject({ errors: [], order_id: a2.id });
    const docs = (await documentsOf(admin, a2.id)).json() as Array<Record<string, unknown>>;
    expect(docs.find((d) => d.id === res.json().document_id)).toMatchObject({
      name: 'Delivery photo 1/2',
      type: 'PHOTO_OF_GOODS_DELIVERY',
      content_type: 'image/jpeg',
    });
  });

  it('matches by order id, and needs every given criterion to agree', async () => {
    const ok = await importDocument(tenantHook, { filename: 'note.txt', id: b1.id }, 'delivered at gate 3', 'text/plain; charset=utf-8');
    expect(ok.json()).toMatchObject({ errors: [], order_id: b1.id });
    const file = await as(admin).get(`/v1/documents/document/${ok.json().document_id}/download`);
    expect(file.body).toBe('delivered at gate 3');
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');

    const disagree = await importDocument(tenantHook, { filename: 'x.pdf', id: b1.id, name: a1.name }, PDF, 'application/pdf');
    expect(disagree.json().errors).toHaveLength(1);
  });

  it('records a document.created event visible to the order customer', async () => {
    const res = await importDocument(tenantHook, { filename: 'cmr.pdf', name: a1.name, document_type: 'ORIGINAL_CMR' }, PDF, 'application/pdf');
    const event = await ctx.services.db
      .selectFrom('events')
      .selectAll()
      .where('tenant_id', '=', admin.tenantId)
      .where('entity_id', '=', res.json().document_id)
      .executeTakeFirstOrThrow();
    expect(event.type).toBe('document.created');
    expect(event.company_ids).toEqual([acmeId]);
    expect(event.payload).toMatchObject({ name: 'cmr.pdf', type: 'ORIGINAL_CMR', order_id: a1.id, subject: { type: 'ORDER', id: a1.id } });
  });

  it('reports no match and several matches in errors[] and stores nothing', async () => {
    const rows = await documentCount(ctx);
    const none = await importDocument(tenantHook, { filename: 'a.pdf', customer_reference_number: 'NOPE' }, PDF, 'application/pdf');
    expect(none.statusCode).toBe(200);
    expectContract('DocumentImportResponse', none.json());
    expect(none.json().errors).toEqual([
      { error_type: 'USER_INPUT_ERROR', error_message: expect.stringContaining('No order matches customer_reference_number "NOPE"') },
    ]);

    const several = await importDocument(tenantHook, { filename: 'a.pdf', customer_reference_number: 'SHARED-REF' }, PDF, 'application/pdf');
    expectContract('DocumentImportResponse', several.json());
    expect(several.json().errors[0].error_message).toContain('2 orders match');

    // A rejected import never reads its body; a large unread body must not upset the server.
    const unread = await importDocument(tenantHook, { filename: 'a.bin', name: 'OR-999999' }, randomBytes(MAX_BYTES - 10), 'application/octet-stream');
    expect(unread.json().errors[0].error_message).toContain('No order matches name "OR-999999"');

    const noCriteria = await importDocument(tenantHook, { filename: 'a.pdf' }, PDF, 'application/pdf');
    expect(noCriteria.json().errors[0].error_type).toBe('USER_INPUT_ERROR');
    expect(await documentCount(ctx)).toBe(rows);

    const narrowed = await importDocument(tenantHook, { filename: 'a.pdf', customer_reference_number: 'SHARED-REF', name: b1.name }, PDF, 'application/pdf');
    expect(narrowed.json()).toMatchObject({ errors: [], order_id: b1.id });
  });

  it("lets a customer's webhook client match only its own company's orders", async () => {
    const own = await importDocument(acmeHook, { filename: 'a.pdf', customer_reference_number: 'SHARED-REF' }, PDF, 'application/pdf');
    expect(own.json()).toMatchObject({ errors: [], order_id: a2.id });
    const foreign = await importDocument(acmeHook, { filename: 'a.pdf', id: b1.id }, PDF, 'application/pdf');
    expect(foreign.json().errors[0].error_message).toContain('No order matches');
    const foreignByName = await importDocument(acmeHook, { filename: 'a.pdf', name: b1.name }, PDF, 'application/pdf');
    expect(foreignByName.json().errors[0].error_message).toContain('No order matches');
  });

  it('takes a body without Content-Type as base64 when it is, as raw bytes otherwise, typed by the file name', async () => {
    const encoded = await importDocument(tenantHook, { filename: 'pod.pdf', name: a1.name }, PDF.toString('base64').replace(/(.{60})/g, '$1\n'));
    expect(encoded.json().errors).toEqual([]);
    const pdf = await as(admin).get(`/v1/documents/document/${encoded.json().document_id}/download`);
    expect(Buffer.compare(pdf.rawPayload, PDF)).toBe(0);
    expect(pdf.headers['content-type']).toBe('application/pdf');

    const bytes = Buffer.concat([Buffer.from([0, 255, 1]), randomBytes(100)]);
    const raw = await importDocument(tenantHook, { filename: 'blob.dat', name: a1.name, source_system: 'wms' }, bytes);
    expect(raw.json().errors).toEqual([]);
    const file = await as(admin).get(`/v1/documents/document/${raw.json().document_id}/download`);
    expect(file.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(file.rawPayload, bytes)).toBe(0);
  });

  it('refuses files over the limit with 413, whether the length is declared or streamed', async () => {
    const rows = await documentCount(ctx);
    const declared = await importDocument(tenantHook, { filename: 'big.bin', name: a1.name }, randomBytes(MAX_BYTES + 1), 'application/octet-stream');
    expect(declared.statusCode).toBe(413);
    const streamed = await importDocument(
      tenantHook,
      { filename: 'big.bin', name: a1.name },
      Readable.from([randomBytes(MAX_BYTES), randomBytes(10)]),
      'application/octet-stream',
    );
    expect(streamed.statusCode).toBe(413);
    expect(streamed.json().errors).toHaveLength(1);
    expect(await documentCount(ctx)).toBe(rows);
  });

  it('answers a rejected import on a real connection without reading its large body', async () => {
    const url = await serverUrl();
    const send = () =>
      fetch(`${url}v1/webhook/document-import?filename=a.bin&name=OR-999999`, {
        method: 'POST',
        headers: { authorization: tenantHook.auth, 'content-type': 'application/octet-stream' },
        body: randomBytes(MAX_BYTES - 10),
      });
    for (let i = 0; i < 3; i++) {
      const res = await send();
      expect(res.status).toBe(200);
      expect(((await res.json()) as { errors: unknown[] }).errors).toHaveLength(1);
    }
  });

  it('answers 413 on a real connection while a chunked body is still arriving', async () => {
    const url = new URL(await serverUrl());
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `/v1/webhook/document-import?filename=big.bin&name=${a1.name}`,
          headers: { authorization: tenantHook.auth, 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      // Writes after the server has answered may fail; the answer is what counts.
      req.on('error', (err) => setTimeout(() => reject(err), 1000));
      const chunk = randomBytes(8 * 1024);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
  });

  it('answers 400 in the envelope for a missing filename or an unknown document type', async () => {
    const noName = await importDocument(tenantHook, { name: a1.name }, PDF, 'application/pdf');
    expect(noName.statusCode).toBe(400);
    expect(noName.json().errors[0]).toMatchObject({ field: 'filename' });
    const badType = await importDocument(tenantHook, { filename: 'a.pdf', name: a1.name, document_type: 'BOARDING_PASS' }, PDF, 'application/pdf');
    expect(badType.statusCode).toBe(400);
    expect(badType.json().errors[0]).toMatchObject({ field: 'document_type' });
  });

  it('takes Basic webhook credentials only', async () => {
    expect((await importDocument(undefined, { filename: 'a.pdf', name: a1.name }, PDF, 'application/pdf')).statusCode).toBe(401);
    expect((await importDocument(admin, { filename: 'a.pdf', name: a1.name }, PDF, 'application/pdf')).statusCode).toBe(401);
    const apiClientAsBasic = { ...admin, auth: `Basic ${Buffer.from(`${admin.clientId}:${admin.clientSecret}`).toString('base64')}` };
    expect((await importDocument(apiClientAsBasic, { filename: 'a.pdf', name: a1.name }, PDF, 'application/pdf')).statusCode).toBe(403);
    const subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: acmeId, kind: 'WEBHOOK' });
    expect((await importDocument(subco, { filename: 'a.pdf', name: a1.name }, PDF, 'application/pdf')).statusCode).toBe(403);
    // And a webhook client's Basic credentials are refused on the API: known, but not for this job.
    expect((await documentsOf(tenantHook, a1.id)).statusCode).toBe(403);
  });
});

describe('order document list and download visibility', () => {
  it("shows a customer its own orders' documents and 404s everyone else's", async () => {
    const own = await documentsOf(acmeClient, a1.id);
    expect(own.statusCode).toBe(200);
    const docs = own.json() as Array<{ id: string; download_url: string }>;
    expect(docs.length).toBeGreaterThan(0);
    for (const doc of docs) expectContract('Document', doc);
    expect((await as(acmeClient).get(docs[0]!.download_url)).statusCode).toBe(200);

    expect((await documentsOf(betaClient, a1.id)).statusCode).toBe(404);
    expect((await as(betaClient).get(docs[0]!.download_url)).statusCode).toBe(404);
  });

  it("hides one tenant's order documents from another tenant", async () => {
    const other = await newTenant(ctx, 'Other carrier');
    const docs = (await documentsOf(admin, a1.id)).json() as Array<{ download_url: string }>;
    expect((await documentsOf(other, a1.id)).statusCode).toBe(404);
    expect((await as(other).get(docs[0]!.download_url)).statusCode).toBe(404);
  });

  it('answers 304 without the bytes to an If-None-Match naming the ETag, to those who may see the document only', async () => {
    const docs = (await documentsOf(acmeClient, a1.id)).json() as Array<{ download_url: string }>;
    const url = docs[0]!.download_url;
    const full = await as(acmeClient).get(url);
    expect(full.statusCode).toBe(200);
    const etag = String(full.headers.etag);
    expect(etag).toBe(`"${createHash('sha256').update(full.rawPayload).digest('hex')}"`);

    for (const held of [etag, `W/${etag}`, `"${'0'.repeat(64)}", ${etag}`, '*']) {
      for (const client of [acmeClient, admin]) {
        const res = await as(client).get(url, { 'if-none-match': held });
        expect(res.statusCode, held).toBe(304);
        expect(res.rawPayload.length).toBe(0);
        expect(res.headers.etag).toBe(etag);
        expect(res.headers['cache-control']).toBe('private, no-cache');
      }
    }
    // Another ETag is a copy of other bytes: the file comes again, whole.
    const other = await as(acmeClient).get(url, { 'if-none-match': `"${'0'.repeat(64)}"` });
    expect(other.statusCode).toBe(200);
    expect(Buffer.compare(other.rawPayload, full.rawPayload)).toBe(0);

    // The rights check comes first: another customer or tenant that sends the ETag (or `*`) still gets
    // the 404 of a document it may not know of, never a 304 confirming it exists.
    const otherTenant = await newTenant(ctx, 'Guessing carrier');
    for (const client of [betaClient, otherTenant]) {
      for (const guess of [etag, '*']) expectError(await as(client).get(url, { 'if-none-match': guess }), 404);
    }
  });

  it('answers 404 for an unknown order and 400 for a malformed id', async () => {
    expect((await documentsOf(admin, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await documentsOf(admin, 'OR-000001')).statusCode).toBe(400);
  });
});

describe('attachToOrder (the service orders call inside their import transaction)', () => {
  const stagedUpload = (client: Client, content: Buffer) => stageUpload(ctx, client, content, 'cmr.pdf');

  type AttachInput = Parameters<TestContext['services']['documents']['attachToOrder']>[1];
  const attachInput = (input: Partial<AttachInput>): AttachInput => ({
    tenantId: admin.tenantId,
    orderId: a1.id,
    companyIds: [acmeId],
    subjectType: 'ORDER',
    subjectId: a1.id,
    type: 'PROOF_OF_DELIVERY',
    source: { uploadId: '00000000-0000-4000-8000-000000000000' },
    attachedByCompanyId: null,
    ...input,
  });
  const attach = (input: Partial<AttachInput>) => inTransaction(ctx.services.db, (tx) => ctx.services.documents.attachToOrder(tx, attachInput(input)));
  /** Attaches inside a transaction that then fails, as an order import failing later would. */
  const attachThenFail = (input: Partial<AttachInput>, reason: string) =>
    inTransaction(ctx.services.db, async (tx) => {
      await ctx.services.documents.attachToOrder(tx, attachInput(input));
      throw new Error(reason);
    });

  it('attaches a staged upload once per subject and an embedded file from base64', async () => {
    const uploadId = await stagedUpload(acmeClient, PDF);
    const first = await attach({ source: { uploadId }, attachedByCompanyId: acmeId });
    const again = await attach({ source: { uploadId }, attachedByCompanyId: acmeId });
    expect(again.documentId).toBe(first.documentId);
    const embedded = await attach({
      subjectType: 'STOP',
      subjectId: a1.id,
      type: 'CONSIGNEE_SIGNATURE',
      source: { embedded: { content: Buffer.from('signature bytes').toString('base64'), content_type: 'image/png', filename: 'sig.png' } },
    });
    const docs = (await documentsOf(acmeClient, a1.id)).json() as Array<Record<string, unknown>>;
    expect(docs.find((d) => d.id === first.documentId)).toMatchObject({ name: 'cmr.pdf', type: 'PROOF_OF_DELIVERY', subject_type: 'ORDER' });
    expect(docs.find((d) => d.id === embedded.documentId)).toMatchObject({ name: 'sig.png', type: 'CONSIGNEE_SIGNATURE', subject_type: 'STOP' });
    const file = await as(acmeClient).get(`/v1/documents/document/${embedded.documentId}/download`);
    expect(file.body).toBe('signature bytes');
  });

  it("refuses unknown uploads, another customer's uploads, bad base64 and unknown types with a 400", async () => {
    const betaUpload = await stagedUpload(betaClient, PDF);
    const cases = [
      () => attach({ source: { uploadId: '00000000-0000-4000-8000-000000000000' } }),
      () => attach({ source: { uploadId: betaUpload } }),
      () => attach({ source: { embedded: { content: 'not base64!', content_type: 'image/png', filename: 'x.png' } } }),
      () => attach({ source: { embedded: { content: 'AAAA', content_type: 'png', filename: 'x.png' } } }),
      () => attach({ type: 'BOARDING_PASS' }),
    ];
    for (const attempt of cases) {
      const err = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).statusCode).toBe(400);
    }
    const unknown = await attach({ source: { uploadId: betaUpload }, attachedByCompanyId: acmeId }).catch((e: AppError) => e);
    expect((unknown as AppError).message).toContain(betaUpload);
  });

  it('leaves nothing behind when the calling transaction rolls back', async () => {
    const rows = await documentCount(ctx);
    const failed = attachThenFail(
      { type: 'WAYBILL', source: { embedded: { content: Buffer.from('x').toString('base64'), content_type: 'text/plain', filename: 'x.txt' } } },
      'the order import failed later',
    );
    await expect(failed).rejects.toThrow('the order import failed later');
    expect(await documentCount(ctx)).toBe(rows);
  });

  it('sweeps blobs that nothing references, and stale temp files, keeping every referenced blob', async () => {
    const { blobDir } = ctx.services.config;
    const orphan = randomBytes(64);
    const rolledBack = attachThenFail(
      { type: 'WAYBILL', source: { embedded: { content: orphan.toString('base64'), content_type: 'application/octet-stream', filename: 'o.bin' } } },
      'rolled back',
    );
    await expect(rolledBack).rejects.toThrow('rolled back');
    const sha = createHash('sha256').update(orphan).digest('hex');
    const orphanPath = path.join(blobDir, sha.slice(0, 2), sha);
    expect(fs.existsSync(orphanPath)).toBe(true);
    const crashed = path.join(blobDir, 'tmp', 'left-by-a-crash');
    fs.writeFileSync(crashed, 'partial');

    // Nothing was written before the epoch: a sweep with that cutoff keeps everything.
    expect(await ctx.services.documents.sweepOrphanBlobs(new Date(0))).toEqual({ removed: 0 });
    expect(fs.existsSync(orphanPath)).toBe(true);

    const swept = await ctx.services.documents.sweepOrphanBlobs(new Date(Date.now() + 60_000));
    expect(swept.removed).toBeGreaterThanOrEqual(1);
    expect(fs.existsSync(orphanPath)).toBe(false);
    expect(fs.existsSync(crashed)).toBe(false);
    const rows = await ctx.services.db.selectFrom('documents').select(['id', 'sha256']).execute();
    for (const row of rows) expect(fs.existsSync(path.join(blobDir, row.sha256.slice(0, 2), row.sha256)), row.id).toBe(true);
  });
});
