/** One entry of the contract's 400 envelope (`ValidationErrorDetail`). */
export interface ErrorDetail {
  message: string;
  field: string | null;
  path: string | null;
  detail: string | Record<string, unknown> | null;
}

/**
 * What went wrong, in domain terms: services branch on this, never on the HTTP status that the
 * error handler derives from it.
 */
export type ErrorCode =
  'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'conflict' | 'too_large' | 'unsupported_media_type' | 'rate_limited' | 'failed';

const CODE_OF_STATUS: Record<number, ErrorCode> = {
  400: 'invalid',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * An error a service throws on purpose. The error handler turns it into the contract's envelope
 * `{message, errors[]}` with this status; nothing else about it reaches the client.
 */
export class AppError extends Error {
  readonly errors: ErrorDetail[];
  readonly code: ErrorCode;

  constructor(
    readonly statusCode: number,
    message: string,
    errors: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.code = CODE_OF_STATUS[statusCode] ?? (statusCode < 500 ? 'invalid' : 'failed');
    this.errors = errors.length ? errors : [{ message, field: null, path: null, detail: null }];
  }
}

/** Whether `err` is an AppError with this code: `isAppError(err, 'not_found')`. */
export function isAppError(err: unknown, code: ErrorCode): err is AppError {
  return err instanceof AppError && err.code === code;
}

export function detail(message: string, field: string | null = null, path: string | null = field): ErrorDetail {
  return { message, field, path, detail: null };
}

export const badRequest = (message: string, errors: ErrorDetail[] = []) => new AppError(400, message, errors);
export const unauthorized = (message = 'Missing or invalid credentials') => new AppError(401, message, [], { 'www-authenticate': 'Bearer' });
export const forbidden = (message = 'This client is not allowed to do that') => new AppError(403, message);
export const notFound = (what = 'Resource') => new AppError(404, `${what} not found`);
export const conflict = (message: string, errors: ErrorDetail[] = []) => new AppError(409, message, errors);
export const payloadTooLarge = (message: string) => new AppError(413, message);
export const unsupportedMediaType = (message: string) => new AppError(415, message);

/** The multipart parser's own errors keep their meaning; anything else it throws means a malformed body. */
export function multipartError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : 'malformed multipart body';
  if ((err as { statusCode?: number }).statusCode === 413) return payloadTooLarge(`The multipart body is too large: ${message}`);
  return badRequest(`The multipart body could not be read: ${message}`);
}
