#!/usr/bin/env node
// Compiles src/ into dist/ (run by `npm install` through the `prepare` script, and by
// `npm run build`). bin/waybill.mjs runs dist/ when dist/.built is newer than every source file.
// An install without dev dependencies has no compiler: it says so, and the sources run through tsx.
// It then builds dist/pglite-template: a migrated PGlite folder that a first start copies instead
// of running PGlite's initdb (src/platform/db/pglite-template.ts), and the console's single-page app
// into dist/web (scripts/web-build.mjs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const root = new URL('../', import.meta.url);
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.warn('waybill build: typescript is not installed (no dev dependencies); `npm start` will run the sources through tsx.');
  process.exit(0);
}
fs.rmSync(new URL('dist/', root), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
await buildPgliteTemplate();
await buildConsole();
fs.writeFileSync(new URL('dist/.built', root), `${new Date().toISOString()}\n`);

/** The operators' console (web/) into dist/web/, served at /app (src/platform/http/console.ts). */
async function buildConsole() {
  const { buildWeb } = await import('./web-build.mjs');
  await buildWeb();
}

/** Without the template everything still works (a first start runs initdb): warn, do not fail the install. */
async function buildPgliteTemplate() {
  try {
    const { connectDatabase } = await import(new URL('dist/platform/db/connect.js', root).href);
    const { migrate } = await import(new URL('dist/platform/db/migrate.js', root).href);
    const { buildTemplate } = await import(new URL('dist/platform/db/pglite-template.js', root).href);
    await buildTemplate(async (dataDir) => {
      const database = await connectDatabase({ dataDir });
      try {
        await migrate(database.db);
        const { rows } = await database.pglite.query('select name from schema_migrations order by name');
        return rows.map((row) => row.name);
      } finally {
        await database.close();
      }
    });
  } catch (err) {
    console.warn(`waybill build: no prebuilt PGlite database (${err instanceof Error ? err.message : err}); a first start will create one (slower).`);
  }
}
