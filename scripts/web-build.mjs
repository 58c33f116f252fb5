// Builds the operators' console (web/) into dist/web/: first the API types from Waybill's own
// openapi.json (openapi-typescript), then the single-page app (Vite + React). Run by build.mjs
// during `npm install`, and alone by `node scripts/web-build.mjs` (or `--types` for the types only,
// which the typecheck script runs so web/ type-checks against the committed contract).
import fs from 'node:fs';
import openapiTS, { astToString } from 'openapi-typescript';

const root = new URL('../', import.meta.url);
export const WEB_OUT = new URL('dist/web/', root);

/** web/src/api/openapi.d.ts: generated, never committed (it follows openapi.json). */
export async function writeApiTypes() {
  const document = JSON.parse(fs.readFileSync(new URL('openapi.json', root), 'utf8'));
  const ast = await openapiTS(document, { alphabetize: true });
  const header = '// Generated from openapi.json by scripts/web-build.mjs; do not edit.\n';
  const target = new URL('web/src/api/openapi.d.ts', root);
  const text = header + astToString(ast);
  // Unchanged types keep their timestamp, so editors and tsc do not recheck for nothing.
  if (!fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== text) fs.writeFileSync(target, text);
}

export async function buildWeb() {
  await writeApiTypes();
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    root: new URL('web/', root).pathname,
    base: '/app/',
    configFile: false,
    logLevel: 'warn',
    plugins: [react()],
    build: {
      outDir: WEB_OUT.pathname,
      emptyOutDir: true,
      // Hashed names under assets/: served as immutable by src/platform/http/console.ts.
      assetsDir: 'assets',
      sourcemap: false,
      target: 'es2022',
      // Vite warns on minified size; the budget (250 KB gzipped for the first load) is measured by bench/console.ts.
      chunkSizeWarningLimit: 400,
    },
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--types')) await writeApiTypes();
  else await buildWeb();
}
