import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { freePort, scaledMs } from '@topo/runtime';
import { launchBrowser, openUi, saveScreenshot } from '@topo/ui/testing';
import { CliProcess, fixture } from './cli-process.js';
import { stopProcess } from './process-cluster.js';

describe('the topology graph of a backpressured run, in chromium', () => {
  let run: CliProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const port = await freePort();
    // Two workers: the flood's and the slow bolt's, so the worker holding its spout back is a different one from the bolt's.
    run = new CliProcess(['run', fixture('slow-sink.ts'), '--workers', '2', '--ui-port', String(port), '--progress-secs', '60']);
    await run.waitFor('stderr', /serving the REST API and \/metrics on /);
    browser = await launchBrowser();
    ({ page } = await openUi(browser, `http://127.0.0.1:${port}/#/topology/SlowSink`));
  });
  afterAll(async () => {
    await browser?.close();
    if (run !== undefined) await stopProcess(run);
  });

  it('marks the held-back spout, and colours the saturated bolt red', async () => {
    const flood = page.locator('svg.graph a.node[data-component="flood"]');
    await expect.poll(() => flood.getAttribute('class'), { timeout: scaledMs(30_000) }).toContain('backpressure');
    expect(await flood.getAttribute('aria-label')).toMatch(/backpressure in worker 127\.0\.0\.1:\d+/);
    expect(await flood.locator('.mark-bp').textContent()).toBe('BP');
    // Capacity near 1: a hue near 0 (red) on the green-to-red ramp.
    const hue = async () => Number(/^hsl\((\d+) /.exec((await page.locator('svg.graph a.node[data-component="slow"] rect').getAttribute('fill')) ?? '')?.[1] ?? 999);
    await expect.poll(hue, { timeout: scaledMs(30_000) }).toBeLessThan(30);
    await expect.poll(() => page.locator('#workers tbody tr.backpressure', { hasText: 'flood' }).count()).toBe(1);
    await saveScreenshot(page, 'backpressure-topology-page');
  });
});
