import { api } from '../api.js';
import type { NimbusRow, SupervisorRow, TopologyRow } from '../rest-types.js';
import { h, link, replaceChildren, table } from '../dom.js';
import { count, duration } from '../format.js';
import type { Page } from '../page.js';
import { logHref, topologyHref } from '../route.js';
import { statusBadge } from './status-badge.js';

/** The cluster at a glance: its numbers, the topologies, the supervisors and their slots, the nimbuses. */
export function clusterPage(): Page {
  const el = h('div', { class: 'cluster' });
  return {
    title: 'Cluster',
    crumbs: [],
    el,
    async refresh() {
      // A local run (`topo run --ui-port`) has no nimbuses to list: that call may fail alone.
      const [summary, topologies, supervisors, nimbuses] = await Promise.all([
        api.clusterSummary(),
        api.topologies(),
        api.supervisors(),
        api.nimbuses().catch(() => ({ nimbuses: [] as NimbusRow[] })),
      ]);
      const figures: [string, unknown][] = [
        ['Supervisors', summary.supervisors],
        ['Slots used', summary.slotsUsed],
        ['Slots free', summary.slotsFree],
        ['Slots total', summary.slotsTotal],
        ['Topologies', summary.topologies],
        ['Executors', summary.executorsTotal],
        ['Tasks', summary.tasksTotal],
      ];
      replaceChildren(
        el,
        h('h1', {}, 'Cluster'),
        h('section', { 'aria-label': 'Cluster summary', class: 'figures' }, ...figures.map(([label, value]) => h('div', { class: 'figure' }, h('span', { class: 'figure-value' }, count(value)), h('span', { class: 'figure-label' }, label)))),
        topologyTable(topologies.topologies ?? []),
        supervisorTable(supervisors.supervisors ?? []),
        (nimbuses.nimbuses ?? []).length > 0 ? nimbusTable(nimbuses.nimbuses ?? []) : null,
      );
    },
  };
}

function topologyTable(rows: TopologyRow[]): HTMLElement {
  return table(
    'Topologies',
    [
      { title: 'Name', cell: (t) => link(topologyHref(t.id), t.name) },
      { title: 'Id', cell: (t) => h('code', {}, t.id) },
      { title: 'Status', cell: (t) => statusBadge(t.status, t.problem ?? t.workerProblem) },
      { title: 'Uptime', cell: (t) => t.uptime ?? duration(t.uptimeSeconds) },
      { title: 'Workers', numeric: true, cell: (t) => count(t.workersTotal) },
      { title: 'Executors', numeric: true, cell: (t) => count(t.executorsTotal) },
      { title: 'Tasks', numeric: true, cell: (t) => count(t.tasksTotal) },
    ],
    rows,
    { id: 'topologies', empty: 'no topologies running' },
  );
}

function supervisorTable(rows: SupervisorRow[]): HTMLElement {
  return table(
    'Supervisors',
    [
      { title: 'Host', cell: (s) => s.host ?? '–' },
      { title: 'Id', cell: (s) => h('code', {}, s.id) },
      { title: 'Uptime', cell: (s) => s.uptime ?? duration(s.uptimeSeconds) },
      { title: 'Slots', cell: (s) => slotBar(s.slotsUsed ?? 0, s.slotsTotal ?? 0) },
      { title: 'Used', numeric: true, cell: (s) => count(s.slotsUsed) },
      { title: 'Free', numeric: true, cell: (s) => count(s.slotsFree ?? (s.slotsTotal ?? 0) - (s.slotsUsed ?? 0)) },
      { title: 'Logs', cell: (s) => (s.logLink ? link(logHref(s.logLink, `supervisor ${s.host ?? s.id}`), 'log') : '–') },
    ],
    rows,
    { id: 'supervisors', empty: 'no supervisors' },
  );
}

function nimbusTable(rows: NimbusRow[]): HTMLElement {
  return table(
    'Nimbuses',
    [
      { title: 'Host', cell: (n) => n.url ?? (n.host !== undefined ? `${n.host}:${n.port ?? ''}` : '–') },
      { title: 'Status', cell: (n) => n.status ?? (n.leader === undefined ? '–' : n.leader ? 'Leader' : 'Not a Leader') },
      { title: 'Uptime', cell: (n) => duration(n.nimbusUpTimeSeconds ?? n.uptimeSeconds) },
      { title: 'Version', cell: (n) => n.version ?? '–' },
    ],
    rows,
    { id: 'nimbuses' },
  );
}

/** Used slots as filled boxes: how full each node is, at a glance. */
function slotBar(used: number, total: number): HTMLElement {
  const boxes = Array.from({ length: Math.min(total, 32) }, (_, i) => h('span', { class: i < used ? 'slot used' : 'slot' }));
  return h('span', { class: 'slots', role: 'img', 'aria-label': `${used} of ${total} slots used` }, ...boxes);
}
