import { describe, expect, it } from 'vitest';
import { createFileCache } from '../../src/modules/accounting/documents/file-cache.policy.js';

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);

describe('the in-memory copy of downloaded files', () => {
  it('answers what it kept, and nothing for what it did not', () => {
    const cache = createFileCache({ maxBytes: 100, maxEntryBytes: 50 });
    cache.set('a', bytes(10));
    expect(cache.get('a')?.equals(bytes(10))).toBe(true);
    expect(cache.get('b')).toBeUndefined();
  });

  it('keeps no file larger than the per-file bound', () => {
    const cache = createFileCache({ maxBytes: 100, maxEntryBytes: 50 });
    cache.set('big', bytes(51));
    expect(cache.get('big')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('stays within its total by dropping the least recently used first', () => {
    const cache = createFileCache({ maxBytes: 100, maxEntryBytes: 50 });
    cache.set('a', bytes(40, 1));
    cache.set('b', bytes(40, 2));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('c', bytes(40, 3)); // 120 > 100: b goes
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.[0]).toBe(1);
    expect(cache.get('c')?.[0]).toBe(3);
    expect(cache.size).toBe(80);
  });

  it('counts a file set twice once', () => {
    const cache = createFileCache({ maxBytes: 100, maxEntryBytes: 50 });
    cache.set('a', bytes(30));
    cache.set('a', bytes(30));
    expect(cache.size).toBe(30);
  });
});
