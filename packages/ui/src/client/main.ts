import { h, replaceChildren } from './dom.js';
import { clusterPage } from './pages/cluster-page.js';
import { componentPage } from './pages/component-page.js';
import { logPage } from './pages/log-page.js';
import { topologyPage } from './pages/topology-page.js';
import type { Page } from './page.js';
import { parseRoute, type Route } from './route.js';

/** How often the open page asks the API again. Stats reach nimbus every few seconds; faster would only redraw the same numbers. */
const POLL_MS = 2000;

let current: { page: Page; timer: number | undefined; generation: number } | undefined;
let generation = 0;

function pageFor(route: Route): Page {
  switch (route.page) {
    case 'topology':
      return topologyPage(route.id, route.window);
    case 'component':
      return componentPage(route.id, route.component, route.window);
    case 'log':
      return logPage(route.url, route.title);
    default:
      return clusterPage();
  }
}

/** The focused element's key when the route changed: the new page gives it focus back after its first refresh (a window button), else the page itself takes focus. */
let focusKey: string | null = null;

function show(): void {
  if (current?.timer !== undefined) clearTimeout(current.timer);
  const page = pageFor(parseRoute(location.hash));
  current = { page, timer: undefined, generation: ++generation };
  document.title = `${page.title} · Topo`;
  replaceChildren(document.getElementById('crumbs')!, ...page.crumbs.flatMap((c) => [h('span', { class: 'sep', 'aria-hidden': 'true' }, '›'), h('a', { href: c.href }, c.text)]));
  replaceChildren(document.getElementById('page')!, page.el);
  void poll(current.generation);
}

/** Refreshes the page, then schedules the next refresh; a page left behind stops polling. */
async function poll(gen: number): Promise<void> {
  if (current === undefined || current.generation !== gen) return;
  const freshness = document.getElementById('freshness')!;
  if (!document.hidden) {
    try {
      await current.page.refresh();
      if (focusKey !== null) {
        const target = document.querySelector<HTMLElement>(`[data-key="${CSS.escape(focusKey)}"]`) ?? document.getElementById('page')!;
        target.focus({ preventScroll: true });
        focusKey = null;
      }
      freshness.textContent = `updated ${new Date().toLocaleTimeString('en-GB')}`;
      freshness.classList.remove('stale');
    } catch (error) {
      freshness.textContent = `update failed: ${error instanceof Error ? error.message : String(error)}; retrying`;
      freshness.classList.add('stale');
    }
  }
  if (current.generation === gen) current.timer = window.setTimeout(() => void poll(gen), POLL_MS);
}

window.addEventListener('hashchange', () => {
  focusKey = document.activeElement?.getAttribute('data-key') ?? '';
  show();
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && current !== undefined) {
    clearTimeout(current.timer);
    void poll(current.generation);
  }
});
show();
