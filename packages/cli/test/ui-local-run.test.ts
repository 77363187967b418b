import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freePort } from '@topo/runtime';
import { launchBrowser, openUi, saveScreenshot } from '@topo/ui/testing';
import { CliProcess } from './cli-process.js';
import { stopProcess } from './process-cluster.js';
import { deactivateFromUi, expectComponentsShown, expectShownNumbersGrow, expectSpoutsStopped, openTopologyFromClusterPage, spoutsEmitted, URL_PARSER_COMPONENTS } from './ui-checks.js';

describe('the web UI of `topo run --ui-port`, in chromium', () => {
  let run: CliProcess;
  let base: string;
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let topologyId: string;

  beforeAll(async () => {
    const port = await freePort();
    // Paced by a few trees in flight (not the example's 1,000), as in ui-cluster.test.ts: the pages need numbers moving, not both workers flat out.
    run = new CliProcess(['run', 'examples/url-parser/topology.ts', '--workers', '2', '--ui-port', String(port), '--progress-secs', '60', '--config', 'topology.max.spout.pending=5']);
    await run.waitFor('stderr', /serving the REST API and \/metrics on http:\/\/127\.0\.0\.1:\d+/);
    base = `http://127.0.0.1:${port}`;
    browser = await launchBrowser();
    ({ page, problems } = await openUi(browser, `${base}/`));
  });
  afterAll(async () => {
    await browser?.close();
    if (run !== undefined) await stopProcess(run);
  });

  it('lists the running topology on its first page', async () => {
    await expect.poll(() => page.locator('#topologies tbody tr', { hasText: 'UrlParser' }).textContent()).toContain('ACTIVE');
    topologyId = await openTopologyFromClusterPage(page, 'UrlParser');
  });

  it('draws every component, and the numbers grow without a reload', async () => {
    await expectComponentsShown(page, URL_PARSER_COMPONENTS);
    await expectShownNumbersGrow(page, 'urlSpout');
    // Capacity is drawn: each bolt node says it, coloured by it.
    for (const bolt of ['urlBolt', 'hostCount', 'invalidCount']) {
      expect(await page.locator(`svg.graph a.node[data-component="${bolt}"] .node-detail`).textContent()).toMatch(/^capacity \d+\.\d{3}$/);
    }
    // Readable at 1280x800: nothing wider than the window, the component tables included.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
    for (const id of ['spouts', 'bolts', 'workers']) expect(await page.evaluate(`document.getElementById('${id}').parentElement.scrollWidth <= document.getElementById('${id}').parentElement.clientWidth`), id).toBe(true);
    await saveScreenshot(page, 'local-topology-page');
  });

  it('switches the stats window from the keyboard', async () => {
    const allTime = page.locator('nav.windows a[data-window=":all-time"]');
    await allTime.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/window=%3Aall-time/);
    await expect.poll(() => page.locator('#spouts caption').textContent()).toBe('Spouts (All time)');
    expect(await page.locator('nav.windows a[aria-current="true"]').textContent()).toBe('All time');
    // Focus stays on the window chosen, so the keyboard user is where they were.
    await expect.poll(() => page.locator('nav.windows a:focus').getAttribute('data-window')).toBe(':all-time');
    await expect.poll(() => page.locator('#topology-stats tr.selected td').first().textContent()).toBe('All time');
  });

  it('tails a log it can read, and offers the raw link when it cannot', async () => {
    const logs = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const logviewer = `http://127.0.0.1:${await freePort()}/api/v1/log?file=${encodeURIComponent('UrlParser/6700/worker.log')}`;
    await logs.goto(`${base}/#/log?${new URLSearchParams({ url: logviewer, title: 'worker 127.0.0.1:6700' })}`);
    await expect.poll(() => logs.locator('p[role="status"]').textContent()).toMatch(/could not read this log from here/);
    expect(await logs.getByRole('link', { name: 'open the raw log' }).getAttribute('href')).toBe(logviewer);
    // A log this page's server answers is shown and followed.
    await logs.goto(`${base}/#/log?${new URLSearchParams({ url: `${base}/assets/style.css`, title: 'style' })}`);
    await expect.poll(() => logs.locator('pre.log').textContent()).toContain('--focus');
    await logs.close();
  });

  it('deactivates from the UI: the spouts stop emitting', async () => {
    await deactivateFromUi(page, undefined);
    const stopped = await expectSpoutsStopped(base, topologyId);
    expect(stopped).toBeGreaterThan(0);
    expect(await spoutsEmitted(base, topologyId)).toBe(stopped);
    await saveScreenshot(page, 'local-topology-deactivated');
  });

  it('kills the run from the UI, after asking', async () => {
    const asked: string[] = [];
    page.once('dialog', (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
    await page.locator('button[data-action="kill"]').click();
    await expect.poll(() => page.locator('#action-result').textContent()).toBe('kill: success');
    expect(asked).toEqual([expect.stringMatching(/^Kill UrlParser\?/)]);
    const { code, stderr } = await run.exited;
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/stopping \(killed through the API\)/);
    expect(problems).toEqual([]);
  });
});
