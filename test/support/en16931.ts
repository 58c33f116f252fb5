import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// saxon-js ships no types; it comes with xslt3.
// @ts-expect-error: untyped module
import SaxonJS from 'saxon-js';

/**
 * CEN's EN 16931 business rules for UBL (the compiled Schematron in ../shared/reference), run with
 * SaxonJS. Compiling the stylesheet takes minutes on a loaded 2-core machine, so the compiled form
 * is kept in the temp folder, keyed by the stylesheet's size and time.
 */
export const EN16931_XSLT = path.resolve(import.meta.dirname, '../../../shared/reference/peppol-bis-3/EN16931-UBL-validation.xslt');
export const haveEn16931 = existsSync(EN16931_XSLT);

function compiled(): string {
  const { size, mtimeMs } = statSync(EN16931_XSLT);
  const sef = path.join(os.tmpdir(), `waybill-en16931-${size}-${Math.floor(mtimeMs)}.sef.json`);
  if (!existsSync(sef)) {
    const bin = path.resolve(import.meta.dirname, '../../node_modules/.bin/xslt3');
    execFileSync(bin, [`-xsl:${EN16931_XSLT}`, `-export:${sef}`, '-nogo'], { stdio: 'ignore' });
  }
  return sef;
}

/** The failed asserts (rule id and text) of a UBL document; empty when it keeps every rule. */
export async function en16931Failures(xml: string): Promise<string[]> {
  const result = (await SaxonJS.transform({ stylesheetFileName: compiled(), sourceText: xml, destination: 'serialized' }, 'async')) as { principalResult: string };
  return [...result.principalResult.matchAll(/<svrl:failed-assert[^>]*id="([^"]+)"[\s\S]*?<svrl:text>([\s\S]*?)<\/svrl:text>/g)].map((m) => `${m[1]}: ${m[2]?.trim()}`);
}
