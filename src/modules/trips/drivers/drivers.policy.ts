import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

/**
 * Driver links, pure rules: the secrets they are made of, how long they live and how many wrong
 * PINs they take. A link needs both its token (256 random bits, in the URL's fragment) and its
 * PIN (told apart, by phone or on paper), so a forwarded or leaked URL alone opens nothing.
 */
export const DRIVER_LINK = {
  /** Wrong PINs before the link locks for good (the sharer makes a new one). */
  maxPinFailures: 5,
  defaultHours: 24,
  maxHours: 168,
  pinDigits: 6,
} as const;

/** The access token a driver's phone holds after the PIN; `drv_` tells it apart from an API client's JWT. */
export const ACCESS_PREFIX = 'drv_';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, length: number) => Promise<Buffer>;

export const newSecret = () => randomBytes(32).toString('base64url');
export const isSecret = (value: string) => TOKEN.test(value);

/** A fast hash suffices for 256-bit secrets nobody can guess: a copy of the database opens no link. */
export const hashOf = (secret: string) => createHash('sha256').update(secret).digest('hex');

export const newPin = () => String(randomInt(0, 10 ** DRIVER_LINK.pinDigits)).padStart(DRIVER_LINK.pinDigits, '0');

/** A PIN has few values: salted scrypt makes a copy of the database slow to try them on. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64url')}$${(await scryptAsync(pin, salt, 32)).toString('base64url')}`;
}

export async function pinMatches(stored: string, pin: string): Promise<boolean> {
  const [scheme, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const given = await scryptAsync(pin, Buffer.from(salt, 'base64url'), expected.length);
  return timingSafeEqual(given, expected);
}

export type DriverLinkState = 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'LOCKED';

/** Revoked wins over locked, locked over expired: the strongest reason the link no longer works. */
export function linkState(link: { revoked_at: Date | null; locked_at: Date | null; expires_at: Date }, now: Date): DriverLinkState {
  if (link.revoked_at) return 'REVOKED';
  if (link.locked_at) return 'LOCKED';
  return link.expires_at.getTime() <= now.getTime() ? 'EXPIRED' : 'ACTIVE';
}
