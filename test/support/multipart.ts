import { randomBytes } from 'node:crypto';
import type { Client } from './app.js';
import { as } from './requests.js';

export interface Part {
  name: string;
  filename?: string;
  contentType?: string;
  content: Buffer | string;
}

/** A multipart/form-data body built by hand, so tests control every byte and header. */
export function multipart(parts: Part[]) {
  const boundary = `----waybill${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += '\r\n';
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.from(part.content), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

/** POST /v1/documents/document/upload_content as `client`, the file in the field `file` (unless `name` says another). */
export function uploadContent(client: Pick<Client, 'app' | 'auth'>, part: Omit<Part, 'name'> & { name?: string }) {
  const body = multipart([{ name: 'file', ...part }]);
  return as(client).post('/v1/documents/document/upload_content', body.payload, body.headers);
}
