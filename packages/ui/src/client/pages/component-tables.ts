import type { BoltRow, LastError, SpoutRow, WorkerRow } from '../rest-types.js';
import { h, link, table, type Column } from '../dom.js';
import { count, decimal, duration, epochSeconds } from '../format.js';
import { componentHref, logHref } from '../route.js';

/** Storm's UI paints an error red while it is younger than 30 minutes. */
const RECENT_ERROR_SECS = 1800;

export function isRecentError(row: LastError): boolean {
  return (row.lastError ?? '') !== '' && (row.errorLapsedSecs ?? 0) < RECENT_ERROR_SECS;
}

function errorColumns<R extends LastError>(): Column<R>[] {
  return [
    {
      title: 'Error host:port',
      cell: (r) => {
        if ((r.errorHost ?? '') === '') return '';
        const where = `${r.errorHost}:${r.errorPort ?? ''}`;
        return r.errorWorkerLogLink ? link(logHref(r.errorWorkerLogLink, `worker ${where}`), where) : where;
      },
    },
    { title: 'Last error', cell: (r) => ((r.lastError ?? '') === '' ? '' : h('span', { class: isRecentError(r) ? 'error-text recent' : 'error-text', title: r.lastError }, r.lastError)) },
    { title: 'Error time', cell: (r) => (r.errorTime ? epochSeconds(r.errorTime) : '') },
  ];
}

export function spoutTable(topologyId: string, window: string, windowLabel: string, rows: (SpoutRow & { backpressure?: boolean })[]): HTMLElement {
  return table(
    `Spouts (${windowLabel})`,
    [
      { title: 'Id', cell: (s) => link(componentHref(topologyId, s.spoutId, window), s.spoutId, `spout:${s.spoutId}`) },
      { title: 'Executors', numeric: true, cell: (s) => count(s.executors) },
      { title: 'Tasks', numeric: true, cell: (s) => count(s.tasks) },
      { title: 'Emitted', numeric: true, cell: (s) => h('span', { 'data-stat': 'emitted' }, count(s.emitted)) },
      { title: 'Transferred', numeric: true, cell: (s) => count(s.transferred) },
      { title: 'Complete latency (ms)', numeric: true, cell: (s) => decimal(s.completeLatency), hint: 'mean time from emit to the ack of the whole tuple tree' },
      { title: 'Acked', numeric: true, cell: (s) => h('span', { 'data-stat': 'acked' }, count(s.acked)) },
      { title: 'Failed', numeric: true, cell: (s) => count(s.failed) },
      ...errorColumns<SpoutRow & { backpressure?: boolean }>(),
    ],
    rows,
    { id: 'spouts', rowClass: (s) => rowClass(s) },
  );
}

export function boltTable(topologyId: string, window: string, windowLabel: string, rows: (BoltRow & { backpressure?: boolean })[]): HTMLElement {
  return table(
    `Bolts (${windowLabel})`,
    [
      { title: 'Id', cell: (b) => link(componentHref(topologyId, b.boltId, window), b.boltId, `bolt:${b.boltId}`) },
      { title: 'Executors', numeric: true, cell: (b) => count(b.executors) },
      { title: 'Tasks', numeric: true, cell: (b) => count(b.tasks) },
      { title: 'Emitted', numeric: true, cell: (b) => count(b.emitted) },
      { title: 'Transferred', numeric: true, cell: (b) => count(b.transferred) },
      { title: 'Capacity (last 10m)', numeric: true, cell: (b) => decimal(b.capacity), hint: 'share of the last 10 minutes spent executing; near 1.0 the bolt needs more parallelism' },
      { title: 'Execute latency (ms)', numeric: true, cell: (b) => decimal(b.executeLatency) },
      { title: 'Executed', numeric: true, cell: (b) => h('span', { 'data-stat': 'executed' }, count(b.executed)) },
      { title: 'Process latency (ms)', numeric: true, cell: (b) => decimal(b.processLatency) },
      { title: 'Acked', numeric: true, cell: (b) => count(b.acked) },
      { title: 'Failed', numeric: true, cell: (b) => count(b.failed) },
      ...errorColumns<BoltRow & { backpressure?: boolean }>(),
    ],
    rows,
    { id: 'bolts', rowClass: (b) => rowClass(b) },
  );
}

export function workerTable(rows: WorkerRow[]): HTMLElement {
  return table(
    'Workers',
    [
      { title: 'Host', cell: (w) => w.host ?? '–' },
      { title: 'Port', cell: (w) => (w.workerLogLink ? link(logHref(w.workerLogLink, `worker ${w.host}:${w.port}`), `${w.port ?? '?'} (log)`, `log:${w.host}:${w.port}`) : String(w.port ?? '–')) },
      { title: 'Supervisor', cell: (w) => (w.supervisorId ? h('code', {}, w.supervisorId) : '–') },
      { title: 'Uptime', cell: (w) => w.uptime ?? duration(w.uptimeSeconds) },
      { title: 'Executors', numeric: true, cell: (w) => count(w.executorsTotal) },
      { title: 'Restarts', numeric: true, cell: (w) => count(w.restarts) },
      { title: 'Event loop busy', numeric: true, cell: (w) => (w.gauges?.eventLoopUtilization === undefined ? '–' : `${Math.round(w.gauges.eventLoopUtilization * 100)}%`), hint: 'share of wall time the worker was busy: its real saturation' },
      { title: 'RSS (MB)', numeric: true, cell: (w) => (w.gauges?.rssBytes === undefined ? '–' : count(w.gauges.rssBytes / 1e6)) },
      { title: 'Inbox', numeric: true, cell: (w) => count(w.gauges?.inboxDepth), hint: 'tuples waiting in its bolts’ receive queues' },
      { title: 'Backpressure', cell: (w) => (w.gauges?.backpressure ? h('strong', { class: 'bp-text' }, 'on') : 'off') },
      { title: 'Components', cell: (w) => Object.entries(w.componentNumTasks ?? {}).map(([c, n]) => `${c} ×${n}`).join(', ') },
    ],
    rows,
    { id: 'workers', empty: 'no workers reporting', rowClass: (w) => (w.gauges?.backpressure ? 'backpressure' : undefined) },
  );
}

/**
 * The components with a task in a worker whose spouts are held back: backpressure is a
 * worker's state, so every component it hosts is marked, with the worker named.
 */
export function backpressuredComponents(workers: WorkerRow[]): Map<string, string[]> {
  const marked = new Map<string, string[]>();
  for (const w of workers) {
    if (w.gauges?.backpressure !== true) continue;
    for (const c of Object.keys(w.componentNumTasks ?? {})) marked.set(c, [...(marked.get(c) ?? []), `${w.host}:${w.port}`]);
  }
  return marked;
}

function rowClass(row: LastError & { backpressure?: boolean }): string | undefined {
  return [isRecentError(row) ? 'has-error' : '', row.backpressure ? 'backpressure' : ''].filter((c) => c !== '').join(' ') || undefined;
}
