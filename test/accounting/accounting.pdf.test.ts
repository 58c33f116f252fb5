import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, newCompany, newTenant, type Client, type TestContext } from '../support/app.js';
import { newOrder, ok } from './accounting.fixtures.js';
import { ENTITY } from './accounting.fixtures.js';
import { displayUnitPrice } from '../../src/modules/accounting/documents/pdf.render.js';

let ctx: TestContext;
let admin: Client;
const NAME = 'Przedsiębiorstwo Łódź Ørsted 上海远东物流 대한통운';

/** UTF-16BE hex (one or two code units) as the text it stands for. */
const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((u) => parseInt(u, 16)));

/**
 * The characters a ToUnicode CMap maps glyphs to: each `bfchar` pair's destination, and every
 * character of each `bfrange` (a range maps consecutive glyphs to consecutive characters, or to
 * an array of destinations), not only its first.
 */
function mappedCharacters(cmap: string): string[] {
  const found: string[] = [];
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const pair of (block[1] as string).matchAll(/<[0-9a-fA-F]+>\s*<([0-9a-fA-F]+)>/g)) found.push(utf16(pair[1] as string));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const range of (block[1] as string).matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]+>|\[[^\]]*\])/g)) {
      const [lo, hi, dst] = [parseInt(range[1] as string, 16), parseInt(range[2] as string, 16), range[3] as string];
      if (dst.startsWith('[')) {
        for (const each of dst.matchAll(/<([0-9a-fA-F]+)>/g)) found.push(utf16(each[1] as string));
        continue;
      }
      const first = utf16(dst.slice(1, -1));
      const base = first.charCodeAt(first.length - 1);
      for (let i = 0; i <= hi - lo; i++) found.push(first.slice(0, -1) + String.fromCharCode(base + i));
    }
  }
  return found;
}

/** What a PDF holds that a reader sees: its pages, the fonts it embeds, and the characters those fonts map (ToUnicode). */
function inspect(pdf: Buffer) {
  const text = pdf.toString('latin1');
  const pages = (text.match(/\/Type \/Page\b(?!s)/g) ?? []).length;
  const fonts = [...text.matchAll(/\/BaseFont \/(?:[A-Z]{6}\+)?([\w-]+)/g)].map((m) => m[1]);
  const chars = new Set<string>();
  for (const m of text.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    let body: string;
    try {
      body = inflateSync(Buffer.from(m[1] as string, 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    if (!body.includes('begincmap')) continue;
    for (const ch of mappedCharacters(body)) chars.add(ch);
  }
  return { pages, fonts, chars };
}

async function pdfOf(kind: string, id: string) {
  const files = (await ok(ctx, admin.auth, 'GET', `/v1/accounting/${kind}/${id}/documents`)) as unknown as Array<{
    content_type: string;
    download_url: string;
  }>;
  const file = files.find((f) => f.content_type === 'application/pdf') as { download_url: string };
  const res = await ctx.app.inject({ method: 'GET', url: file.download_url, headers: { authorization: admin.auth } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toBe('application/pdf');
  return res.rawPayload;
}

beforeAll(async () => {
  ctx = await createTestApp();
  admin = await newTenant(ctx, 'Printing carrier');
  await ok(ctx, admin.auth, 'POST', '/v1/admin/billing-entities', ENTITY);
  await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'BE21', name: 'VAT 21%', percentage: '21' });
  await newCompany(ctx, admin, {
    name: NAME,
    code: 'INTL',
    vat_number: 'BE0403019261',
    billing_location: { address: 'Żeromskiego 94', city: 'Łódź', postal_code: '90-550', country: 'BE' },
  });
});
afterAll(() => ctx.close());

describe('the PDF of an issued document', () => {
  let invoiceId: string;

  it('prints a long invoice on numbered pages, with every character of a Latin Extended and CJK name', async () => {
    const orderId = await newOrder(ctx, admin, 'PDF-1', 'INTL');
    for (let i = 0; i < 30; i++) {
      await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
        code: 'FREIGHT',
        name: `Freight leg ${i + 1}`,
        unit_price: '100.123456',
        tax_rate: { code: 'BE21' },
      });
    }
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    invoiceId = (await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-11-30' })).id as string;

    const pdf = await pdfOf('sales-invoice', invoiceId);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const { pages, fonts, chars } = inspect(pdf);
    expect(pages).toBe(2);
    // The text font, and the CJK fallbacks only because the name needs them.
    expect(fonts).toEqual(expect.arrayContaining(['NotoSans-Regular', 'NotoSans-Bold', 'NotoSansHans-Regular', 'NotoSansKR-Regular']));
    for (const ch of NAME.replace(/\s/g, '')) expect(chars, `no glyph for ${ch}`).toContain(ch);
    // The bytes are those stored at finalization: a second download is the same file.
    expect((await pdfOf('sales-invoice', invoiceId)).equals(pdf)).toBe(true);
    // No line has a discount: the discount column stays empty (its amounts are the only minus signs, U+2212).
    expect(chars).not.toContain('−');
  });

  it('prints a line discount in its own column, its percentage and the amount it takes off', async () => {
    const orderId = await newOrder(ctx, admin, 'PDF-DISCOUNT', 'INTL');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
      code: 'FREIGHT',
      name: 'Freight with a discount',
      unit_price: '1420.00',
      tax_rate: { code: 'BE21' },
      discount_percentage: '7.5',
      discount_reason: 'Framework agreement',
    });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-05' });
    expect((final.line_items as Array<{ allowance: unknown }>)[0]?.allowance).toMatchObject({ percentage: '7.5', amount: '106.50' });
    const { chars } = inspect(await pdfOf('sales-invoice', final.id as string));
    for (const ch of ['−', '%', '7', '5']) expect(chars, `no glyph for ${ch}`).toContain(ch);
  });

  it('prints a discount given as an amount as that amount, in the discount column', async () => {
    const orderId = await newOrder(ctx, admin, 'PDF-DISCOUNT-AMOUNT', 'INTL');
    await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
      code: 'FREIGHT',
      name: 'Freight with a discount amount',
      unit_price: '990.00',
      tax_rate: { code: 'BE21' },
      discount_amount: '48.00',
      discount_reason: 'Late delivery',
    });
    const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
    const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-05' });
    expect((final.line_items as Array<{ allowance: unknown }>)[0]?.allowance).toMatchObject({ percentage: null, amount: '48.00' });
    const { chars } = inspect(await pdfOf('sales-invoice', final.id as string));
    for (const ch of ['−', '4', '8']) expect(chars, `no glyph for ${ch}`).toContain(ch);
  });

  it('prints a credit note of all 30 lines, in the text font alone when no CJK is needed', async () => {
    const note = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${invoiceId}/credit`, {});
    await ok(ctx, admin.auth, 'PATCH', `/v1/companies/company/${(note.customer as { id: string }).id}`, { name: 'Plain Name' });
    const credit = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-credit-note/${note.id}/finalize`, { date: '2026-12-01' });
    const { pages, fonts } = inspect(await pdfOf('sales-credit-note', credit.id as string));
    expect(pages).toBe(2);
    expect(fonts).toContain('NotoSans-Regular');
    expect(fonts).not.toContain('NotoSansHans-Regular');
  });
});

describe('unit prices as printed', () => {
  it('rounds to the currency, or to at most four decimals when a converted price has more', () => {
    expect(displayUnitPrice('845.5', 'EUR')).toBe('845.50');
    expect(displayUnitPrice('1234567.5', 'EUR')).toBe('1,234,567.50');
    expect(displayUnitPrice('100.123456', 'EUR')).toBe('100.1235');
    expect(displayUnitPrice('12.30', 'EUR')).toBe('12.30');
    expect(displayUnitPrice('-250', 'EUR')).toBe('-250.00');
    expect(displayUnitPrice('1500', 'JPY')).toBe('1,500');
    expect(displayUnitPrice('1500.5', 'JPY')).toBe('1,500.5');
  });
});
