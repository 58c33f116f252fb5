import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const PREFIX = 'sealed:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class CredentialUnreadableError extends Error {}

/**
 * Encrypts credentials Waybill must keep in order to use them later (a receiver's signing secret,
 * its Basic password, header values), with AES-256-GCM under a key given to the process, never
 * stored in the database: a copy of the database alone does not reveal them.
 *
 * Without a key, values are kept as they are. Values written before a key was set stay readable
 * (anything without the `sealed:v1:` prefix is returned unchanged), and are sealed when next written
 * or by `waybill credentials seal`.
 */
export class CredentialBox {
  /**
   * `previousKey` opens values sealed before a key change, until `waybill credentials seal` has
   * sealed them again under `key`.
   */
  constructor(
    private readonly key: Buffer | undefined,
    private readonly previousKey?: Buffer,
  ) {
    for (const k of [key, previousKey]) if (k && k.length !== 32) throw new Error('a credentials key must be 32 bytes');
  }

  seal(value: string): string {
    if (!this.key) return value;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const encrypted = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
  }

  /** The plain value; throws CredentialUnreadableError when no configured key sealed it. */
  open(value: string): string {
    const opened = this.tryOpen(value);
    if (!opened) throw this.unreadable();
    return opened.value;
  }

  /**
   * The value sealed under the current key, or undefined when it already is (or no key is set):
   * what `waybill credentials seal` writes back. Throws like `open` for a value it cannot read.
   */
  resealed(value: string): string | undefined {
    if (!this.key) return undefined;
    const opened = this.tryOpen(value);
    if (!opened) throw this.unreadable();
    return opened.by === this.key ? undefined : this.seal(opened.value);
  }

  private unreadable(): CredentialUnreadableError {
    return new CredentialUnreadableError(
      this.key
        ? 'a stored credential cannot be decrypted with WAYBILL_CREDENTIALS_KEY (was the key changed?)'
        : 'a stored credential is encrypted, but WAYBILL_CREDENTIALS_KEY is not set',
    );
  }

  private tryOpen(value: string): { value: string; by: Buffer | undefined } | undefined {
    if (!value.startsWith(PREFIX)) return { value, by: undefined };
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
    for (const key of [this.key, this.previousKey]) {
      if (!key) continue;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return { value: Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8'), by: key };
      } catch {
        // sealed under another key: try the next one
      }
    }
    return undefined;
  }
}
