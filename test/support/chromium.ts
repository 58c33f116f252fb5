import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`; `.ci/run` installs it). No browser is ever downloaded. */
export const CHROMIUM = process.env.WAYBILL_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Without the background-networking flags Chromium keeps calling Google's hosts, which this closed
 * network refuses. Playwright gives every launch a fresh, empty --user-data-dir of its own (and
 * adds --headless), so no state leaks between runs.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium for the browser tests and the console benchmark (no test runner needed). */
export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
