export type Role = 'TENANT' | 'CUSTOMER' | 'SUBCONTRACTOR';
export type ClientKind = 'API' | 'WEBHOOK';

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
}

export type AuthMode = 'bearer' | 'basic' | 'none';

/** Verifies credentials; implemented by the auth module and handed to the HTTP layer. */
export interface Authenticator {
  verifyBearer(token: string): Promise<Principal>;
  verifyBasic(clientId: string, secret: string): Promise<Principal>;
}
