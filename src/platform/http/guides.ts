import { readFile } from 'node:fs/promises';
import type { FastifyReply } from 'fastify';
import { notFound } from './errors.js';
import type { App } from './types.js';

/**
 * The guides in docs/, served beside the reference at /docs/guides/<file> so that /docs can link
 * to them from the server itself. Only these files (and what they link to) are served: the folder
 * holds other documents that are not for every caller's eyes (security notes, benchmarks).
 */
export const GUIDES = [
  { file: 'guide-tenant.md', title: 'Tenant: integrating your ERP or admin tools' },
  { file: 'guide-customer.md', title: 'Customer: shippers' },
  { file: 'guide-subcontractor.md', title: 'Subcontractors' },
  { file: 'guide-accounting.md', title: 'Accounting: invoicing and connecting an accounting package' },
  { file: 'conventions.md', title: 'API conventions: errors, pagination, idempotency, rate limits' },
] as const;

/** The files the guides use or link to (request bodies, the e-invoice, sample output), served with them. */
const GUIDE_FILES: Record<string, string> = {
  ...Object.fromEntries(GUIDES.map((guide) => [guide.file, 'text/plain; charset=utf-8'])),
  'order.json': 'application/json; charset=utf-8',
  'trip-import.json': 'application/json; charset=utf-8',
  'invoice.xml': 'application/xml; charset=utf-8',
  'sample-invoice.xml': 'application/xml; charset=utf-8',
  // One rendered PDF per scenario (scripts/pdf-samples.ts writes them).
  'samples/invoice.pdf': 'application/pdf',
  'samples/credit-note.pdf': 'application/pdf',
  'samples/foreign-currency.pdf': 'application/pdf',
  'samples/reverse-charge.pdf': 'application/pdf',
  'samples/amount-discount.pdf': 'application/pdf',
  'samples/exempt.pdf': 'application/pdf',
  'samples/intra-community.pdf': 'application/pdf',
  'samples/export.pdf': 'application/pdf',
  'samples/out-of-scope.pdf': 'application/pdf',
  'samples/self-billing.pdf': 'application/pdf',
};

/** docs/ at the repository root, from src/platform/http/ and from its build in dist/platform/http/ alike. */
const DOCS = new URL('../../../docs/', import.meta.url);

export const guidePath = (file: string) => `/docs/guides/${file}`;

export function registerGuides(app: App) {
  const serve = async (file: string, reply: FastifyReply) => {
    // Only listed files: the name never reaches the file system unchecked.
    const type = Object.hasOwn(GUIDE_FILES, file) ? GUIDE_FILES[file] : undefined;
    if (!type) throw notFound('Guide');
    // An installation without docs/ has no guides to show.
    const content = await readFile(new URL(file, DOCS)).catch(() => undefined);
    if (!content) throw notFound('Guide');
    // Markdown as plain text: browsers show it instead of downloading it.
    return reply.type(type).send(content);
  };
  const options = { config: { auth: 'none' }, schema: { hide: true } } as const;
  app.get<{ Params: { file: string } }>('/docs/guides/:file', options, async (request, reply) => serve(request.params.file, reply));
  app.get<{ Params: { file: string } }>('/docs/guides/samples/:file', options, async (request, reply) => serve(`samples/${request.params.file}`, reply));
}
