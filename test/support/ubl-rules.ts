import { en16931Failures, haveEn16931, havePeppol, peppolFailures } from './en16931.js';
import { haveXsd, xsdErrors } from './ubl-xsd.js';

/** All three rule sets an e-invoice must keep are present (CI has them; a bare clone may not). */
export const haveAllRules = haveXsd && haveEn16931 && havePeppol;

/**
 * What the UBL 2.1 XSD, CEN's EN 16931 rules and Peppol's (Billing 3.0, or Self-Billing 3.0 for a
 * self-billed document) say about a document, fatal failures only: all three empty means it can
 * be sent to any European buyer.
 */
export async function ublRuleFailures(xml: string) {
  const root = /<CreditNote[\s>]/.test(xml) ? 'CreditNote' : 'Invoice';
  const [xsd, en16931, peppol] = [await xsdErrors(xml, root), await en16931Failures(xml), await peppolFailures(xml)];
  return { xsd, en16931, peppol };
}

export const NO_FAILURES = { xsd: [], en16931: [], peppol: [] };
