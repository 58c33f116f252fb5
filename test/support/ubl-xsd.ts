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

type Root = 'Invoice' | 'CreditNote';
type XsdFile = { fileName: string; contents: Buffer };

let schemaFiles: { common: XsdFile[]; maindoc: Map<Root, XsdFile> } | undefined;
/** The schema files, read once per process (every check used to read the ~40 files again). */
function schemas() {
  schemaFiles ??= {
    common: readdirSync(path.join(XSD_DIR, 'common')).map((f) => ({ fileName: `common/${f}`, contents: readFileSync(path.join(XSD_DIR, 'common', f)) })),
    maindoc: new Map(
      (['Invoice', 'CreditNote'] as const).map((root) => {
        const fileName = `maindoc/UBL-${root}-2.1.xsd`;
        return [root, { fileName, contents: readFileSync(path.join(XSD_DIR, fileName)) }];
      }),
    ),
  };
  return schemaFiles;
}

interface Waiting {
  xml: string;
  resolve: (errors: string[]) => void;
  reject: (err: unknown) => void;
}
const queued = new Map<Root, Waiting[]>();

/**
 * What the UBL 2.1 schema of `root` says about the document; empty when it is valid.
 *
 * Every xmllint run starts a worker thread, instantiates xmllint's WebAssembly and parses the
 * whole UBL schema again: about 0.4 CPU-seconds, most of the CPU time of a test that checks a
 * document. Documents asked about in the same turn of the event loop (`Promise.all` over several)
 * are therefore checked in one run, which parses the schema once; each still gets only its own errors.
 */
export function xsdErrors(xml: string, root: Root): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const batch = queued.get(root);
    if (batch) return batch.push({ xml, resolve, reject });
    queued.set(root, [{ xml, resolve, reject }]);
    setImmediate(() => {
      const waiting = queued.get(root) ?? [];
      queued.delete(root);
      validateAll(root, waiting).catch((err: unknown) => waiting.forEach((w) => w.reject(err)));
    });
  });
}

async function validateAll(root: Root, waiting: Waiting[]): Promise<void> {
  const { common, maindoc } = schemas();
  const names = waiting.map((_, i) => `document-${i}.xml`);
  const result = await validateXML({
    xml: waiting.map((w, i) => ({ fileName: names[i] as string, contents: w.xml })),
    schema: [maindoc.get(root) as XsdFile],
    preload: common,
  });
  // xmllint prefixes each message with the file it is about ("document-3.xml:12: …"; a parser error's
  // excerpt follows on lines of its own) and ends each file with "document-3.xml validates" or
  // "… fails to validate". Lines before any naming a document (a schema error) count against every
  // document, so a batch never hides an error.
  const lines = result.rawOutput.split('\n').filter((line) => line.trim() !== '');
  const owners: Array<string | undefined> = [];
  for (const line of lines) owners.push(names.find((name) => line.startsWith(`${name}:`) || line.startsWith(`${name} `)) ?? owners.at(-1));
  waiting.forEach((w, i) => {
    const name = names[i] as string;
    const own = lines.filter((_, n) => owners[n] === name || owners[n] === undefined);
    const errors = own.filter((line) => line !== `${name} validates` && line !== `${name} fails to validate`);
    if (own.includes(`${name} fails to validate`) && errors.length === 0) errors.push(`${name} fails to validate`);
    if (!own.includes(`${name} validates`) && !own.includes(`${name} fails to validate`)) errors.push(`${name}: no verdict from xmllint`);
    w.resolve(errors);
  });
}
