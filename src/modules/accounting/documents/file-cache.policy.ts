/**
 * What the download path keeps in memory: the bytes of recently downloaded files, by SHA-256. A
 * blob never changes (its name is its content), so a kept copy cannot go stale, and who may read
 * it is still decided by the file's row, read first on every download. Bounded in all and per
 * file; the least recently used goes first. An issued PDF is some tens of KB, its UBL a few.
 */
export const FILE_CACHE = { maxBytes: 32 * 1024 * 1024, maxEntryBytes: 512 * 1024 };

export interface FileCache {
  get(sha256: string): Buffer | undefined;
  /** Keeps the bytes if they fit the per-file bound, evicting the least recently used past the total. */
  set(sha256: string, bytes: Buffer): void;
  readonly size: number;
}

export function createFileCache(limits: { maxBytes: number; maxEntryBytes: number } = FILE_CACHE): FileCache {
  // A Map iterates in insertion order: re-inserting on each hit keeps the least recent first.
  const entries = new Map<string, Buffer>();
  let total = 0;
  return {
    get(sha256) {
      const hit = entries.get(sha256);
      if (hit) {
        entries.delete(sha256);
        entries.set(sha256, hit);
      }
      return hit;
    },
    set(sha256, bytes) {
      if (bytes.length > limits.maxEntryBytes || entries.has(sha256)) return;
      entries.set(sha256, bytes);
      total += bytes.length;
      for (const [key, value] of entries) {
        if (total <= limits.maxBytes) break;
        entries.delete(key);
        total -= value.length;
      }
    },
    get size() {
      return total;
    },
  };
}
