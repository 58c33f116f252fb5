import { execFileSync } from 'node:child_process';
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

/** poppler's pdftotext reads the text as a reader sees it; without it the text checks are skipped. */
const havePdftotext = (() => {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
/** The text of each page, as laid out (one string per page; pdftotext ends a page with a form feed). */
const pageTexts = (pdf: Buffer) => execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8').split('\f').slice(0, -1);

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

/** The long invoice and its credit note, read again as text below. */
let invoiceId: string;
let creditId: string;

describe('the PDF of an issued document', () => {
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
    creditId = credit.id as string;
    const { pages, fonts } = inspect(await pdfOf('sales-credit-note', credit.id as string));
    expect(pages).toBe(2);
    expect(fonts).toContain('NotoSans-Regular');
    expect(fonts).not.toContain('NotoSansHans-Regular');
  });
});

describe.skipIf(!havePdftotext)('what the PDF says, as a reader reads it', () => {
  it('an invoice: its number and "Page x of y" on every page, the VAT breakdown, the totals and whom to pay', async () => {
    const invoice = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-invoice/${invoiceId}`);
    const pages = pageTexts(await pdfOf('sales-invoice', invoiceId));
    expect(pages).toHaveLength(2);
    pages.forEach((page, i) => {
      expect(page).toContain(`Invoice ${invoice.name as string}`);
      expect(page).toMatch(new RegExp(`Page ${i + 1} of 2\\s*$`));
    });
    const last = pages[1] as string;
    expect(last).toMatch(/VAT breakdown\s+Rate\s+Taxable\s+VAT/);
    expect(last).toMatch(/Total incl\. VAT\s+[\d,]+\.\d\d EUR/);
    expect(last).toContain(`Payment: please pay`);
    expect(last).toContain(ENTITY.bank_account.iban);
    expect(last).toContain(`with the reference ${invoice.name as string}`);
  });

  it('a credit note: says what it credits and asks no payment', async () => {
    const credit = await ok(ctx, admin.auth, 'GET', `/v1/accounting/sales-credit-note/${creditId}`);
    const text = pageTexts(await pdfOf('sales-credit-note', creditId)).join('\n');
    expect(text).toContain(`Credit note ${credit.name as string}`);
    expect(text).toContain(`This credit note credits invoice ${(credit.credited_invoice as { name: string }).name}`);
    expect(text).not.toMatch(/please pay|Payment:/);
    expect(text).not.toContain(ENTITY.bank_account.iban);
  });

  it('reverse charge and another currency: the wording with its VATEX code, the rate and the VAT in the books’ currency', async () => {
    await ok(ctx, admin.auth, 'POST', '/v1/admin/tax-rates', { code: 'RC', name: 'Reverse charge', percentage: '0', tax_type: 'REVERSE_CHARGE' });
    await ok(ctx, admin.auth, 'POST', '/v1/accounting/exchange-rate', {
      from_currency: 'EUR',
      to_currency: 'USD',
      exchange_rate_date: '2026-12-01',
      exchange_rate: '1.25',
      inverse_exchange_rate: '0.8',
    });
    await newCompany(ctx, admin, {
      name: 'Kraków Cargo',
      code: 'PL',
      currency: 'USD',
      vat_number: 'PL5260001246',
      billing_location: { address: 'ul. Długa 5', city: 'Kraków', postal_code: '31-147', country: 'PL' },
    });
    await newCompany(ctx, admin, {
      name: 'Dollar Buyer',
      code: 'USD',
      currency: 'USD',
      vat_number: 'BE0477472701',
      billing_location: { address: 'Noorderlaan 1', city: 'Antwerpen', postal_code: '2030', country: 'BE' },
    });
    const issue = async (customer: string, tax: string) => {
      const orderId = await newOrder(ctx, admin, `PDF-TEXT-${customer}`, customer);
      await ok(ctx, admin.auth, 'POST', `/v1/orders/order/${orderId}/charges`, {
        code: 'FREIGHT',
        unit_price: '1000.00',
        currency: 'USD',
        tax_rate: { code: tax },
      });
      const draft = await ok(ctx, admin.auth, 'POST', '/v1/accounting/sales-invoice/from-orders', { order_ids: [orderId] });
      const final = await ok(ctx, admin.auth, 'POST', `/v1/accounting/sales-invoice/${draft.id}/finalize`, { date: '2026-12-06' });
      return pageTexts(await pdfOf('sales-invoice', final.id as string)).join('\n');
    };
    const reverse = (await issue('PL', 'RC')).replace(/\s+/g, ' ');
    expect(reverse).toContain('Reverse charge: VAT to be accounted for by the recipient');
    expect(reverse).toContain('(VATEX-EU-AE)');
    const foreign = (await issue('USD', 'BE21')).replace(/\s+/g, ' ');
    // 1000.00 USD at 21 %: 210.00 USD of VAT, 168.00 EUR at 0.8.
    expect(foreign).toMatch(/Total incl\. VAT 1,210\.00 USD/);
    expect(foreign).toMatch(/VAT in EUR 168\.00 EUR/);
    expect(foreign).toContain('Exchange rate USD → EUR: 1 USD = 0.8 EUR (rate of 2026-12-01)');
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
