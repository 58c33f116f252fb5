import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MIGRATIONS_DIR } from './migrate.js';
import { hasErrorCode } from '../narrow.js';

/**
 * A new PGlite database costs an `initdb` inside WebAssembly: about 10 s and 850 MB of memory on
 * the development machines, most of a first start. `npm install` (scripts/build.mjs) therefore
 * creates one migrated, cleanly closed PGlite folder under dist/, and a first start copies it into
 * the empty data folder (a file copy and a normal open: about the cost of a restart). The
 * migrations added since the template was built then apply on top of it, as on any restart.
 *
 * The template is used only when it still describes this installation: the same PGlite version,
 * and every migration it holds still present with the same content. Anything else (an edited
 * migration, another PGlite) falls back to `initdb`, which is slower but never wrong.
 */

/** dist/pglite-template, from src/platform/db (tsx) and dist/platform/db (compiled) alike. */
export const TEMPLATE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/pglite-template');
const MANIFEST = 'manifest.json';

interface Manifest {
  pglite: string;
  /** Migration file name → sha256 of its content, for every migration applied in the template. */
  migrations: Record<string, string>;
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

function pgliteVersion(): string {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  // …/node_modules/@electric-sql/pglite/dist/index.js → its package.json.
  const manifest = path.join(entry.slice(0, entry.lastIndexOf(`${path.sep}dist${path.sep}`)), 'package.json');
  return (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The template's manifest when the template fits this installation, else undefined. */
function usableTemplate(templateDir: string): Manifest | undefined {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(fs.readFileSync(path.join(templateDir, MANIFEST), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
  if (manifest.pglite !== pgliteVersion()) return undefined;
  for (const [name, hash] of Object.entries(manifest.migrations)) {
    const file = path.join(MIGRATIONS_DIR, name);
    if (!fs.existsSync(file) || sha256(file) !== hash) return undefined;
  }
  return fs.existsSync(path.join(templateDir, 'pglite', 'PG_VERSION')) ? manifest : undefined;
}

function isEmptyOrMissing(dir: string): boolean {
  try {
    return fs.readdirSync(dir).length === 0;
  } catch (err) {
    if (hasErrorCode(err, 'ENOENT')) return true;
    throw err;
  }
}

/**
 * Fills an empty or missing PGlite folder from the template. Returns whether it did; the caller
 * holds the data folder's lock, and the copy lands under a temporary name first, so a crash
 * midway leaves no half database that would later pass for a real one.
 */
export function seedFromTemplate(pgliteDir: string, templateDir = TEMPLATE_DIR): boolean {
  if (!isEmptyOrMissing(pgliteDir) || !usableTemplate(templateDir)) return false;
  // Copies a crashed start left behind go first (the data folder's lock says no one else copies now).
  const parent = path.dirname(pgliteDir);
  const prefix = `${path.basename(pgliteDir)}.seeding-`;
  for (const name of fs.existsSync(parent) ? fs.readdirSync(parent) : []) {
    if (name.startsWith(prefix)) fs.rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  const partial = `${pgliteDir}.seeding-${process.pid}`;
  fs.cpSync(path.join(templateDir, 'pglite'), partial, { recursive: true });
  fs.rmSync(pgliteDir, { recursive: true, force: true });
  fs.renameSync(partial, pgliteDir);
  return true;
}

/**
 * Build step: `templateDir` becomes a Waybill data folder holding a migrated database, plus the
 * manifest. `create` opens a data folder and migrates it, returning every migration the database
 * then holds (passed in, so that this file imports no driver).
 */
export async function buildTemplate(create: (dataDir: string) => Promise<string[]>, templateDir = TEMPLATE_DIR): Promise<void> {
  fs.rmSync(templateDir, { recursive: true, force: true });
  const applied = await create(templateDir);
  const manifest: Manifest = {
    pglite: pgliteVersion(),
    migrations: Object.fromEntries(applied.map((name) => [name, sha256(path.join(MIGRATIONS_DIR, name))])),
  };
  // Written last: a template without its manifest is never used.
  fs.writeFileSync(path.join(templateDir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
}
