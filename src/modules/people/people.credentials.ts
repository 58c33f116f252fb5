import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { isUuid } from '../../platform/http/schemas.js';

/**
 * Session and invite tokens: `<tenant_id>.<secret>`, the secret 256 random bits. The tenant part
 * lets the row be found under its tenant-leading key; only the secret's SHA-256 is stored (a fast
 * hash suffices for secrets nobody can guess), so a copy of the database signs nobody in.
 */
export function newToken(tenantId: string): { token: string; hash: string } {
  const secret = randomBytes(32).toString('base64url');
  return { token: `${tenantId}.${secret}`, hash: hashOf(secret) };
}

export function parseToken(token: string): { tenantId: string; hash: string; secret: string } | undefined {
  if (token.length > 200) return undefined;
  const dot = token.indexOf('.');
  const tenantId = token.slice(0, dot);
  const secret = token.slice(dot + 1);
  if (dot < 0 || !isUuid(tenantId) || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { tenantId: tenantId.toLowerCase(), hash: hashOf(secret), secret };
}

const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

/**
 * The CSRF token of a session, derived from its secret with a server key: nothing more to store,
 * the same in every process, and unknowable to a page that cannot read the HttpOnly cookie.
 */
export function csrfTokenOf(key: Buffer, sessionSecret: string): string {
  return createHmac('sha256', key).update(`csrf:${sessionSecret}`).digest('base64url');
}

/**
 * Passwords: argon2id (@node-rs/argon2, its defaults: 19 MiB, 2 passes), hashed off the event loop
 * on libuv's thread pool. A password is chosen by a person, so here a slow KDF is the point.
 */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: Algorithm.Argon2id });
}

export async function passwordMatches(storedHash: string, password: string): Promise<boolean> {
  try {
    return await verify(storedHash, password);
  } catch {
    return false;
  }
}
