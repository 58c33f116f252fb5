/**
 * The contract's document answers (`question_answers` whose value is `{remote_document}` or
 * `{embedded_document}`, or a list of them): how orders' partial updates and trips' status intake
 * both read the files they carry, before handing them to `attachToOrder`.
 */
import type { AttachSource } from './documents.service.js';

/** Why a document answer cannot be read; callers report it as their own rejection. */
export class DocumentAnswerError extends Error {
  constructor(
    message: string,
    readonly errorType: 'USER_INPUT_ERROR' | 'NOT_SUPPORTED' = 'USER_INPUT_ERROR',
  ) {
    super(message);
  }
}

/** A document answer: one `{remote_document}` or `{embedded_document}` item, or a list of them. */
export function isDocumentAnswer(answer: unknown): boolean {
  const items = Array.isArray(answer) ? answer : [answer];
  return items.length > 0 && items.every((i) => i && typeof i === 'object' && ('remote_document' in i || 'embedded_document' in i));
}

/** One file of a document answer: its document type and where its content comes from. */
export interface DocumentAnswerFile {
  type: string;
  source: AttachSource;
}

/** A document answer: `{remote_document: {upload_id}}` or `{embedded_document: {...}}`, or a list of them, each optionally typed. */
export function documentSources(path: string, answer: unknown): DocumentAnswerFile[] {
  if (!isDocumentAnswer(answer)) {
    throw new DocumentAnswerError(`question "${path}": only document answers (remote_document or embedded_document) are supported`, 'NOT_SUPPORTED');
  }
  // The question path names the document type unless the item says otherwise: `documents/PROOF_OF_DELIVERY`.
  const fallbackType = (path.split(/[/.]/).at(-1) ?? path).toUpperCase();
  const items = (Array.isArray(answer) ? answer : [answer]) as Array<Record<string, unknown>>;
  return items.map((item) => {
    const remote = item.remote_document as { upload_id?: unknown } | undefined;
    const embedded = item.embedded_document as { content?: unknown; content_type?: unknown; filename?: unknown } | undefined;
    const type = typeof item.document_type === 'string' ? item.document_type : fallbackType;
    if (remote) {
      if (typeof remote.upload_id !== 'string') throw new DocumentAnswerError(`question "${path}": remote_document needs an upload_id`);
      return { type, source: { uploadId: remote.upload_id } };
    }
    const e = embedded ?? {};
    if (typeof e.content !== 'string' || typeof e.content_type !== 'string' || typeof e.filename !== 'string') {
      throw new DocumentAnswerError(`question "${path}": embedded_document needs content, content_type and filename`);
    }
    return { type, source: { embedded: { content: e.content, content_type: e.content_type, filename: e.filename } } };
  });
}
