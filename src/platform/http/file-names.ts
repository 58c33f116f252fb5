/**
 * Pure rules for the names, media types and encodings that arrive with a file. They come from
 * outside (multipart part headers, query strings, JSON) and names go back out in a
 * Content-Disposition header, so they are cleaned once on the way in and encoded carefully on
 * the way out.
 */

const MAX_FILENAME = 255;
const FALLBACK_FILENAME = 'document';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// A lone UTF-16 surrogate cannot be percent-encoded (encodeURIComponent throws) or stored as UTF-8.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A display name: control characters dropped, at most 255 characters; undefined when nothing is left. */
export function cleanName(raw: string | undefined | null): string | undefined {
  const cleaned = (raw ?? '').replace(CONTROL, '').replace(LONE_SURROGATE, '\ufffd').trim();
  return cleaned === '' ? undefined : Array.from(cleaned).slice(0, MAX_FILENAME).join('');
}

/** A file name: like a display name, and without any directory part; never empty. */
export function cleanFilename(raw: string | undefined | null): string {
  const cleaned = cleanName((raw ?? '').split(/[/\\]/).pop());
  return cleaned === undefined || cleaned === '.' || cleaned === '..' ? FALLBACK_FILENAME : cleaned;
}

const TOKEN = '[a-z0-9!#$&^_.+-]{1,127}';
const MEDIA_TYPE = new RegExp(`^(${TOKEN})/(${TOKEN})$`);
const CHARSET = /^[a-z0-9_.:-]{1,40}$/;

/**
 * `type/subtype` in lower case, keeping a `charset` parameter (it matters for text); undefined
 * when the value is not a media type at all.
 */
export function normalizeContentType(raw: string | undefined | null): string | undefined {
  if (!raw) return undefined;
  const [essence = '', ...params] = raw.split(';').map((part) => part.trim().toLowerCase());
  if (!MEDIA_TYPE.test(essence)) return undefined;
  const charset = params.map((p) => p.match(/^charset\s*=\s*"?([^"]*)"?$/)?.[1]).find((value): value is string => value !== undefined && CHARSET.test(value));
  return charset ? `${essence}; charset=${charset}` : essence;
}

/**
 * RFC 6266 `attachment` with an ASCII `filename` for old clients and the exact name as RFC 8187
 * `filename*`. Nothing from the name can end the header or inject a parameter: the ASCII form
 * keeps only safe printable characters and the extended form is percent-encoded.
 */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** Media types of the file kinds transport paperwork usually comes in, by extension. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain',
  csv: 'text/csv',
  xml: 'application/xml',
  json: 'application/json',
  eml: 'message/rfc822',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The media type a file name suggests, for bodies sent without a Content-Type. */
export function contentTypeFromFilename(filename: string): string | undefined {
  const dot = filename.lastIndexOf('.');
  return dot < 0 ? undefined : BY_EXTENSION[filename.slice(dot + 1).toLowerCase()];
}

// A flat character class: a grouped repetition would overflow the regex stack on multi-megabyte input.
const BASE64_CHARS = /^[A-Za-z0-9+/]+={0,2}$/;

/** The bytes `text` encodes in standard base64 (whitespace allowed), or undefined when it is not base64. */
export function strictBase64(text: string): Buffer | undefined {
  const compact = text.replace(/\s+/g, '');
  return compact.length % 4 === 0 && BASE64_CHARS.test(compact) ? Buffer.from(compact, 'base64') : undefined;
}
