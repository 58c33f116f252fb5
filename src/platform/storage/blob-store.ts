import type { Readable } from 'node:stream';

/** What a stored blob is known by: its content hash (the address) and its length. */
export interface StoredBlob {
  sha256: string;
  size: number;
}

/**
 * Content-addressed storage for document bytes. Rows in the database point at blobs by SHA-256,
 * so identical files are kept once and a blob, once written, never changes. The filesystem
 * implementation lives in `file-blob-store.ts`; an S3-compatible one only has to honour this
 * interface (put with a size limit, read as a stream, sweep what nothing references).
 */
export interface BlobStore {
  /**
   * Consumes `source` completely and stores it. Rejects with `BlobTooLargeError` (and stores
   * nothing) as soon as more than `maxBytes` arrive, so a caller never keeps a cut-off file.
   */
  put(source: Readable, options: { maxBytes: number }): Promise<StoredBlob>;
  /** A stream of the blob's bytes, or undefined when no blob has that hash. */
  open(sha256: string): Promise<Readable | undefined>;
  /**
   * Removes blobs last written before `olderThan` that `referenced` does not claim, and temp files
   * abandoned before then. A blob written again meanwhile (same content) is kept, so a sweep can
   * run beside uploads.
   */
  sweep(options: { olderThan: Date; referenced: (sha256s: string[]) => Promise<Set<string>> }): Promise<{ removed: number }>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The content is larger than the limit of ${maxBytes} bytes`);
  }
}

/** The source stream failed (a client aborted or sent a malformed body); nothing was stored. */
export class BlobSourceError extends Error {
  constructor(readonly reason: unknown) {
    super(`Reading the content failed: ${reason instanceof Error ? reason.message : String(reason)}`);
  }
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
