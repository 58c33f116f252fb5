import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AddressPolicy, checkReceiverUrl } from '../../src/platform/net/address-policy.js';
import { GuardedHttpClient } from '../../src/platform/net/guarded-http.js';
import { matchesEventType } from '../../src/modules/events/events.policy.js';
import { nextRetryDelayMs, parseRetryAfter } from '../../src/modules/webhooks/deliveries/deliveries.policy.js';
import { Receiver } from '../support/webhook-receiver.js';

describe('address policy', () => {
  const strict = new AddressPolicy([]);
  it('allows only public unicast addresses', () => {
    for (const ip of ['8.8.8.8', '1.1.1.1', '2001:4860:4860::8888']) expect(strict.allows(ip), ip).toBe(true);
    for (const ip of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '224.0.0.1',
      '::1',
      '::',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
      '64:ff9b::a00:1',
      'not-an-ip',
    ]) {
      expect(strict.allows(ip), ip).toBe(false);
    }
  });
  it('lets an allowlist open chosen ranges', () => {
    const policy = new AddressPolicy(['127.0.0.0/8', '10.20.0.0/16']);
    expect(policy.allows('127.0.0.5')).toBe(true);
    expect(policy.allows('::ffff:127.0.0.1')).toBe(true);
    expect(policy.allows('10.20.3.4')).toBe(true);
    expect(policy.allows('10.21.0.1')).toBe(false);
    expect(() => new AddressPolicy(['nonsense'])).toThrow(/CIDR/);
  });
  it('checks URLs, including encoded IPv4 forms and names that resolve to loopback', async () => {
    for (const url of [
      'http://127.1/',
      'http://2130706433/',
      'http://0x7f000001/',
      'http://[::1]/',
      'http://localhost/',
      'gopher://8.8.8.8/',
      'http://u:p@8.8.8.8/',
    ]) {
      await expect(checkReceiverUrl(url, strict), url).rejects.toThrow();
    }
    await expect(checkReceiverUrl('https://8.8.8.8/hook', strict)).resolves.toBeInstanceOf(URL);
  });
});

describe('guarded HTTP client at send time', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await new Receiver().start();
  });
  afterAll(() => receiver.close());

  it('refuses loopback literals and names when not allowlisted, without connecting', async () => {
    const client = new GuardedHttpClient({ policy: new AddressPolicy([]), timeoutMs: 2_000, connectionsPerOrigin: 2 });
    try {
      const literal = await client.post(receiver.url, '{}', {});
      expect(literal.statusCode).toBeUndefined();
      expect(literal.error).toMatch(/disallowed/);
      const byName = await client.post(receiver.url.replace('127.0.0.1', 'localhost'), '{}', {});
      expect(byName.statusCode).toBeUndefined();
      expect(byName.error).toMatch(/EADDRNOTALLOWED|disallowed/);
      expect(receiver.received).toHaveLength(0);
    } finally {
      await client.close();
    }
  });

  it('does not follow redirects and reads at most the cap of a large body', async () => {
    const client = new GuardedHttpClient({ policy: new AddressPolicy(['127.0.0.0/8', '::1/128']), timeoutMs: 2_000, connectionsPerOrigin: 2 });
    try {
      receiver.respond = () => ({ status: 302, headers: { location: 'http://169.254.169.254/' } });
      const redirected = await client.post(receiver.url, '{}', {});
      expect(redirected.statusCode).toBe(302);
      receiver.respond = () => ({ body: 'x'.repeat(100_000) });
      const big = await client.post(receiver.url, '{}', {});
      expect(big.statusCode).toBe(200);
      expect(big.bodyExcerpt).toHaveLength(4096);
      const byName = await client.post(receiver.url.replace('127.0.0.1', 'localhost'), '{}', {});
      expect(byName.statusCode).toBe(200);
    } finally {
      await client.close();
    }
  });
});

describe('delivery policy', () => {
  it('matches exact types and prefixes', () => {
    expect(matchesEventType([], 'order.accepted')).toBe(true);
    expect(matchesEventType(['order.*'], 'order.accepted')).toBe(true);
    expect(matchesEventType(['order.*'], 'orders.accepted')).toBe(false);
    expect(matchesEventType(['order.accepted'], 'order.accepted')).toBe(true);
    expect(matchesEventType(['order.accepted'], 'order.cancelled')).toBe(false);
  });
  it('reads Retry-After as seconds or a date, and caps it', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('999999999', now)).toBe(86_400);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
  it('follows the schedule with up to 10% jitter, honours Retry-After, and ends', () => {
    const schedule = [0, 5, 300];
    expect(nextRetryDelayMs(schedule, 1, undefined, () => 0)).toBe(5_000);
    expect(nextRetryDelayMs(schedule, 1, undefined, () => 0.999)).toBeLessThanOrEqual(5_500);
    expect(nextRetryDelayMs(schedule, 2, undefined, () => 0)).toBe(300_000);
    expect(nextRetryDelayMs(schedule, 1, 60, () => 0)).toBe(60_000);
    expect(nextRetryDelayMs(schedule, 3, undefined)).toBeUndefined();
  });
});
