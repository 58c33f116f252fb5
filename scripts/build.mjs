#!/usr/bin/env node
// Compiles src/ into dist/ (run by `npm install` through the `prepare` script, and by
// `npm run build`). bin/waybill.mjs runs dist/ when dist/.built is newer than every source file.
// An install without dev dependencies has no compiler: it says so, and the sources run through tsx.
// It then bundles the server's code into dist/bundle (what bin/waybill.mjs runs: fewer files to
// load at every start), builds dist/pglite-template: a migrated PGlite folder that a first start
// copies instead of running PGlite's initdb (src/platform/db/pglite-template.ts), and the console's
// single-page app into dist/web (scripts/web-build.mjs).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
await buildBundle();
await buildPgliteTemplate();
await buildConsole();
fs.writeFileSync(new URL('dist/.built', root), `${new Date().toISOString()}\n`);

/**
 * dist/bundle: src/main.ts and everything it imports, with the packages it uses, as a few files
 * (esbuild, a direct dependency at the version tsx and vite use). A start loaded ~330 files of dist/
 * and several hundred files of packages one by one; bundling src/ with kysely and TypeBox saved
 * about a tenth of a restart's CPU, bundling the CommonJS packages too (Fastify, Ajv, prom-client…)
 * about another tenth (docs/benchmarks.md, issue 19). Packages stay outside, loaded from
 * node_modules as before, when they find files beside themselves (PGlite's WebAssembly, the PDF
 * fonts, Swagger UI's assets, pino's transport threads), are native, or load only on first use
 * (PostgreSQL's client, undici, the e-invoice and spreadsheet libraries). dist/ keeps the unbundled
 * files: worker threads load those by URL.
 */
async function buildBundle() {
  const OUTSIDE = [
    '@electric-sql/pglite',
    '@node-rs/argon2',
    '@embedpdf',
    'pdfkit',
    '@fastify/swagger',
    '@fastify/swagger-ui',
    '@fastify/static',
    'pino',
    'pino-pretty',
    'thread-stream',
    '@opentelemetry/sdk-trace-node',
    '@opentelemetry/exporter-trace-otlp-http',
    '@opentelemetry/resources',
    '@fastify/otel',
    'pg',
    'undici',
    '@e-invoice-eu/core',
    'xmlbuilder2',
    'write-excel-file',
    'esbuild',
  ];
  const outside = (name) => builtinModules.includes(name) || OUTSIDE.some((o) => name === o || name.startsWith(`${o}/`));
  const src = fileURLToPath(new URL('src/', root));
  const dist = fileURLToPath(new URL('dist/', root));
  const out = path.join(dist, 'bundle');
  // A source file's `import.meta.url` keeps naming its compiled twin in dist/, so every path it
  // resolves from there (migrations, docs, the console, thread modules, package.json) stays right.
  const fileUrls = {
    name: 'compiled-file-urls',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, async (args) => {
        let contents = await fs.promises.readFile(args.path, 'utf8');
        if (contents.includes('import.meta.url')) {
          const twin = path
            .relative(out, path.join(dist, path.relative(src, args.path)))
            .replace(/\.ts$/, '.js')
            .split(path.sep)
            .join('/');
          contents = contents.replaceAll('import.meta.url', `new URL(${JSON.stringify(twin)}, import.meta.url).href`);
        }
        return { contents, loader: 'ts' };
      });
    },
  };
  const packagesOutside = {
    name: 'packages-outside',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path
          .split('/')
          .slice(0, args.path.startsWith('@') ? 2 : 1)
          .join('/');
        return args.path.startsWith('node:') || outside(name) ? { path: args.path, external: true } : undefined;
      });
    },
  };
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [path.join(src, 'main.ts')],
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      outdir: out,
      sourcemap: true,
      plugins: [fileUrls, packagesOutside],
      logLevel: 'warning',
      // CommonJS packages inside an ES module bundle still require Node's built-in modules.
      banner: { js: "import { createRequire as __waybillRequire } from 'node:module'; const require = __waybillRequire(import.meta.url);" },
    });
    // A bundled CommonJS package that finds files by its own folder would look in dist/bundle
    // instead, or fail with __dirname undefined: such a package belongs in OUTSIDE.
    for (const file of fs.readdirSync(out).filter((f) => f.endsWith('.js'))) {
      const code = fs.readFileSync(path.join(out, file), 'utf8');
      if (/\b__(dirname|filename)\b/.test(code)) throw new Error(`${file} uses __dirname or __filename: keep its package outside the bundle`);
    }
  } catch (err) {
    fs.rmSync(out, { recursive: true, force: true });
    console.warn(`waybill build: no bundle (${err instanceof Error ? err.message : err}); the server runs dist/ file by file (slower start).`);
  }
}

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
