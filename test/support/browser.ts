import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { TestContext } from './app.js';
import { CHROMIUM, launchChromium } from './chromium.js';
import { PASSWORD } from './people.js';
import { ROOT } from './processes.js';

// Browser tests of the console (test/console/): playwright-core driving Debian's Chromium (chromium.ts).

/** Where every page's screenshot is kept, for a person to look at (gitignored). */
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts/screenshots');

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 800 };

export interface BrowserHandle {
  browser: Browser;
  /** The test app, listening on 127.0.0.1 for the browser. */
  baseUrl: string;
}

let workerChromium: Promise<Browser> | undefined;

/**
 * One Chromium per test worker, shared by the browser test files it runs one after another
 * (vitest.config.ts: `isolate: false` keeps this module, and so the browser, between files):
 * a launch costs about a CPU-second. Files share nothing through it but the process: each test
 * opens its own context (own cookies and storage), and each file closes what it left open. A
 * browser that went away is launched again; Playwright kills it when the worker exits.
 */
function sharedChromium(): Promise<Browser> {
  if (!workerChromium) {
    const launching = launchChromium();
    workerChromium = launching;
    const forget = () => {
      if (workerChromium === launching) workerChromium = undefined;
    };
    launching.then((browser) => browser.once('disconnected', forget), forget);
  }
  return workerChromium;
}

/**
 * A Chromium and one listening server for a test file; `app` gives the file's test app once its
 * set-up has run (`() => ctx` after `useApp()`, `() => world.ctx` after `tripsWorld()`). The console
 * must have been built (`npm install` or `npm run build` builds dist/web).
 */
export function useBrowser(app: () => TestContext): BrowserHandle {
  const handle = {} as BrowserHandle;
  beforeAll(async () => {
    if (!existsSync(path.join(ROOT, 'dist/web/index.html'))) throw new Error('dist/web is missing: run `npm run build` (npm install builds it)');
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set WAYBILL_CHROMIUM)`);
    handle.baseUrl = await app().app.listen({ host: '127.0.0.1', port: 0 });
    handle.browser = await sharedChromium();
  });
  afterAll(async () => {
    // The next file starts from a browser without contexts, as if freshly launched.
    await Promise.all(handle.browser?.contexts().map((context) => context.close()) ?? []);
  });
  return handle;
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and console errors (CSP violations included), but not failed HTTP answers. */
  scriptErrors: string[];
  close(): Promise<void>;
}

/** A new browser context (its own cookies) with one page whose script errors are collected. */
export async function openContext(handle: BrowserHandle, options: { viewport?: { width: number; height: number } } = {}): Promise<ConsolePage> {
  const context = await handle.browser.newContext({ baseURL: handle.baseUrl, viewport: options.viewport ?? DESKTOP, locale: 'en-GB' });
  const page = await context.newPage();
  const scriptErrors: string[] = [];
  page.on('pageerror', (error) => scriptErrors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    // An API answer of 401 or 404 is a page's business (it shows it); Chromium logs each one as an error.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) scriptErrors.push(`console: ${message.text()}`);
  });
  return { context, page, scriptErrors, close: () => context.close() };
}

/** Signs the context in through the API (the session cookie lands in the context's cookie jar), not the form. */
export async function signIn(context: BrowserContext, email: string, password: string): Promise<void> {
  const res = await context.request.post('/v1/session', { data: { email, password } });
  if (res.status() !== 200) throw new Error(`sign-in failed: ${res.status()} ${await res.text()}`);
}

/** A new browser context signed in as `email`, with the password people are made with (people.ts) unless told another. */
export async function openSignedIn(
  handle: BrowserHandle,
  email: string,
  options: { viewport?: { width: number; height: number }; password?: string } = {},
): Promise<ConsolePage> {
  const view = await openContext(handle, options);
  await signIn(view.context, email, options.password ?? PASSWORD);
  return view;
}

/** Opens a console path (below /app) and waits until the page's heading is shown and nothing is loading. */
export async function openConsolePage(page: Page, consolePath: string): Promise<void> {
  await page.goto(`/app${consolePath}`);
  await waitForPage(page);
}

/** The page is ready: its h1 is there and no loading notice is left. */
export async function waitForPage(page: Page): Promise<void> {
  await page.locator('h1#page-title').waitFor({ state: 'visible' });
  // A page may show several loading notices at once (one per section): all of them must be gone.
  await page.waitForFunction(() => !document.querySelector('[role=status].loading'));
}

let axeSource: Promise<string> | undefined;

/**
 * axe-core on the page as it is; fails on any serious or critical violation, naming each rule and
 * the elements it found. The script goes in through the DevTools protocol, which the page's
 * Content-Security-Policy does not apply to (an injected <script> tag would be refused).
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  axeSource ??= fs.readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length > 0) {
    throw new Error(
      `${label}: accessibility violations:\n${bad.map((v) => `- ${v.id} (${v.impact}): ${v.help} at ${v.targets.slice(0, 5).join(', ')}`).join('\n')}`,
    );
  }
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

export function expectNoScriptErrors(view: ConsolePage, label: string): void {
  if (view.scriptErrors.length > 0) throw new Error(`${label}: script errors:\n${view.scriptErrors.join('\n')}`);
}

/** test-artifacts/screenshots/<name>.png (whole page), kept by CI as an artifact to look at. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await fs.mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The checks every console page gets: no script error, axe clean, and a screenshot. */
export async function checkPage(view: ConsolePage, name: string): Promise<void> {
  expectNoScriptErrors(view, name);
  await expectAccessible(view.page, name);
  await screenshot(view.page, name);
}
