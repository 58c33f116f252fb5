import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
// saxon-js ships no types; it comes with xslt3.
// @ts-expect-error: untyped module
import SaxonJS from 'saxon-js';
import { hasErrorCode } from '../../src/platform/narrow.js';
import { referencePath } from './reference.js';

/**
 * The e-invoicing business rules Waybill's UBL must keep, run with SaxonJS:
 * - CEN's EN 16931 rules for UBL (BR-*, BR-CO-*…), compiled Schematron from ../shared/reference;
 * - OpenPEPPOL's BIS Billing 3.0 rules (PEPPOL-EN16931-R*, country and code-list rules), and the
 *   Self-Billing 3.0 ones for self-billed documents (the Billing rules reject those by design).
 * Turning a stylesheet into SaxonJS's SEF takes 7–25 CPU-seconds (minutes on a loaded 2-core
 * machine), so each is compiled once into node_modules/.cache keyed by the stylesheet's content
 * hash and reused by every test file and run; within a process the parsed SEF is kept too.
 */
const BIS = referencePath('peppol-bis-3');
export const EN16931_XSLT = BIS && path.join(BIS, 'EN16931-UBL-validation.xslt');
const PEPPOL_XSL = BIS && path.join(BIS, 'compiled', 'PEPPOL-EN16931-UBL.xsl');
const PEPPOL_SB_XSL = BIS && path.join(BIS, 'compiled', 'PEPPOL-EN16931-UBL-SB.xsl');
export const haveEn16931 = !!EN16931_XSLT && existsSync(EN16931_XSLT);
export const havePeppol = !!PEPPOL_XSL && existsSync(PEPPOL_XSL) && !!PEPPOL_SB_XSL && existsSync(PEPPOL_SB_XSL);

const CACHE = path.resolve(import.meta.dirname, '../../node_modules/.cache/waybill-validation');
const XSLT3 = path.resolve(import.meta.dirname, '../../node_modules/.bin/xslt3');
const run = promisify(execFile);
const loaded = new Map<string, Promise<unknown>>();

/**
 * The stylesheet's SEF, parsed once per process; compiled first when the cache lacks it. On a fresh
 * clone the files that check documents start together in several workers (they are among the
 * longest, so they run first), and each used to compile the same stylesheets at once: up to three
 * times the ~46 CPU-s of the three compiles. One process compiles now, under a lock file holding its
 * pid; the others wait for its result, or take over if it died.
 */
function compiled(stylesheet: string): Promise<unknown> {
  let sef = loaded.get(stylesheet);
  if (!sef) {
    sef = compileOnce(stylesheet).then(async (file) => JSON.parse(await fs.readFile(file, 'utf8')) as unknown);
    loaded.set(stylesheet, sef);
  }
  return sef;
}

async function compileOnce(stylesheet: string): Promise<string> {
  const hash = createHash('sha256').update(readFileSync(stylesheet)).digest('hex').slice(0, 16);
  const sef = path.join(CACHE, `${path.basename(stylesheet)}-${hash}.sef.json`);
  const lock = `${sef}.lock`;
  mkdirSync(CACHE, { recursive: true });
  while (!existsSync(sef)) {
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch (err) {
      if (!hasErrorCode(err, 'EEXIST')) throw err;
      if (lockOwnerGone(lock)) rmSync(lock, { force: true });
      else await new Promise((resolve) => setTimeout(resolve, 250));
      continue;
    }
    try {
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      // Written aside and renamed: a process checking for the file never reads half of it.
      const partial = `${sef}.${process.pid}.tmp`;
      await run(XSLT3, [`-xsl:${stylesheet}`, `-export:${partial}`, '-nogo']);
      renameSync(partial, sef);
    } finally {
      rmSync(lock, { force: true });
    }
  }
  return sef;
}

/** Whether the process that holds the lock has exited without removing it (killed mid-compile). */
function lockOwnerGone(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lock, 'utf8'));
  } catch {
    return false; // removed meanwhile: the loop looks again
  }
  if (!pid) return false; // just created, its pid not written yet
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return hasErrorCode(err, 'ESRCH');
  }
}

/**
 * Starts compiling every stylesheet as soon as a file that checks documents loads this module, in
 * parallel child processes, so the compiles overlap the file's own set-up instead of following it
 * one by one at its first check. A failure is reported by the check that needs the stylesheet.
 */
for (const stylesheet of [EN16931_XSLT, PEPPOL_XSL, PEPPOL_SB_XSL]) {
  if (stylesheet && existsSync(stylesheet)) compiled(stylesheet).catch(() => {});
}

/** The failed asserts of an SVRL report as `RULE-ID: text`; warnings left out unless asked for. */
async function failures(stylesheet: string, xml: string, withWarnings: boolean): Promise<string[]> {
  const result = (await SaxonJS.transform({ stylesheetInternal: await compiled(stylesheet), sourceText: xml, destination: 'serialized' }, 'async')) as {
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
