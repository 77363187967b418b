import { api } from '../api.js';
import { WINDOWS, type TopologyPage as TopologyData, type Visualization, type WindowStats } from '../rest-types.js';
import { h, link, replaceChildren, table } from '../dom.js';
import { count, decimal, duration } from '../format.js';
import { TopologyGraph, type NodeFacts } from '../graph/topology-graph.js';
import type { Page } from '../page.js';
import { topologyHref } from '../route.js';
import { backpressuredComponents, boltTable, spoutTable, workerTable } from './component-tables.js';
import { statusBadge } from './status-badge.js';
import { TopologyActions } from './topology-actions.js';
import { windowSelector } from './window-selector.js';

/**
 * One topology: its status and actions, the live graph, its stats per window and the
 * component and worker tables under them.
 */
export function topologyPage(id: string, window: string): Page {
  let data: TopologyData | undefined;
  const windowLabel = WINDOWS.find((w) => w.window === window)?.label ?? window;
  const header = h('div', { class: 'page-head' }, h('h1', {}, id));
  const facts = h('section', { 'aria-label': 'Topology summary', class: 'figures' });
  const graph = new TopologyGraph(id, window);
  const graphNote = h('p', { class: 'muted small' });
  const stats = h('div');
  const tables = h('div');
  const page: Page = {
    title: id,
    crumbs: [{ href: topologyHref(id, window), text: id }],
    el: h('div'),
    refresh: async () => {
      // The graph's live rates come from all-time counts (see TopologyGraph); its capacity is always the last 10 minutes'.
      const [topology, vis] = await Promise.all([api.topology(id, window), api.visualization(id, ':all-time').catch((error: Error) => error)]);
      data = topology;
      render(topology, vis);
    },
  };
  const actions = new TopologyActions(id, () => data?.name ?? id, () => void page.refresh().catch(() => {}));
  actions.setStatus(undefined);
  page.el.append(
    header,
    facts,
    actions.el,
    h('section', { 'aria-labelledby': 'graph-title', class: 'graph-section' }, h('div', { class: 'section-head' }, h('h2', { id: 'graph-title' }, 'Graph'), legend()), h('div', { class: 'graph-wrap' }, graph.el), graphNote),
    h('section', { 'aria-labelledby': 'stats-title' }, h('div', { class: 'section-head' }, h('h2', { id: 'stats-title' }, 'Stats'), windowSelector(window, (w) => topologyHref(id, w))), stats),
    tables,
  );

  function render(t: TopologyData, vis: Visualization | Error): void {
    page.title = t.name;
    replaceChildren(header, h('h1', {}, t.name, ' ', statusBadge(t.status)), (t.problem ?? t.workerProblem) ? h('p', { class: 'problem', role: 'alert' }, t.problem ?? t.workerProblem) : null);
    const figures: [string, string][] = [
      ['Uptime', t.uptime ?? duration(t.uptimeSeconds)],
      ['Workers', count(t.workersTotal)],
      ['Executors', count(t.executorsTotal)],
      ['Tasks', count(t.tasksTotal)],
      ['Message timeout', t.msgTimeout === undefined ? '–' : `${t.msgTimeout}s`],
    ];
    replaceChildren(facts, h('code', { class: 'topology-id' }, t.id), ...figures.map(([label, value]) => h('div', { class: 'figure' }, h('span', { class: 'figure-value' }, value), h('span', { class: 'figure-label' }, label))));
    actions.setStatus(t.status);

    const pressed = backpressuredComponents(t.workers ?? []);
    const rows = new Map<string, NodeFacts>();
    for (const s of t.spouts ?? []) rows.set(s.spoutId, { ...s, backpressureIn: pressed.get(s.spoutId) });
    for (const b of t.bolts ?? []) rows.set(b.boltId, { ...b, backpressureIn: pressed.get(b.boltId) });
    if (vis instanceof Error) {
      graphNote.textContent = `The graph is unavailable: ${vis.message}`;
    } else {
      graph.update(vis, rows);
      graphNote.textContent = 'Edge labels: tuples per second delivered along the edge over the last 10 s or more of reads (until then, the average since the start). Node colour: capacity over the last 10 minutes.';
    }

    replaceChildren(stats, topologyStatsTable(t.topologyStats ?? [], window, (w) => topologyHref(id, w)));
    replaceChildren(
      tables,
      spoutTable(id, window, windowLabel, (t.spouts ?? []).map((s) => ({ ...s, backpressure: pressed.has(s.spoutId) }))),
      boltTable(id, window, windowLabel, (t.bolts ?? []).map((b) => ({ ...b, backpressure: pressed.has(b.boltId) }))),
      workerTable(t.workers ?? []),
    );
  }
  return page;
}

/** Storm's "Topology stats": one row per window, whatever window is selected (rows keyed by `window`, not by position). */
function topologyStatsTable(rows: WindowStats[], selected: string, href: (window: string) => string): HTMLElement {
  const ordered = WINDOWS.map((w) => ({ ...(rows.find((r) => r.window === w.window) ?? { window: w.window }), windowPretty: w.label }));
  return table(
    'Topology stats (acked and failed: tuple trees, counted at the spouts)',
    [
      { title: 'Window', cell: (r) => link(href(r.window), r.windowPretty ?? r.window, `stats-window:${r.window}`) },
      { title: 'Emitted', numeric: true, cell: (r) => count(r.emitted) },
      { title: 'Transferred', numeric: true, cell: (r) => count(r.transferred) },
      { title: 'Complete latency (ms)', numeric: true, cell: (r) => decimal(r.completeLatency) },
      { title: 'Acked', numeric: true, cell: (r) => count(r.acked) },
      { title: 'Failed', numeric: true, cell: (r) => count(r.failed) },
    ],
    ordered,
    { id: 'topology-stats', rowClass: (r) => (r.window === selected ? 'selected' : undefined) },
  );
}

function legend(): HTMLElement {
  return h(
    'p',
    { class: 'legend small' },
    h('span', { class: 'swatch spout' }), 'spout ',
    h('span', { class: 'swatch cap-low' }), 'idle bolt ',
    h('span', { class: 'swatch cap-high' }), 'saturated bolt (capacity ≥ 1) ',
    h('span', { class: 'swatch bp' }), 'backpressure ',
    h('span', { class: 'swatch err' }), 'error in the last 30 min',
  );
}
