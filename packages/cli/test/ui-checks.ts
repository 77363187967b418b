import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { scaledMs, waitFor } from '@topo/runtime';

/** The url-parser example's components, as the UI must show them. */
export const URL_PARSER_COMPONENTS = ['urlSpout', 'urlBolt', 'hostCount', 'invalidCount'];

const number = (text: string | null) => Number((text ?? '').replace(/,/g, ''));

/** What the API says about a topology, in Storm UI's fields. */
export interface ApiTopology {
  id: string;
  status: string;
  spouts: { spoutId: string; emitted: number }[];
  bolts: { boltId: string }[];
}

export async function apiTopology(base: string, id: string): Promise<ApiTopology> {
  const res = await fetch(`${base}/api/v1/topology/${encodeURIComponent(id)}?window=${encodeURIComponent(':all-time')}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as ApiTopology;
}

/** The spouts' emitted count over all time, summed. */
export async function spoutsEmitted(base: string, id: string): Promise<number> {
  return (await apiTopology(base, id)).spouts.reduce((sum, s) => sum + s.emitted, 0);
}

/** Opens the topology from the cluster page's table, as a user would, and answers its id (from the URL). */
export async function openTopologyFromClusterPage(page: Page, name: string): Promise<string> {
  const row = page.locator('#topologies tbody tr', { hasText: name });
  await row.getByRole('link', { name }).click();
  await page.waitForURL(/#\/topology\//);
  return decodeURIComponent(/#\/topology\/([^?/]+)/.exec(page.url())![1]);
}

/** Every component is a node of the graph and a row of the spout or bolt table. */
export async function expectComponentsShown(page: Page, components: string[]): Promise<void> {
  for (const c of components) {
    await expect.poll(() => page.locator(`svg.graph a.node[data-component="${c}"]`).count(), { timeout: scaledMs(20_000) }).toBe(1);
    await expect.poll(() => page.locator('#spouts tbody tr, #bolts tbody tr').filter({ has: page.getByRole('link', { name: c, exact: true }) }).count()).toBe(1);
  }
  // One edge per subscription, each labelled with a rate.
  const labels = await page.locator('svg.graph g.edge text.edge-label').allTextContents();
  expect(labels.length).toBeGreaterThanOrEqual(components.length - 1);
  for (const label of labels) expect(label).toMatch(/\/s$/);
}

/** The number in a spout's column of the spouts table, as shown. */
export async function shownSpoutStat(page: Page, spout: string, stat: 'emitted' | 'acked'): Promise<number> {
  return number(await page.locator('#spouts tbody tr').filter({ has: page.getByRole('link', { name: spout, exact: true }) }).locator(`[data-stat="${stat}"]`).textContent());
}

/** Waits until what the page shows for the spout has grown past what it showed first: live updates, no reload. */
export async function expectShownNumbersGrow(page: Page, spout: string): Promise<{ first: number; later: number }> {
  await expect.poll(() => shownSpoutStat(page, spout, 'acked'), { timeout: scaledMs(30_000) }).toBeGreaterThan(0);
  const first = await shownSpoutStat(page, spout, 'emitted');
  // A mark on the window outlives redraws but not a reload.
  await page.evaluate('window.topoTestMark = "still here"');
  let later = first;
  await waitFor(async () => (later = await shownSpoutStat(page, spout, 'emitted')) > first, `${spout}'s emitted count on the page to grow past ${first}`, 30_000, 200);
  expect(await page.evaluate('window.topoTestMark'), 'the page reloaded').toBe('still here');
  return { first, later };
}

/** Types the token, presses Deactivate and waits for the page to say it worked. */
export async function deactivateFromUi(page: Page, token: string | undefined): Promise<void> {
  if (token !== undefined) {
    await page.locator('#token').fill(token);
    await page.getByRole('button', { name: 'Use token' }).click();
  }
  const deactivate = page.locator('button[data-action="deactivate"]');
  await expect.poll(() => deactivate.isEnabled()).toBe(true);
  await deactivate.focus();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.locator('#action-result').textContent()).toBe('deactivate: success');
  await expect.poll(() => page.locator('button[data-action="activate"]').isEnabled(), { timeout: scaledMs(20_000) }).toBe(true);
  await expect.poll(() => page.locator('h1 .status').textContent()).toBe('INACTIVE');
}

/** Waits until the spouts' emitted count (from the API) has not moved for `stableMs`: the spouts have stopped. */
export async function expectSpoutsStopped(base: string, id: string, stableMs = 5_000): Promise<number> {
  let last = await spoutsEmitted(base, id);
  let since = Date.now();
  await waitFor(
    async () => {
      const now = await spoutsEmitted(base, id);
      if (now !== last) {
        last = now;
        since = Date.now();
      }
      return Date.now() - since >= scaledMs(stableMs);
    },
    `the spouts' emitted count to stop growing for ${stableMs} ms`,
    60_000,
    250,
  );
  return last;
}
