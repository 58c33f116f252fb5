import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { haveAllRules, NO_FAILURES, ublRuleFailures } from '../support/ubl-rules.js';

/**
 * The UBL sample the accounting guide links (written by scripts/pdf-samples.ts from an issued
 * invoice) is what readers copy: it must keep the three rule sets as every issued document does,
 * and show what it is there to show, a line allowance given as an amount beside a percentage one.
 */
const xml = readFileSync(new URL('../../docs/sample-invoice.xml', import.meta.url), 'utf8');

describe('docs/sample-invoice.xml', () => {
  it('holds a line allowance of an amount and one of a percentage, and a date of supply', () => {
    const allowances = [...xml.matchAll(/<cac:InvoiceLine>[\s\S]*?<\/cac:InvoiceLine>/g)].flatMap((line) => [
      ...line[0].matchAll(/<cac:AllowanceCharge>([\s\S]*?)<\/cac:AllowanceCharge>/g),
    ]);
    expect(allowances.map((a) => /MultiplierFactorNumeric/.test(a[1] as string))).toEqual([false, true]);
    expect(xml).toMatch(/<cac:Delivery>\s*<cbc:ActualDeliveryDate>\d{4}-\d{2}-\d{2}<\/cbc:ActualDeliveryDate>/);
  });

  it.skipIf(!haveAllRules)('keeps the UBL 2.1 XSD, EN 16931 and Peppol BIS 3 rules', { timeout: 600_000 }, async () => {
    expect(await ublRuleFailures(xml)).toEqual(NO_FAILURES);
  });
});
