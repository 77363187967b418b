import { ALL_TIME, splitInputKey, STATS_WINDOWS, WINDOW_PRETTY, type ExecutorReport, type StatsWindow } from '@topo/runtime';
import { ACKER_COMPONENT } from '@topo/topology-dsl';
import type { StatsTopology, StatsWorker } from './stats-topology.js';
import { fixed3, isSystem, prettyUptime, saniStream } from './storm-format.js';
import { WindowTotals } from './window-totals.js';

/** A window as asked for (`?window=`): Storm answers zeros for one it does not keep, and so does this. */
export type RequestedWindow = StatsWindow | string;

/** An executor's report with the worker it runs in. */
interface PlacedExecutor {
  worker: StatsWorker;
  executor: ExecutorReport;
}

function placed(t: StatsTopology): PlacedExecutor[] {
  return t.workers.flatMap((worker) => (worker.report?.executors ?? []).map((executor) => ({ worker, executor })));
}

function windowOf(executor: ExecutorReport, window: RequestedWindow) {
  return (executor.windows as Record<string, ExecutorReport['windows'][StatsWindow]>)[window];
}

function totalsOf(executors: PlacedExecutor[], window: RequestedWindow, sys: boolean): WindowTotals {
  const totals = new WindowTotals();
  for (const { executor } of executors) {
    const w = windowOf(executor, window);
    if (w !== undefined) totals.add(w, sys, executor.capacity);
  }
  return totals;
}

interface ComponentInfo {
  id: string;
  kind: 'spout' | 'bolt';
  executors: number;
  tasks: number;
}

/** The topology's components, and the ackers as Storm's `__acker` bolt. */
function components(t: StatsTopology, all: PlacedExecutor[]): ComponentInfo[] {
  const list: ComponentInfo[] = t.definition.components.map((c) => ({ id: c.name, kind: c.kind, executors: c.parallelism, tasks: c.tasks }));
  const ackers = all.filter((p) => p.executor.component === ACKER_COMPONENT);
  if (ackers.length > 0) list.push({ id: ACKER_COMPONENT, kind: 'bolt', executors: ackers.length, tasks: ackers.reduce((n, p) => n + p.executor.tasks.length, 0) });
  return list;
}

function windowHint(window: RequestedWindow): string {
  return (WINDOW_PRETTY as Record<string, string>)[window] ?? window;
}

/**
 * The stats part of Storm UI's `/topology/:id` body: `window`, `windowHint`,
 * `topologyStats` (all four windows; acked, failed and complete latency from spouts
 * only), and `spouts[]`/`bolts[]` for the requested window.
 */
export function topologyStats(t: StatsTopology, window: RequestedWindow = ALL_TIME, sys = false) {
  const all = placed(t);
  const spoutIds = new Set(t.definition.components.filter((c) => c.kind === 'spout').map((c) => c.name));
  const topologyStats = STATS_WINDOWS.map((w) => {
    const everything = totalsOf(all.filter((p) => sys || !isSystem(p.executor.component)), w, sys);
    const spouts = totalsOf(all.filter((p) => spoutIds.has(p.executor.component)), w, sys);
    return {
      window: w,
      windowPretty: WINDOW_PRETTY[w],
      emitted: everything.emitted,
      transferred: everything.transferred,
      acked: spouts.acked,
      failed: spouts.failed,
      completeLatency: fixed3(spouts.completeLatencyMs),
    };
  });
  const spouts = [];
  const bolts = [];
  for (const c of components(t, all)) {
    if (!sys && isSystem(c.id)) continue;
    const totals = totalsOf(
      all.filter((p) => p.executor.component === c.id),
      window,
      sys,
    );
    const encoded = encodeURIComponent(c.id);
    if (c.kind === 'spout') spouts.push({ spoutId: c.id, encodedSpoutId: encoded, executors: c.executors, tasks: c.tasks, ...totals.spoutFields() });
    else bolts.push({ boltId: c.id, encodedBoltId: encoded, executors: c.executors, tasks: c.tasks, ...totals.boltFields() });
  }
  return {
    window,
    windowHint: windowHint(window),
    msgTimeout: Number(t.configuration['topology.message.timeout.secs'] ?? 30),
    samplingPct: Math.round(Number(t.configuration['topology.stats.sample.rate'] ?? 0.05) * 100),
    topologyStats,
    spouts,
    bolts,
  };
}

/** The stats fields of Storm UI's `/topology/:id` body. */
export type TopologyStatsBody = ReturnType<typeof topologyStats>;

/** Storm's worker object for a topology's `workers[]`, plus Topo's gauges (heap, RSS, CPU, event loop, GC, inbox, backpressure). */
export function stormWorker(t: StatsTopology, w: StatsWorker) {
  const executors = w.report?.executors ?? [];
  const componentNumTasks: Record<string, number> = {};
  for (const e of executors) componentNumTasks[e.component] = (componentNumTasks[e.component] ?? 0) + e.tasks.length;
  const uptimeSeconds = Math.round(w.report?.gauges.uptimeSeconds ?? 0);
  return {
    supervisorId: w.supervisor,
    host: w.host,
    port: w.port,
    topologyId: t.id,
    topologyName: t.name,
    executorsTotal: executors.length,
    componentNumTasks,
    uptime: prettyUptime(uptimeSeconds),
    uptimeSeconds,
    restarts: w.restarts,
    gauges: w.report?.gauges,
  };
}

/** Storm UI's `/topology/:id/component/:component` body (stats part); undefined for a component the topology does not have. */
export function componentPage(t: StatsTopology, componentId: string, window: RequestedWindow = ALL_TIME, sys = false) {
  const all = placed(t);
  const info = components(t, all).find((c) => c.id === componentId);
  if (info === undefined) return undefined;
  const mine = all.filter((p) => p.executor.component === componentId);
  const base = {
    id: componentId,
    encodedId: encodeURIComponent(componentId),
    name: t.name,
    topologyId: t.id,
    encodedTopologyId: encodeURIComponent(t.id),
    topologyStatus: t.status,
    componentType: info.kind,
    window,
    windowHint: windowHint(window),
    executors: info.executors,
    tasks: info.tasks,
  };
  const perWindow = STATS_WINDOWS.map((w) => ({ w, totals: totalsOf(mine, w, sys) }));
  const streamTotals = (keys: (w: ReturnType<typeof windowOf>) => string[]) => {
    const found = new Set<string>();
    for (const { executor } of mine) for (const k of keys(windowOf(executor, window))) found.add(k);
    return [...found].sort().map((key) => {
      const totals = new WindowTotals();
      for (const { executor } of mine) {
        const w = windowOf(executor, window);
        if (w !== undefined) totals.add(w, true, 0, (k) => k === key);
      }
      return { key, totals };
    });
  };
  const outputs = streamTotals((w) => (w === undefined ? [] : [...Object.keys(w.emitted), ...Object.keys(w.transferred)])).filter(({ key }) => sys || !isSystem(key));
  const executorRow = ({ worker, executor }: PlacedExecutor) => {
    const w = windowOf(executor, window);
    const totals = new WindowTotals();
    if (w !== undefined) totals.add(w, sys, executor.capacity);
    const first = Math.min(...executor.tasks);
    const last = Math.max(...executor.tasks);
    const id = `[${first}-${last}]`;
    const uptimeSeconds = Math.round(executor.uptimeSeconds);
    return { id, encodedId: encodeURIComponent(id), host: worker.host, port: worker.port, uptime: prettyUptime(uptimeSeconds), uptimeSeconds, workerId: worker.id, totals };
  };
  if (info.kind === 'spout') {
    return {
      ...base,
      spoutSummary: perWindow.map(({ w, totals }) => ({ window: w, windowPretty: WINDOW_PRETTY[w], ...totals.spoutFields() })),
      outputStats: outputs.map(({ key, totals }) => ({ stream: key, ...totals.spoutFields() })),
      executorStats: mine.map(executorRow).map(({ totals, ...row }) => ({ ...row, ...totals.spoutFields() })),
    };
  }
  const inputs = streamTotals((w) => (w === undefined ? [] : [...Object.keys(w.executed), ...Object.keys(w.acked), ...Object.keys(w.failed)])).filter(
    ({ key }) => sys || !isSystem(splitInputKey(key).stream),
  );
  return {
    ...base,
    boltStats: perWindow.map(({ w, totals }) => ({ window: w, windowPretty: WINDOW_PRETTY[w], ...totals.boltFields() })),
    inputStats: inputs.map(({ key, totals }) => {
      const { component, stream } = splitInputKey(key);
      const { executed, executeLatency, processLatency, acked, failed } = totals.boltFields();
      return { component, encodedComponentId: encodeURIComponent(component), stream, executed, executeLatency, processLatency, acked, failed };
    }),
    outputStats: outputs.map(({ key, totals }) => ({ stream: key, emitted: totals.emitted, transferred: totals.transferred })),
    executorStats: mine.map(executorRow).map(({ totals, ...row }) => ({ ...row, ...totals.boltFields() })),
  };
}

/**
 * Storm UI's `/topology/:id/visualization`: one entry per component keyed by its id, with
 * Clojure-era `:`-prefixed keys, and its inputs with their groupings. `:transferred` is
 * the window's count; Topo adds `:emitted` too.
 */
export function visualization(t: StatsTopology, window: RequestedWindow = ALL_TIME, sys = false) {
  const all = placed(t);
  const out: Record<string, unknown> = {};
  for (const c of t.definition.components) {
    if (!sys && isSystem(c.name)) continue;
    const mine = all.filter((p) => p.executor.component === c.name);
    const totals = totalsOf(mine, window, sys);
    out[c.name] = {
      ':type': c.kind,
      ':capacity': c.kind === 'bolt' ? totals.capacity : 0,
      ':latency': c.kind === 'spout' ? totals.completeLatencyMs : totals.processLatencyMs,
      ':transferred': totals.transferred,
      ':emitted': totals.emitted,
      ':stats': mine.map(({ worker, executor }) => {
        const w = windowOf(executor, window);
        const transferred: Record<string, number> = {};
        for (const [stream, n] of Object.entries(w?.transferred ?? {})) transferred[saniStream(stream)] = n;
        return { ':host': worker.host, ':port': worker.port, ':uptime_secs': Math.round(executor.uptimeSeconds), ':transferred': { [String(window)]: transferred } };
      }),
      ':link': `/component.html?id=${encodeURIComponent(c.name)}&topology_id=${encodeURIComponent(t.id)}`,
      ':inputs': c.inputs
        .filter((input) => sys || !isSystem(input.stream))
        .map((input) => ({ ':component': input.component, ':stream': input.stream, ':sani-stream': saniStream(input.stream), ':grouping': input.grouping.type })),
    };
  }
  return out;
}
