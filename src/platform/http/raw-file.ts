import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { payloadTooLarge } from './errors.js';
import type { App } from './types.js';

/**
 * Routes whose body is a file, streamed rather than parsed: shared by every module that takes an
 * upload (documents, trips' fleet uploads, e-invoice forms).
 */

/**
 * The request body as a stream the blob store may destroy (it does when the file is too large)
 * without destroying the request itself: the client must still get its 413. A client that goes
 * away mid-body still fails the copy.
 */
function detachedBody(raw: IncomingMessage): Readable {
  const body = new PassThrough();
  raw.on('error', (err) => body.destroy(err));
  raw.on('close', () => {
    if (!raw.readableEnded) body.destroy(new Error('The request was aborted before the body ended'));
  });
  return raw.pipe(body);
}

/**
 * After a 413 the rest of an oversized body is still on its way; closing the connection spares
 * the server from reading and discarding it.
 */
export function closeAfterTooLarge(plugin: FastifyInstance) {
  plugin.addHook('onError', async (_request, reply, error) => {
    if ((error as { statusCode?: number }).statusCode === 413) reply.header('connection', 'close');
  });
}

/** Refuses a body whose declared length already exceeds the limit, before reading any of it. */
export function checkDeclaredLength(header: string | undefined, limit: number, maxBytes: number) {
  if (header !== undefined && /^\d+$/.test(header) && Number(header) > limit) {
    throw payloadTooLarge(`The file is larger than the limit of ${maxBytes} bytes`);
  }
}

/**
 * Registers routes whose body is a file itself, in whatever Content-Type it has. Leaving it unread
 * lets the handler stream it to disk under the document limit instead of buffering it under the
 * (much smaller) JSON body limit.
 */
export async function rawFileRoutes(app: App, register: (scoped: App) => void): Promise<void> {
  await app.register(async (plugin) => {
    closeAfterTooLarge(plugin);
    // Every route here takes a file: each counts against its client's uploads in flight.
    plugin.addHook('onRoute', (route) => {
      route.config = { ...route.config, upload: true };
    });
    const scoped = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scoped.removeAllContentTypeParsers();
    scoped.addContentTypeParser('*', (_request, _payload, done) => done(null));
    register(scoped as App);
  });
}

/** The raw file of a `rawFileRoutes` request: its declared type, and its bytes once the handler wants them. */
export function rawFile(request: FastifyRequest, maxBytes: number): { contentType: string | undefined; openStream: () => Readable } {
  checkDeclaredLength(request.headers['content-length'], maxBytes, maxBytes);
  return { contentType: request.headers['content-type'], openStream: () => detachedBody(request.raw) };
}

/** Documented body of a raw-file route: an empty schema accepts the unparsed body the handler streams. */
export const RAW_FILE_BODY = {
  content: { 'application/octet-stream': { schema: Type.Unknown({ description: 'The file, sent with its own Content-Type (any).' }) } },
};
