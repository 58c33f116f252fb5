import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobSourceError, BlobTooLargeError, SHA256_HEX, type BlobStore, type StoredBlob } from './blob-store.js';
import { hasErrorCode } from '../narrow.js';

/**
 * Blobs as files under `root`: `<root>/<first two hex digits>/<sha256>`. A write goes to
 * `<root>/tmp/<random>`, is fsynced, then renamed into place, and the directory is fsynced: a
 * crash leaves either the whole blob under its name or nothing (at worst a stray temp file), and
 * readers never see a half-written blob. Renaming over an existing blob is harmless because the
 * name is the content.
 */
export function createFileBlobStore(root: string): BlobStore {
  const tmpDir = path.join(root, 'tmp');
  // Blobs a sweep is deciding about; apart from tmp/ so that a temp-file sweep never takes one.
  const trashDir = path.join(root, 'trash');
  const madeDirs = new Set<string>();

  async function ensureDir(dir: string) {
    if (madeDirs.has(dir)) return;
    await fs.mkdir(dir, { recursive: true });
    madeDirs.add(dir);
  }

  async function fsyncDir(dir: string) {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }

  async function put(source: Readable, options: { maxBytes: number }): Promise<StoredBlob> {
    // pipeline() destroys every stream with the first error, so only the first failure says where
    // it started (the source may have failed before it was handed over). The listener also keeps a
    // source error raised before pipeline() starts from going unhandled.
    let firstFailure: 'source' | 'store' | undefined = source.errored || source.destroyed ? 'source' : undefined;
    source.on('error', () => (firstFailure ??= 'source'));
    await ensureDir(tmpDir);
    const tmpPath = path.join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    let size = 0;
    // Counting before writing lets an oversized upload fail at the first byte past the limit
    // instead of after the whole body has been spooled to disk.
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > options.maxBytes) return callback(new BlobTooLargeError(options.maxBytes));
        hash.update(chunk);
        callback(null, chunk);
      },
    });
    meter.once('error', () => (firstFailure ??= 'store'));
    // `flush` fsyncs the temp file before it is closed, so the rename below publishes durable bytes.
    const writer = createWriteStream(tmpPath, { flags: 'wx', mode: 0o640, flush: true });
    writer.once('error', () => (firstFailure ??= 'store'));
    try {
      try {
        await pipeline(source, meter, writer);
      } catch (err) {
        const closedEarly = firstFailure === undefined && hasErrorCode(err, 'ERR_STREAM_PREMATURE_CLOSE');
        if (firstFailure === 'source' || closedEarly) throw new BlobSourceError(err);
        throw err;
      }
      const sha256 = hash.digest('hex');
      const dir = path.join(root, sha256.slice(0, 2));
      await ensureDir(dir);
      await fs.rename(tmpPath, path.join(dir, sha256));
      await fsyncDir(dir);
      return { sha256, size };
    } catch (err) {
      // The writer may still be opening the temp file; removing it before then would leave it behind.
      // (events.once would reject on the writer's own copy of the error and skip the cleanup.)
      if (!writer.closed) await new Promise<void>((resolve) => writer.once('close', () => resolve()));
      await fs.rm(tmpPath, { force: true });
      throw err;
    }
  }

  /**
   * Takes an unreferenced blob out of its place, then looks again: a put of the same content in
   * the meantime renames a freshly written file there (new mtime), and a reference may have been
   * committed. Either way the blob goes back; otherwise it is deleted.
   */
  async function removeIfStillOrphan(dir: string, sha256: string, olderThan: Date, referenced: (sha256s: string[]) => Promise<Set<string>>): Promise<boolean> {
    const home = path.join(dir, sha256);
    const trashed = path.join(trashDir, `${sha256}-${randomUUID()}`);
    try {
      await fs.rename(home, trashed);
    } catch (err) {
      if (hasErrorCode(err, 'ENOENT')) return false;
      throw err;
    }
    const { mtime } = await fs.stat(trashed);
    if (mtime >= olderThan || (await referenced([sha256])).has(sha256)) {
      await fs.rename(trashed, home);
      return false;
    }
    await fs.rm(trashed, { force: true });
    return true;
  }

  async function entriesOf(dir: string): Promise<string[]> {
    try {
      return await fs.readdir(dir);
    } catch (err) {
      if (hasErrorCode(err, 'ENOENT')) return [];
      throw err;
    }
  }

  async function writtenBefore(file: string, olderThan: Date): Promise<boolean> {
    const stat = await fs.stat(file).catch(() => undefined);
    return stat !== undefined && stat.mtime < olderThan;
  }

  return {
    put,

    async sweep({ olderThan, referenced }) {
      await ensureDir(trashDir);
      for (const name of await entriesOf(tmpDir)) {
        const file = path.join(tmpDir, name);
        if (await writtenBefore(file, olderThan)) await fs.rm(file, { force: true });
      }
      let removed = 0;
      for (const prefix of await entriesOf(root)) {
        if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
        const dir = path.join(root, prefix);
        const candidates: string[] = [];
        for (const name of await entriesOf(dir)) {
          if (SHA256_HEX.test(name) && (await writtenBefore(path.join(dir, name), olderThan))) candidates.push(name);
        }
        if (candidates.length === 0) continue;
        const inUse = await referenced(candidates);
        for (const sha256 of candidates) {
          if (!inUse.has(sha256) && (await removeIfStillOrphan(dir, sha256, olderThan, referenced))) removed++;
        }
      }
      return { removed };
    },

    async open(sha256) {
      if (!SHA256_HEX.test(sha256)) return undefined;
      try {
        const handle = await fs.open(path.join(root, sha256.slice(0, 2), sha256), 'r');
        return handle.createReadStream();
      } catch (err) {
        if (hasErrorCode(err, 'ENOENT')) return undefined;
        throw err;
      }
    },
  };
}
