export type Role = 'TENANT' | 'CUSTOMER' | 'SUBCONTRACTOR';
export const CLIENT_KINDS = ['API', 'WEBHOOK'] as const;
export type ClientKind = (typeof CLIENT_KINDS)[number];

/** Who is calling: resolved from a Bearer token or Basic webhook credentials on every request. */
export interface Principal {
  tenantId: string;
  /** The API client's row id (uuid). */
  apiClientId: string;
  /** The public client_id the caller authenticated with. */
  clientId: string;
  role: Role;
  kind: ClientKind;
  /** The customer or subcontractor company a CUSTOMER/SUBCONTRACTOR client is bound to. */
  companyId: string | null;
  /** The client's or the person's name, recorded as the actor of the events it appends. */
  name?: string;
  /** Set when a person signed in with a session cookie (their own hidden API client is apiClientId). */
  userId?: string;
  /**
   * Set for a driver who opened a one-trip link with its PIN: the only trip this caller may read
   * and report on. Routes refuse such a caller unless they are marked `driver: true`. A driver acts
   * in the name of whoever shared the link (`apiClientId`), with idempotency keys of its own.
   */
  driver?: { tripId: string; linkId: string };
}

export type AuthMode = 'bearer' | 'basic' | 'none';

/** Verifies credentials; implemented by the auth module and handed to the HTTP layer. */
export interface Authenticator {
  verifyBearer(token: string): Promise<Principal>;
  verifyBasic(clientId: string, secret: string): Promise<Principal>;
  /**
   * Resolves a session cookie's value to the signed-in person (implemented by the people module);
   * `csrfToken` is what state-changing requests must send as `X-CSRF-Token`. Without it, sessions
   * are simply not accepted.
   */
  verifySession?(token: string): Promise<{ principal: Principal; csrfToken: string }>;
  /** Resolves a driver link's access token (`drv_…`, sent as a Bearer token) to its one-trip principal. */
  verifyDriver?(token: string): Promise<Principal>;
}

/** The cookie that carries a person's session. */
export const SESSION_COOKIE = 'waybill_session';
