import type { FastifyReply } from 'fastify';
import { AppError } from './errors.js';

/** A record's version as an HTTP entity tag. */
export const etagOf = (version: number) => `"${version}"`;

/** A record together with the version its ETag names. */
export interface Versioned<T> {
  record: T;
  version: number;
}

/** Sets the ETag header and gives the record to send. */
export function sendVersioned<T>(reply: FastifyReply, value: Versioned<T>): T {
  reply.header('etag', etagOf(value.version));
  return value.record;
}

/**
 * Whether a conditional header (`If-Match`, `If-None-Match`) names `tag`: one of its
 * comma-separated tags (a weak one compared by its value) is `tag`, or it is `*`.
 */
export function headerNamesTag(header: string, tag: string): boolean {
  const tags = header.split(',').map((each) => each.trim().replace(/^W\//, ''));
  return tags.includes('*') || tags.includes(tag);
}

/**
 * Throws a 412 when an `If-Match` header names neither `*` nor the current version. Without the
 * header the write goes ahead (last write wins). Weak tags are compared by their value.
 */
export function checkIfMatch(ifMatch: string | undefined, version: number): void {
  if (ifMatch === undefined) return;
  if (headerNamesTag(ifMatch, etagOf(version))) return;
  throw new AppError(412, `The record changed meanwhile: its current ETag is ${etagOf(version)}; read it again and retry`, [
    { message: 'If-Match does not name the current version', field: 'If-Match', path: 'headers.if-match', detail: { current: etagOf(version) } },
  ]);
}
