import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { headerNamesTag } from './etag.js';

/**
 * Conditional downloads of stored files (order documents, issued invoices): a file's ETag is its
 * bytes' SHA-256, so a client that holds the bytes sends it back as `If-None-Match` and is answered
 * 304 without them. Who may read the file is decided first, by the caller: a client that may not
 * read it gets the 404 it gets without the header, never a 304 that would confirm the file exists.
 */

/** A download route's conditional header: the ETag (SHA-256) of a copy the client holds already. */
export const IfNoneMatchHeaders = Type.Object({
  'if-none-match': Type.Optional(
    Type.String({ maxLength: 2000, description: 'ETags of copies held already, as `"<sha256>"`, a list of them, or `*`; a match answers 304.' }),
  ),
});

/** The 304 a download route declares beside its 200. */
export const NOT_MODIFIED_RESPONSE = {
  304: { type: 'null', description: 'Not Modified: `If-None-Match` names this file’s ETag; no body, the same `ETag` header' },
} as const;

/** What a download answers when `If-None-Match` names the file: the client holds its bytes already. */
export interface FileNotModified {
  notModified: true;
  sha256: string;
}

/**
 * `{ notModified }` when `If-None-Match` names the file whose SHA-256 is `sha256` (RFC 9110
 * §13.1.2: weak comparison, a list of tags, or `*` for any current file), else `undefined`. Asked
 * after the rights check and before the bytes are opened.
 */
export function notModified(ifNoneMatch: string | undefined, sha256: string): FileNotModified | undefined {
  return ifNoneMatch !== undefined && headerNamesTag(ifNoneMatch, `"${sha256}"`) ? { notModified: true, sha256 } : undefined;
}

/** The headers a file's 200 and its 304 share: its ETag, and a private copy revalidated on each use. */
export function fileCacheHeaders(reply: FastifyReply, sha256: string): FastifyReply {
  return reply.header('etag', `"${sha256}"`).header('cache-control', 'private, no-cache');
}

/** Answers 304 without a body, with the file's ETag. */
export function sendNotModified(reply: FastifyReply, file: FileNotModified): FastifyReply {
  return fileCacheHeaders(reply.code(304), file.sha256).send();
}
