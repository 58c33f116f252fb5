import { ORDER_DOCUMENT_TYPES } from '../../documents/index.js';

/**
 * The document upload webhooks name the file's kind with a "question path key" the integration
 * agrees on. Waybill knows the usual short keys and takes any of the contract's document types
 * as a key of its own.
 */
const KEY_TYPES: Record<string, string> = {
  POD: 'PROOF_OF_DELIVERY',
  POD_SIGNED: 'PROOF_OF_DELIVERY_SIGNED',
  POP: 'PROOF_OF_PICKUP',
  PHOTO: 'PHOTO_OF_GOODS_DELIVERY',
  SIGNATURE: 'CONSIGNEE_SIGNATURE',
};
const TYPES: ReadonlySet<string> = new Set(ORDER_DOCUMENT_TYPES);

/** The document type a question path key stands for; undefined for an unknown key. */
export function documentTypeOfKey(key: string): string | undefined {
  const upper = key.toUpperCase();
  return KEY_TYPES[upper] ?? (TYPES.has(upper) ? upper : undefined);
}

/**
 * The stored file name: the sender's `Content-Disposition` name with the key before its extension
 * (`cmr.pdf` + POD → `cmr_POD.pdf`), or the key alone when no name was sent.
 */
export function keyedFilename(disposition: string | undefined, key: string): string {
  const quoted = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i)?.[1];
  let name: string | undefined;
  try {
    name = quoted ? decodeURIComponent(quoted).split(/[/\\]/).pop() : undefined;
  } catch {
    name = quoted;
  }
  if (!name) return key;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}_${key}${name.slice(dot)}` : `${name}_${key}`;
}
