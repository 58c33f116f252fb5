import { unzipSync, strFromU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newClient, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { expectError } from '../support/contract.js';
import { asPerson, newPerson } from '../support/people.js';
import { as } from '../support/requests.js';
import { realisticOrder, upload } from './orders.fixtures.js';

/** GET /v1/orders/export: the order list as CSV or an Excel workbook, with the list's filters and visibility (issue 23). */
let ctx: TestContext;
let admin: Client;
let acme: Client;
let beta: Client;
let subco: Client;
let acmeHook: Client;

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The CSV's rows as arrays of cells (quoted cells may hold commas and doubled quotes; none here hold a line break). */
function csvRows(text: string): string[][] {
  expect(text.startsWith('\uFEFF')).toBe(true);
  return text
    .slice(1)
    .split('\r\n')
    .filter(Boolean)
    .map((line) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => (m[1] ?? '').replace(/^"|"$/g, '').replaceAll('""', '"')));
}

/** The workbook's sheet as its text: shared strings or inline strings, whichever the writer used. */
function workbookText(bytes: Buffer): string {
  const files = unzipSync(new Uint8Array(bytes));
  expect(Object.keys(files)).toContain('xl/workbook.xml');
  return Object.entries(files)
    .filter(([name]) => name.startsWith('xl/worksheets/') || name === 'xl/sharedStrings.xml')
    .map(([, data]) => strFromU8(data))
    .join('\n');
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Export carrier');
  const acmeId = await newCompany(ctx, admin, { name: 'Acme Tiles NV', code: 'ACME' });
  const betaId = await newCompany(ctx, admin, { name: 'Beta Bières', code: 'BETA' });
  const subcoId = await newCompany(ctx, admin, { name: 'Haulers', code: 'HAUL', is_customer: false, is_subcontractor: true });
  acme = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId });
  beta = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: betaId });
  subco = await newClient(ctx, admin.tenantId, 'SUBCONTRACTOR', { companyId: subcoId });
  acmeHook = await newClient(ctx, admin.tenantId, 'CUSTOMER', { companyId: acmeId, kind: 'WEBHOOK' });
  for (let i = 1; i <= 3; i++) {
    const res = await upload(
      ctx,
      acme,
      realisticOrder(`EXP-${i}`, { customer: undefined, customer_reference_number: i === 2 ? '=HYPERLINK("x")' : `PO, "${i}"` }),
    );
    expect(res.json().upload_status, res.body).toBe('COMPLETED');
  }
  const betaOrder = await upload(ctx, beta, realisticOrder('BETA-1', { customer: undefined }));
  expect(betaOrder.json().upload_status, betaOrder.body).toBe('COMPLETED');
});
afterAll(() => ctx.close());

describe('the order list export', () => {
  it('gives a customer its own orders as CSV: a header, one row per order, quoted and formula-safe cells', async () => {
    const res = await as(acme).get('/v1/orders/export?format=csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="orders-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...rows] = csvRows(res.body);
    expect(header?.slice(0, 4)).toEqual(['Order', 'Order identifier', 'Customer reference', 'Status']);
    expect(rows.map((r) => r[1]).sort()).toEqual(['EXP-1', 'EXP-2', 'EXP-3']);
    const byKey = new Map(rows.map((r) => [r[1], r]));
    expect(byKey.get('EXP-1')?.slice(2, 6)).toEqual(['PO, "1"', 'TO_PLAN', 'ACME', 'Acme Tiles NV']);
    expect(byKey.get('EXP-2')?.[2]).toBe(`'=HYPERLINK("x")`);
    expect(byKey.get('EXP-1')?.[6]).toBe('2026-12-01');
    expect(res.body).not.toContain('BETA-1');
  });

  it('applies the list’s filters', async () => {
    const searched = csvRows((await as(acme).get('/v1/orders/export?format=csv&q=EXP-3')).body);
    expect(searched.slice(1).map((r) => r[1])).toEqual(['EXP-3']);
    expect(csvRows((await as(acme).get('/v1/orders/export?format=csv&status=COMPLETED')).body)).toHaveLength(1);
    expect(csvRows((await as(acme).get('/v1/orders/export?format=csv&stop_date=2026-12-03')).body)).toHaveLength(4);
    // The tenant sees every customer's, and may narrow by customer code.
    const all = csvRows((await as(admin).get('/v1/orders/export?format=csv')).body);
    expect(all).toHaveLength(5);
    expect(
      csvRows((await as(admin).get('/v1/orders/export?format=csv&customer_code=BETA')).body)
        .slice(1)
        .map((r) => r[1]),
    ).toEqual(['BETA-1']);
    expect(csvRows((await as(admin).get('/v1/orders/export?format=csv&customer_code=NOPE')).body)).toHaveLength(1);
    // Another carrier's admin exports its own (none), not these.
    const other = await newTenant(ctx, 'Other carrier');
    expect(csvRows((await as(other).get('/v1/orders/export?format=csv')).body)).toHaveLength(1);
  });

  it('writes the same rows into an Excel workbook', async () => {
    const res = await as(acme).get('/v1/orders/export?format=xlsx&order=desc');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(/\.xlsx"$/);
    const text = workbookText(res.rawPayload);
    for (const expected of ['Order identifier', 'EXP-1', 'EXP-2', 'EXP-3', 'Acme Tiles NV', 'TO_PLAN']) expect(text).toContain(expected);
    expect(text).not.toContain('BETA-1');
    // A workbook's text cell is never a formula: it keeps the reference as it was typed.
    expect(text).toContain('<t>=HYPERLINK("x")</t>');
    expect(text).not.toContain('<f>');
    const betaBook = workbookText((await as(beta).get('/v1/orders/export?format=xlsx')).rawPayload);
    expect(betaBook).toContain('Beta Bières');
    expect(betaBook).not.toContain('EXP-1');
  });

  it('a customer’s person exports in a session; subcontractors and WEBHOOK credentials are refused; bad queries are 400s', async () => {
    const buyer = await newPerson(ctx, admin, { email: 'buyer@acme.example', name: 'Acme Buyer', role: 'CUSTOMER', company_id: acme.companyId });
    const res = await asPerson(buyer).get('/v1/orders/export?format=csv');
    expect(csvRows(res.body)).toHaveLength(4);
    expectError(await as(subco).get('/v1/orders/export?format=csv'), 403);
    expectError(await as(acmeHook).get('/v1/orders/export?format=csv'), 403);
    expectError(await as(acme).get('/v1/orders/export'), 400);
    expectError(await as(acme).get('/v1/orders/export?format=pdf'), 400);
    expectError(await as(acme).get('/v1/orders/export?format=csv&cursor=abc'), 400);
  });
});
