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
 * (anything without the `sealed:v1:` prefix is returned unchanged), and are sealed when next written.
 */
export class CredentialBox {
  constructor(private readonly key: Buffer | undefined) {
    if (key && key.length !== 32) throw new Error('the credentials key must be 32 bytes');
  }

  seal(value: string): string {
    if (!this.key) return value;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const encrypted = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), encrypted]).toString('base64');
  }

  /** The plain value; throws CredentialUnreadableError when it was sealed under another key (or none is set). */
  open(value: string): string {
    if (!value.startsWith(PREFIX)) return value;
    if (!this.key) throw new CredentialUnreadableError('a stored credential is encrypted, but WAYBILL_CREDENTIALS_KEY is not set');
    const raw = Buffer.from(value.slice(PREFIX.length), 'base64');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw new CredentialUnreadableError('a stored credential cannot be decrypted with WAYBILL_CREDENTIALS_KEY (was the key changed?)');
    }
  }
}
