import { workerTask } from '../../../platform/workers/pool.js';
import type { drawPdf } from './pdf.render.js';

/**
 * PDFs are drawn in the server's worker threads (platform/workers): laying out a document and
 * embedding its fonts takes tens of milliseconds of CPU, which on the request thread would hold up
 * every other request. Only this declaration is loaded here; pdfkit and the fonts load in the thread,
 * once per thread, on its first PDF.
 */
const RENDER_MODULE = new URL(`./pdf.render${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

export const drawPdfTask = workerTask<typeof drawPdf>(RENDER_MODULE, 'drawPdf');

/** What a task's Buffer arrives as after crossing the thread boundary (a plain Uint8Array), as a Buffer again. */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
