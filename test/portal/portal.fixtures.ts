import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';

/** Fills one stop's fieldset of the portal's booking form (`Pickup` or `Delivery`), label by label. */
export async function fillStop(page: Page, which: 'Pickup' | 'Delivery', stop: Record<string, string>) {
  const group = page.getByRole('group', { name: which, exact: true });
  for (const [label, value] of Object.entries(stop)) await group.getByLabel(label, { exact: true }).fill(value);
}

/** The file a click downloads, with the name the browser would save it under. */
export async function download(page: Page, click: () => Promise<void>): Promise<{ name: string; body: Buffer }> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: file.suggestedFilename(), body: await readFile((await file.path()) as string) };
}

/** The two places the portal's tests book between, as the booking form's fields read them. */
export const ANTWERP_DC = {
  'Company or place': 'Acme DC Antwerp',
  'Street and number': 'Noorderlaan 100',
  'Postal code': '2030',
  Town: 'Antwerpen',
  'Country (2 letters)': 'BE',
};
export const LYON_STORE = {
  'Company or place': 'Acme Store Lyon',
  'Street and number': '12 Rue de la Gare',
  'Postal code': '69007',
  Town: 'Lyon',
  'Country (2 letters)': 'FR',
};
