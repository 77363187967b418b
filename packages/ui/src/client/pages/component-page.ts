import { api } from '../api.js';
import { WINDOWS, type ComponentPage as ComponentData, type ExecutorRow } from '../rest-types.js';
import { h, link, replaceChildren, table, type Column } from '../dom.js';
import { count, decimal, duration, epochSeconds } from '../format.js';
import type { Page } from '../page.js';
import { componentHref, logHref, topologyHref } from '../route.js';
import { windowSelector } from './window-selector.js';

/** One component: its stats per window, its inputs and outputs, its executors (with log links) and its stored errors. */
export function componentPage(topologyId: string, component: string, window: string): Page {
  const windowLabel = WINDOWS.find((w) => w.window === window)?.label ?? window;
  const head = h('div', { class: 'page-head' }, h('h1', {}, component));
  const body = h('div');
  return {
    title: component,
    crumbs: [
      { href: topologyHref(topologyId, window), text: topologyId },
      { href: componentHref(topologyId, component, window), text: component },
    ],
    el: h('div', {}, head, h('div', { class: 'section-head' }, h('h2', {}, 'Stats'), windowSelector(window, (w) => componentHref(topologyId, component, w))), body),
    async refresh() {
      const c = await api.component(topologyId, component, window);
      replaceChildren(head, h('h1', {}, c.id ?? component, ' ', h('span', { class: 'muted' }, c.componentType ?? '')), h('p', { class: 'muted' }, `${count(c.executors)} executors, ${count(c.tasks)} tasks, topology `, link(topologyHref(topologyId, window), c.name ?? topologyId, 'topology-link')));
      replaceChildren(body, ...(c.componentType === 'spout' ? spoutSections(c, windowLabel) : boltSections(c, windowLabel)), errorsSection(c));
    },
  };
}

function windowRows<R extends { window: string }>(rows: R[] | undefined): (R & { label: string })[] {
  return WINDOWS.flatMap((w) => {
    const row = (rows ?? []).find((r) => r.window === w.window);
    return row === undefined ? [] : [{ ...row, label: w.label }];
  });
}

function spoutSections(c: ComponentData, windowLabel: string): HTMLElement[] {
  return [
    table(
      'Spout stats',
      [
        { title: 'Window', cell: (r) => r.label },
        { title: 'Emitted', numeric: true, cell: (r) => count(r.emitted) },
        { title: 'Transferred', numeric: true, cell: (r) => count(r.transferred) },
        { title: 'Complete latency (ms)', numeric: true, cell: (r) => decimal(r.completeLatency) },
        { title: 'Acked', numeric: true, cell: (r) => count(r.acked) },
        { title: 'Failed', numeric: true, cell: (r) => count(r.failed) },
      ],
      windowRows(c.spoutSummary),
      { id: 'component-stats' },
    ),
    table(
      `Output stats (${windowLabel})`,
      [
        { title: 'Stream', cell: (r) => r.stream },
        { title: 'Emitted', numeric: true, cell: (r) => count(r.emitted) },
        { title: 'Transferred', numeric: true, cell: (r) => count(r.transferred) },
        { title: 'Complete latency (ms)', numeric: true, cell: (r) => decimal(r.completeLatency) },
        { title: 'Acked', numeric: true, cell: (r) => count(r.acked) },
        { title: 'Failed', numeric: true, cell: (r) => count(r.failed) },
      ],
      c.outputStats ?? [],
    ),
    executorTable(c, windowLabel, [
      { title: 'Emitted', numeric: true, cell: (e) => count(e.emitted) },
      { title: 'Transferred', numeric: true, cell: (e) => count(e.transferred) },
      { title: 'Complete latency (ms)', numeric: true, cell: (e) => decimal(e.completeLatency) },
      { title: 'Acked', numeric: true, cell: (e) => count(e.acked) },
      { title: 'Failed', numeric: true, cell: (e) => count(e.failed) },
    ]),
  ];
}

function boltSections(c: ComponentData, windowLabel: string): HTMLElement[] {
  return [
    table(
      'Bolt stats',
      [
        { title: 'Window', cell: (r) => r.label },
        { title: 'Emitted', numeric: true, cell: (r) => count(r.emitted) },
        { title: 'Transferred', numeric: true, cell: (r) => count(r.transferred) },
        { title: 'Execute latency (ms)', numeric: true, cell: (r) => decimal(r.executeLatency) },
        { title: 'Executed', numeric: true, cell: (r) => count(r.executed) },
        { title: 'Process latency (ms)', numeric: true, cell: (r) => decimal(r.processLatency) },
        { title: 'Acked', numeric: true, cell: (r) => count(r.acked) },
        { title: 'Failed', numeric: true, cell: (r) => count(r.failed) },
      ],
      windowRows(c.boltStats),
      { id: 'component-stats' },
    ),
    table(
      `Input stats (${windowLabel})`,
      [
        { title: 'Component', cell: (r) => r.component },
        { title: 'Stream', cell: (r) => r.stream },
        { title: 'Execute latency (ms)', numeric: true, cell: (r) => decimal(r.executeLatency) },
        { title: 'Executed', numeric: true, cell: (r) => count(r.executed) },
        { title: 'Process latency (ms)', numeric: true, cell: (r) => decimal(r.processLatency) },
        { title: 'Acked', numeric: true, cell: (r) => count(r.acked) },
        { title: 'Failed', numeric: true, cell: (r) => count(r.failed) },
      ],
      c.inputStats ?? [],
    ),
    table(
      `Output stats (${windowLabel})`,
      [
        { title: 'Stream', cell: (r) => r.stream },
        { title: 'Emitted', numeric: true, cell: (r) => count(r.emitted) },
        { title: 'Transferred', numeric: true, cell: (r) => count(r.transferred) },
      ],
      c.outputStats ?? [],
    ),
    executorTable(c, windowLabel, [
      { title: 'Capacity (last 10m)', numeric: true, cell: (e) => decimal(e.capacity) },
      { title: 'Execute latency (ms)', numeric: true, cell: (e) => decimal(e.executeLatency) },
      { title: 'Executed', numeric: true, cell: (e) => count(e.executed) },
      { title: 'Process latency (ms)', numeric: true, cell: (e) => decimal(e.processLatency) },
      { title: 'Acked', numeric: true, cell: (e) => count(e.acked) },
      { title: 'Failed', numeric: true, cell: (e) => count(e.failed) },
    ]),
  ];
}

function executorTable(c: ComponentData, windowLabel: string, stats: Column<ExecutorRow>[]): HTMLElement {
  return table(
    `Executors (${windowLabel})`,
    [
      { title: 'Id', cell: (e) => e.id },
      { title: 'Uptime', cell: (e) => e.uptime ?? duration(e.uptimeSeconds) },
      { title: 'Host', cell: (e) => e.host ?? '–' },
      { title: 'Port', cell: (e) => (e.workerLogLink ? link(logHref(e.workerLogLink, `worker ${e.host}:${e.port}`), `${e.port ?? '?'} (log)`, `log:${e.id}`) : String(e.port ?? '–')) },
      ...stats,
    ],
    c.executorStats ?? [],
    { id: 'executors' },
  );
}

function errorsSection(c: ComponentData): HTMLElement {
  const errors = [...(c.componentErrors ?? [])].sort((a, b) => (b.errorTime ?? 0) - (a.errorTime ?? 0));
  return h(
    'section',
    { 'aria-labelledby': 'errors-title', id: 'errors' },
    h('h2', { id: 'errors-title' }, `Errors (${errors.length}, newest first)`),
    errors.length === 0
      ? h('p', { class: 'muted' }, 'none stored')
      : h(
          'ol',
          { class: 'errors' },
          ...errors.map((e) =>
            h(
              'li',
              { class: (e.errorLapsedSecs ?? Infinity) < 1800 ? 'recent' : undefined },
              h('p', { class: 'small' }, epochSeconds(e.errorTime), ' on ', e.errorWorkerLogLink ? link(logHref(e.errorWorkerLogLink, `worker ${e.errorHost}:${e.errorPort}`), `${e.errorHost}:${e.errorPort}`, `errlog:${e.errorTime}`) : `${e.errorHost ?? '?'}:${e.errorPort ?? '?'}`),
              h('pre', {}, e.error ?? ''),
            ),
          ),
        ),
  );
}
