/** The API's error envelope, `{message, errors: [...]}`, as every Waybill error answers it. */
export interface ErrorDetail {
  message: string;
  field?: string | null;
  path?: string | null;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: ErrorDetail[] = [],
  ) {
    super(message);
  }

  /** A network failure or a body that is not the envelope still becomes a message a person can read. */
  static from(status: number, body: unknown): ApiError {
    if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string') {
      const { message, errors } = body as { message: string; errors?: unknown };
      return new ApiError(status, message, Array.isArray(errors) ? (errors as ErrorDetail[]) : []);
    }
    return new ApiError(status, `HTTP ${status}`);
  }
}

export const isApiError = (err: unknown, status?: number): err is ApiError => err instanceof ApiError && (status === undefined || err.status === status);
