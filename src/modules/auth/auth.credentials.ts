import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets are server-generated with 256 bits of entropy, so a fast keyed hash is enough:
 * HMAC-SHA256 with a server-side pepper. A slow password KDF here would make every Basic-auth
 * webhook call CPU-bound without adding protection to secrets nobody can guess.
 */
export const newClientId = () => `wb_${randomBytes(12).toString('hex')}`;
export const newClientSecret = () => `wbs_${randomBytes(32).toString('base64url')}`;

export function hashSecret(pepper: Buffer, secret: string): string {
  return createHmac('sha256', pepper).update(secret).digest('hex');
}

export function secretMatches(pepper: Buffer, secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(pepper, secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
