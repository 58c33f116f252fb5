import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { referencePath } from './reference.js';

/**
 * The UBL 2.1 schemas live beside the clone (../shared/reference), not in it: they are checked
 * when present (CI has them), and the XSD tests say why they are skipped otherwise.
 */
const XSD_DIR = path.join(referencePath('ubl-2.1') ?? '/nonexistent', 'xsd');
export const haveXsd = existsSync(XSD_DIR);

/** What the UBL 2.1 schema of `root` says about the document; empty when it is valid. */
export async function xsdErrors(xml: string, root: 'Invoice' | 'CreditNote') {
  const common = readdirSync(path.join(XSD_DIR, 'common')).map((f) => ({ fileName: `common/${f}`, contents: readFileSync(path.join(XSD_DIR, 'common', f)) }));
  const schema = { fileName: `maindoc/UBL-${root}-2.1.xsd`, contents: readFileSync(path.join(XSD_DIR, 'maindoc', `UBL-${root}-2.1.xsd`)) };
  const result = await validateXML({ xml: [{ fileName: 'document.xml', contents: xml }], schema: [schema], preload: common });
  return result.errors.map((e) => e.rawMessage);
}
