import { createHmac, randomBytes } from 'node:crypto';

/** A Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** Decoded secrets: every message to an endpoint is signed with the same few, so each is decoded once. */
const keys = new Map<string, Buffer>();
function keyOf(secret: string): Buffer {
  let key = keys.get(secret);
  if (!key) {
    key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    if (keys.size >= 1_000) keys.clear(); // rotated secrets do not pile up
    keys.set(secret, key);
  }
  return key;
}

/** Standard Webhooks `v1` signature: HMAC-SHA256 over `id.timestamp.body`, keyed by the secret's bytes. */
function sign(secret: string, messageId: string, timestampSeconds: number, body: string): string {
  const key = keyOf(secret);
  return `v1,${createHmac('sha256', key).update(`${messageId}.${timestampSeconds}.${body}`).digest('base64')}`;
}

/**
 * The Standard Webhooks headers for one attempt. Several secrets (during a rotation overlap) give
 * space-separated signatures, so a receiver holding either the old or the new secret verifies.
 */
export function signedHeaders(messageId: string, timestamp: Date, body: string, secrets: readonly string[]): Record<string, string> {
  const seconds = Math.floor(timestamp.getTime() / 1000);
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets.map((secret) => sign(secret, messageId, seconds, body)).join(' '),
  };
}
