import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { scaledMs, waitFor } from '@topo/runtime';
import { launchBrowser, openUi, saveScreenshot } from '@topo/ui/testing';
import { ProcessCluster } from './process-cluster.js';
import { deactivateFromUi, expectComponentsShown, expectShownNumbersGrow, expectSpoutsStopped, openTopologyFromClusterPage, spoutsEmitted, URL_PARSER_COMPONENTS } from './ui-checks.js';

const TOKEN = 'ui-test-token';
const cluster = ProcessCluster.perFile({ nimbuses: 1, supervisors: ['127.0.0.2', '127.0.0.3'], token: TOKEN });

describe('the web UI served by nimbus, in chromium', () => {
  let browser: Browser;
  let page: Page;
  let problems: string[];
  let topologyId: string;

  beforeAll(async () => {
    // A few trees in flight per spout task, not the example's 1,000: the pages show numbers moving at a fraction of a core,
    // instead of both workers flat out for the whole file while the browser and the tests wait on them.
    const submitted = await cluster.topo('submit', 'examples/url-parser/topology.ts', '--resource', 'examples/url-parser/data', '--workers', '2', '--config', 'topology.max.spout.pending=5');
    expect(submitted.code, submitted.stderr).toBe(0);
    browser = await launchBrowser();
    ({ page, problems } = await openUi(browser, `${cluster.nimbusUrls[0]}/`));
  });
  afterAll(() => browser?.close());

  it('shows the cluster page: the supervisors with their slots, and the topology', async () => {
    const supervisors = page.locator('#supervisors tbody tr');
    await expect.poll(() => supervisors.count()).toBe(2);
    expect(await supervisors.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('127.0.0.2'), expect.stringContaining('127.0.0.3')]));
    // Two slots each, two used by the topology's workers.
    await expect.poll(() => page.locator('#supervisors .slot').count()).toBe(4);
    await expect.poll(() => page.locator('#supervisors .slot.used').count()).toBe(2);
    await expect.poll(() => page.locator('#topologies tbody tr', { hasText: 'UrlParser' }).textContent()).toContain('ACTIVE');
    await saveScreenshot(page, 'cluster-page');
  });

  it('draws the topology: every component in the graph and the table, numbers growing without a reload', async () => {
    topologyId = await openTopologyFromClusterPage(page, 'UrlParser');
    await expectComponentsShown(page, URL_PARSER_COMPONENTS);
    const { first, later } = await expectShownNumbersGrow(page, 'urlSpout');
    expect(later).toBeGreaterThan(first);
    await saveScreenshot(page, 'cluster-topology-page');
  });

  it('refuses a deactivate without the token, and says why', async () => {
    await page.locator('button[data-action="deactivate"]').click();
    await expect.poll(() => page.locator('#action-result').textContent()).toMatch(/^deactivate refused: .*token/);
    expect((await cluster.client.topology('UrlParser')).status).toBe('ACTIVE');
  });

  it('deactivates from the UI with the token: the spouts stop emitting', async () => {
    await deactivateFromUi(page, TOKEN);
    const stopped = await expectSpoutsStopped(cluster.nimbusUrls[0], topologyId);
    expect(stopped).toBeGreaterThan(0);
    expect(await spoutsEmitted(cluster.nimbusUrls[0], topologyId)).toBe(stopped);
    await saveScreenshot(page, 'cluster-topology-deactivated');
  });

  it('activates again from the UI: the spouts emit again', async () => {
    const before = await spoutsEmitted(cluster.nimbusUrls[0], topologyId);
    await page.locator('button[data-action="activate"]').click();
    await expect.poll(() => page.locator('#action-result').textContent()).toBe('activate: success');
    await expect.poll(() => page.locator('h1 .status').textContent(), { timeout: scaledMs(20_000) }).toBe('ACTIVE');
    await waitFor(async () => (await spoutsEmitted(cluster.nimbusUrls[0], topologyId)) > before, 'the spouts to emit again');
  });

  it('opens a component page from the graph with the keyboard', async () => {
    await page.locator('svg.graph a.node[data-component="urlBolt"]').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/component\/urlBolt/);
    await expect.poll(() => page.locator('#executors tbody tr').count(), { timeout: 20_000 }).toBe(4);
    await saveScreenshot(page, 'cluster-component-page');
    expect(problems).toEqual([]);
  });
});
