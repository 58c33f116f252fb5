import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import type { Config } from '../config.js';
import { connectDatabase } from '../platform/db/connect.js';
import { lockDataFolder } from '../platform/db/data-lock.js';
import { hasErrorCode } from '../platform/narrow.js';

/**
 * `waybill backup <file>` and `waybill restore <file>` for the embedded database (PGlite): one
 * gzip file holding the database (PGlite's own dump of its folder) and every document blob.
 * Both take the data folder's lock, so they run only while no server uses the folder: a stopped
 * folder is a consistent one. On PostgreSQL use pg_dump and copy the blob folder
 * (docs/operations.md): a server-side tool sees a running database consistently, this cannot.
 *
 * The file: a first line `waybill-backup 1`, then entries, each a JSON line
 * `{"name": ..., "size": ...}` followed by exactly `size` bytes. Names are `database.tar` and
 * `blobs/<path under the blob folder>`.
 */
const MAGIC = 'waybill-backup 1\n';
const DATABASE_ENTRY = 'database.tar';
/** Blob-store folders that hold nothing committed (uploads in progress, a sweep's candidates). */
const TRANSIENT_BLOB_DIRS = new Set(['tmp', 'trash']);

export class BackupError extends Error {}

function refusePostgres(config: Config, verb: string): void {
  if (config.databaseUrl) {
    throw new BackupError(
      `waybill ${verb} is for the embedded database; with DATABASE_URL use pg_dump / pg_restore and copy the blob folder (see docs/operations.md)`,
    );
  }
}

async function blobFiles(root: string, dir = ''): Promise<string[]> {
  let entries;
  try {
    entries = await fs.readdir(path.join(root, dir), { withFileTypes: true });
  } catch (err) {
    if (hasErrorCode(err, 'ENOENT')) return [];
    throw err;
  }
  const files: string[] = [];
  for (const entry of entries) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory() && !(dir === '' && TRANSIENT_BLOB_DIRS.has(entry.name))) files.push(...(await blobFiles(root, relative)));
    else if (entry.isFile()) files.push(relative);
  }
  return files;
}

async function writeEntry(out: Writable, name: string, size: number, body: Readable | Buffer): Promise<void> {
  const header = JSON.stringify({ name, size }) + '\n';
  if (!out.write(header)) await new Promise((resolve) => out.once('drain', resolve));
  if (Buffer.isBuffer(body)) {
    if (!out.write(body)) await new Promise((resolve) => out.once('drain', resolve));
    return;
  }
  for await (const chunk of body) if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
}

/** Writes the backup of the stopped data folder to `file`; returns what it holds. */
export async function backup(config: Config, file: string): Promise<{ file: string; database_bytes: number; blobs: number }> {
  refusePostgres(config, 'backup');
  // Opening the database takes the folder's lock, held until the blobs are read too: no server
  // can start and change either meanwhile.
  const database = await connectDatabase({ dataDir: config.dataDir });
  const partial = `${file}.partial`;
  try {
    const dump = Buffer.from(await (await database.pglite!.dumpDataDir('none')).arrayBuffer());
    const blobs = await blobFiles(config.blobDir);
    const archive = new PassThrough();
    const written = pipeline(archive, createGzip(), createWriteStream(partial));
    archive.write(MAGIC);
    await writeEntry(archive, DATABASE_ENTRY, dump.length, dump);
    for (const blob of blobs) {
      const full = path.join(config.blobDir, blob);
      await writeEntry(archive, `blobs/${blob.split(path.sep).join('/')}`, (await fs.stat(full)).size, createReadStream(full));
    }
    archive.end();
    await written;
    // Renamed only when complete: a crash never leaves a truncated file under the backup's name.
    await fs.rename(partial, file);
    return { file: path.resolve(file), database_bytes: dump.length, blobs: blobs.length };
  } finally {
    await database.close();
    await fs.rm(partial, { force: true });
  }
}

/** Reads the entries of a backup file one at a time, streaming (blob folders may be large). */
async function* entries(file: string): AsyncGenerator<{ name: string; body: Buffer }> {
  // Chunks are kept as a list and joined once per entry, so a large blob is copied once, not per chunk.
  let chunks: Buffer[] = [];
  let length = 0;
  const take = (n: number): Buffer => {
    const all = Buffer.concat(chunks, length);
    chunks = n < all.length ? [all.subarray(n)] : [];
    length = all.length - n;
    return all.subarray(0, n);
  };
  let magicSeen = false;
  let pending: { name: string; size: number } | undefined;
  try {
    for await (const chunk of createReadStream(file).pipe(createGunzip())) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      for (;;) {
        if (!magicSeen) {
          if (length < MAGIC.length) break;
          if (take(MAGIC.length).toString() !== MAGIC) throw new BackupError(`${file} is not a Waybill backup`);
          magicSeen = true;
        }
        if (!pending) {
          const newline = Buffer.concat(chunks, length).indexOf(0x0a);
          if (newline < 0) break;
          pending = JSON.parse(take(newline + 1).toString()) as { name: string; size: number };
        }
        if (length < pending.size) break;
        yield { name: pending.name, body: take(pending.size) };
        pending = undefined;
      }
    }
  } catch (err) {
    // zlib's errors (Z_DATA_ERROR, Z_BUF_ERROR) mean the file is not, or no longer, what backup wrote.
    if ((err as NodeJS.ErrnoException).code?.startsWith('Z_')) throw new BackupError(`${file} is not a Waybill backup, or it is damaged`);
    throw err;
  }
  if (!magicSeen || pending || length) throw new BackupError(`${file} is truncated`);
}

async function isEmptyOrMissing(dir: string, ignore: string[] = []): Promise<boolean> {
  try {
    return (await fs.readdir(dir)).every((name) => ignore.includes(name));
  } catch (err) {
    if (hasErrorCode(err, 'ENOENT')) return true;
    throw err;
  }
}

/** Restores a backup into an empty data folder (and blob folder); returns what it restored. */
export async function restore(config: Config, file: string): Promise<{ data_dir: string; blobs: number }> {
  refusePostgres(config, 'restore');
  await fs.access(file).catch(() => {
    throw new BackupError(`No backup file ${file}`);
  });
  const pgliteDir = path.join(config.dataDir, 'pglite');
  if (!(await isEmptyOrMissing(pgliteDir)) || !(await isEmptyOrMissing(config.blobDir))) {
    throw new BackupError(`Restore into an empty data folder: ${config.dataDir} already holds a database or blobs (move it away first)`);
  }
  let blobs = 0;
  let restoredDatabase = false;
  const release = lockDataFolder(config.dataDir);
  try {
    for await (const entry of entries(file)) {
      if (entry.name === DATABASE_ENTRY) {
        // PGlite unpacks its own dump into the folder.
        const { PGlite } = await import('@electric-sql/pglite');
        const pglite = await PGlite.create({ dataDir: pgliteDir, loadDataDir: new Blob([new Uint8Array(entry.body)]) });
        await pglite.close();
        restoredDatabase = true;
      } else if (entry.name.startsWith('blobs/')) {
        const relative = path.normalize(entry.name.slice('blobs/'.length));
        if (relative.startsWith('..') || path.isAbsolute(relative)) throw new BackupError(`Unsafe name in backup: ${entry.name}`);
        const target = path.join(config.blobDir, relative);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, entry.body);
        blobs++;
      }
    }
  } finally {
    release();
  }
  if (!restoredDatabase) throw new BackupError(`${file} holds no database`);
  return { data_dir: config.dataDir, blobs };
}

/** `waybill backup <file>` / `waybill restore <file>`: the result to print, or a BackupError for the user. */
export function runBackupCommand(command: 'backup' | 'restore', config: Config, file: string) {
  return command === 'backup' ? backup(config, file) : restore(config, file);
}
