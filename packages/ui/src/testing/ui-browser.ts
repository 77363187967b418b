import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (`apt-get install chromium`); playwright-core never downloads a browser of its own here. */
export const CHROMIUM_PATH = process.env.TOPO_CHROMIUM ?? '/usr/bin/chromium';

/** The size the UI is made to be readable at. */
export const UI_VIEWPORT = { width: 1280, height: 800 };

/** A headless chromium: start one per test file and share it between its tests. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}

/**
 * A fresh tab at `url` (own session storage, so tokens do not leak between tests) at
 * 1280x800; a page error or a failed asset fails loudly through `problems`.
 */
export async function openUi(browser: Browser, url: string): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext({ viewport: UI_VIEWPORT });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // An answer the page handles (a local run has no nimbus list: 404) still logs a failed load; anything else is a fault.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems };
}

/**
 * Saves what the page shows as `<dir>/<name>.png`, for a person to look at after the run;
 * `dir` is the test package's `test-results/screenshots` unless given.
 */
export async function saveScreenshot(page: Page, name: string, dir = path.join(process.cwd(), 'test-results', 'screenshots')): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}
