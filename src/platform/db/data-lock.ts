import fs from 'node:fs';
import path from 'node:path';
import { hasErrorCode } from '../narrow.js';

export class DataFolderLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `The data folder ${dataDir} is in use by another Waybill process (pid ${pid}). ` +
        'PGlite allows one process per folder: stop that process, or use its admin API ' +
        '(/v1/admin/api-clients) instead, or point WAYBILL_DATA_DIR elsewhere.',
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return hasErrorCode(err, 'EPERM');
  }
}

const lockFile = (dataDir: string) => path.join(dataDir, 'waybill.lock');

/** The pid of another live process holding the data folder's lock, if one does. */
export function lockHolder(dataDir: string): number | undefined {
  let holder: number;
  try {
    holder = Number(fs.readFileSync(lockFile(dataDir), 'utf8').trim());
  } catch {
    return undefined;
  }
  return Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder) ? holder : undefined;
}

/**
 * PGlite has no lock of its own: two processes on one folder silently lose rows. We create
 * `waybill.lock` exclusively and write our pid; a lock left by a dead process is taken over.
 * Returns the release function.
 */
export function lockDataFolder(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = lockFile(dataDir);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.once('exit', release);
      return release;
    } catch (err) {
      if (!hasErrorCode(err, 'EEXIST')) throw err;
      const holder = lockHolder(dataDir);
      if (holder !== undefined) throw new DataFolderLockedError(dataDir, holder);
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Could not take the lock on ${lockPath}`);
}
