import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
// saxon-js ships no types; it comes with xslt3.
// @ts-expect-error: untyped module
import SaxonJS from 'saxon-js';
import { referencePath } from './reference.js';

/**
 * The e-invoicing business rules Waybill's UBL must keep, run with SaxonJS:
 * - CEN's EN 16931 rules for UBL (BR-*, BR-CO-*…), compiled Schematron from ../shared/reference;
 * - OpenPEPPOL's BIS Billing 3.0 rules (PEPPOL-EN16931-R*, country and code-list rules), and the
 *   Self-Billing 3.0 ones for self-billed documents (the Billing rules reject those by design).
 * Turning a stylesheet into SaxonJS's SEF takes minutes on a loaded 2-core machine, so each is
 * compiled once into node_modules/.cache keyed by the stylesheet's content hash and reused by
 * every test file and run; within a process the parsed SEF is kept too.
 */
const BIS = referencePath('peppol-bis-3');
export const EN16931_XSLT = BIS && path.join(BIS, 'EN16931-UBL-validation.xslt');
const PEPPOL_XSL = BIS && path.join(BIS, 'compiled', 'PEPPOL-EN16931-UBL.xsl');
const PEPPOL_SB_XSL = BIS && path.join(BIS, 'compiled', 'PEPPOL-EN16931-UBL-SB.xsl');
export const haveEn16931 = !!EN16931_XSLT && existsSync(EN16931_XSLT);
export const havePeppol = !!PEPPOL_XSL && existsSync(PEPPOL_XSL) && !!PEPPOL_SB_XSL && existsSync(PEPPOL_SB_XSL);

const CACHE = path.resolve(import.meta.dirname, '../../node_modules/.cache/waybill-validation');
const loaded = new Map<string, unknown>();

function compiled(stylesheet: string): unknown {
  const hash = createHash('sha256').update(readFileSync(stylesheet)).digest('hex').slice(0, 16);
  const sef = path.join(CACHE, `${path.basename(stylesheet)}-${hash}.sef.json`);
  const cached = loaded.get(sef);
  if (cached) return cached;
  if (!existsSync(sef)) {
    mkdirSync(CACHE, { recursive: true });
    // Written aside and renamed: a test file running beside this one never reads half a file.
    const partial = `${sef}.${process.pid}.tmp`;
    const bin = path.resolve(import.meta.dirname, '../../node_modules/.bin/xslt3');
    execFileSync(bin, [`-xsl:${stylesheet}`, `-export:${partial}`, '-nogo'], { stdio: 'ignore' });
    renameSync(partial, sef);
  }
  const internal: unknown = JSON.parse(readFileSync(sef, 'utf8'));
  loaded.set(sef, internal);
  return internal;
}

/** The failed asserts of an SVRL report as `RULE-ID: text`; warnings left out unless asked for. */
async function failures(stylesheet: string, xml: string, withWarnings: boolean): Promise<string[]> {
  const result = (await SaxonJS.transform({ stylesheetInternal: compiled(stylesheet), sourceText: xml, destination: 'serialized' }, 'async')) as {
    principalResult: string;
  };
  return [...result.principalResult.matchAll(/<svrl:failed-assert([^>]*)>[\s\S]*?<svrl:text>([\s\S]*?)<\/svrl:text>/g)]
    .filter((m) => withWarnings || !/flag="warning"/.test(m[1] as string))
    .map((m) => `${/id="([^"]+)"/.exec(m[1] as string)?.[1] ?? '?'}: ${m[2]?.trim()}`);
}

/** The failed asserts (rule id and text) of a UBL document; empty when it keeps every rule. */
export async function en16931Failures(xml: string): Promise<string[]> {
  return failures(EN16931_XSLT as string, xml, false);
}

const SELF_BILLING = /<cbc:CustomizationID>[^<]*selfbilling[^<]*<\/cbc:CustomizationID>/;

/** Peppol's fatal failures: the Self-Billing 3.0 rules for a self-billed document, else BIS Billing 3.0. */
export async function peppolFailures(xml: string): Promise<string[]> {
  return failures((SELF_BILLING.test(xml) ? PEPPOL_SB_XSL : PEPPOL_XSL) as string, xml, false);
}
