import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type { DocumentParts } from './documents.output.js';

/**
 * PDFs are drawn in a worker thread: laying out a document and embedding its fonts takes tens of
 * milliseconds of CPU, which on the request thread would hold up every other request. One worker,
 * started on the first PDF and kept (unref'd, so it never keeps the process alive), takes the
 * documents one at a time; a worker that dies fails what it had and the next PDF starts another.
 * The same file is the worker's entry: in the worker it answers render requests.
 */

interface Request {
  id: number;
  input: { parts: DocumentParts; title: string; credited: { name: string; date?: string | null } | null };
}
type Reply = { id: number; pdf: Uint8Array } | { id: number; error: string };

const ROLE = 'waybill-pdf';

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE && parentPort) {
  const port = parentPort;
  const { drawPdf } = await import('./pdf.render.js');
  port.on('message', (request: Request) => {
    drawPdf(request.input).then(
      (pdf) => port.postMessage({ id: request.id, pdf } satisfies Reply, [pdf.buffer as ArrayBuffer]),
      (err: unknown) => port.postMessage({ id: request.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies Reply),
    );
  });
}

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve: (pdf: Buffer) => void; reject: (err: Error) => void }>();

/** tsx's ES module API (its `register()` installs the TypeScript loader in the thread that calls it). */
const tsxApi = () =>
  pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;

function start(): Worker {
  // Run from the sources (tests, `WAYBILL_FROM_SOURCE`), the worker registers tsx's loader before it loads this file.
  const options = { workerData: { role: ROLE } };
  const w = import.meta.url.endsWith('.ts')
    ? new Worker(`import(${JSON.stringify(tsxApi())}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`, {
        ...options,
        eval: true,
      })
    : new Worker(new URL(import.meta.url), options);
  w.unref();
  w.on('message', (reply: Reply) => {
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if ('pdf' in reply) waiting.resolve(Buffer.from(reply.pdf.buffer, reply.pdf.byteOffset, reply.pdf.byteLength));
    else waiting.reject(new Error(`PDF rendering failed: ${reply.error}`));
  });
  const fail = (err: Error) => {
    if (worker === w) worker = undefined;
    for (const [id, waiting] of pending) {
      pending.delete(id);
      waiting.reject(err);
    }
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(new Error(`the PDF worker stopped (exit code ${code})`)));
  return w;
}

/** The document's PDF, drawn off the request thread. `credited`: the invoice a credit note credits. */
export function renderPdf(parts: DocumentParts, title: string, credited: { name: string; date?: string | null } | null): Promise<Buffer> {
  worker ??= start();
  const id = ++nextId;
  const active = worker;
  return new Promise<Buffer>((resolve, reject) => {
    pending.set(id, { resolve, reject });
    // While documents are waiting the worker keeps the process alive; idle, it does not.
    active.ref();
    active.postMessage({ id, input: { parts, title, credited } } satisfies Request);
  }).finally(() => {
    if (pending.size === 0) active.unref();
  });
}
