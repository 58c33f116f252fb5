import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { badRequest, detail, multipartError, payloadTooLarge, unsupportedMediaType } from '../../../platform/http/errors.js';
import type { UploadedEInvoiceFile } from './einvoice.service.js';
import type { EInvoiceJsonInput } from './purchase.schemas.js';

/** The JSON document plus as many files as the JSON form's `attachments` may carry. */
export const MAX_EINVOICE_PARTS = 21;

interface Part {
  fieldname: string;
  filename: string;
  contentType: string;
  bytes: Buffer;
}

async function bytesOf(part: Multipart): Promise<Buffer> {
  if (part.type === 'file') return part.toBuffer();
  // A part without a filename comes as a form field; a cut one would be a silently shortened document.
  if (part.valueTruncated) throw payloadTooLarge(`${part.fieldname}: the part is larger than allowed`);
  // The parser has already read a field declared application/json; its text is wanted here.
  return Buffer.from(typeof part.value === 'string' ? part.value : JSON.stringify(part.value));
}

/**
 * Every part in the order sent, held in memory as the JSON form's base64 files are, so that nothing
 * is stored from a body that turns out bad; `maxTotal` bounds that memory as the body limit bounds
 * the JSON form's.
 */
async function readParts(request: FastifyRequest, maxTotal: number): Promise<Part[]> {
  const parts: Part[] = [];
  let total = 0;
  try {
    for await (const part of request.parts()) {
      if (parts.length === MAX_EINVOICE_PARTS) {
        throw badRequest(`At most ${MAX_EINVOICE_PARTS} parts: the JSON document and ${MAX_EINVOICE_PARTS - 1} files`, [detail('too many parts', 'body')]);
      }
      const filename = part.type === 'file' ? part.filename : '';
      const bytes = await bytesOf(part);
      total += bytes.length;
      if (total > maxTotal) throw payloadTooLarge(`The form is larger than the limit of ${maxTotal} bytes`);
      parts.push({ fieldname: part.fieldname, filename, contentType: part.mimetype ?? '', bytes });
    }
  } catch (err) {
    throw multipartError(err);
  }
  return parts;
}

const isXml = (part: Part) => /[/+]xml$/i.test(part.contentType.split(';')[0]?.trim() ?? '') || part.bytes.toString('utf8', 0, 64).trimStart().startsWith('<');

/**
 * The contract's multipart form: the first part is the JSON e-invoice, each later one a file sent
 * with it. A PDF is taken for the invoice's (or credit note's) own rendering, as embedded PDFs are;
 * anything else is OTHER. `validate` is the route's own JSON body check, so both forms refuse the
 * same documents with the same details.
 */
export async function readEInvoiceForm(
  request: FastifyRequest,
  maxTotal: number,
  validate: (document: unknown) => void,
): Promise<{ document: EInvoiceJsonInput; files: UploadedEInvoiceFile[] }> {
  const [first, ...rest] = await readParts(request, maxTotal);
  if (!first) throw badRequest('The multipart body has no parts: send the JSON e-invoice first', [detail('the JSON document is required', 'document')]);
  if (isXml(first))
    throw unsupportedMediaType('XML is accepted as an application/xml body, not as a multipart part: send the JSON e-invoice as the first part');
  let document: unknown;
  try {
    document = JSON.parse(first.bytes.toString('utf8'));
  } catch (err) {
    throw badRequest(`The first part must be the JSON e-invoice: ${(err as Error).message}`, [detail('not JSON', first.fieldname || 'document')]);
  }
  validate(document);
  const valid = document as EInvoiceJsonInput;
  const rendering = valid.invoice_type === 'PURCHASE' ? 'INVOICE' : 'CREDIT_NOTE';
  const files = rest.map((p, i): UploadedEInvoiceFile => ({
    field: `part[${i + 1}]${p.fieldname ? ` (${p.fieldname})` : ''}`,
    bytes: p.bytes,
    contentType: p.contentType,
    documentType: p.contentType.split(';')[0]?.trim().toLowerCase() === 'application/pdf' ? rendering : 'OTHER',
    filename: p.filename,
  }));
  return { document: valid, files };
}
