import { Counter, Gauge, Registry } from 'prom-client';
import { ALL_TIME, splitInputKey, type ExecutorReport } from '@topo/runtime';
import type { StatsTopology } from './stats-topology.js';
import { isSystem } from './storm-format.js';

/** The content type of Prometheus's text format, as prom-client writes it. */
export const PROMETHEUS_CONTENT_TYPE = new Registry().contentType;

const TASK_LABELS = ['topology', 'component', 'task', 'worker'] as const;

/**
 * Builds a registry of every topology's figures from the latest reports, for one scrape.
 * Counters are the executors' totals since they started (`_total`; a restarted worker
 * starts again from zero, which `rate()` handles); latencies are the 10-minute averages
 * in seconds, as gauges, since workers report sampled averages rather than buckets.
 * Series are per executor, labelled with its first task. System streams (`__*`) are left
 * out of the tuple counters.
 */
export function prometheusRegistry(topologies: StatsTopology[]): Registry {
  const registry = new Registry();
  const counter = (name: string, help: string, labelNames: readonly string[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const gauge = (name: string, help: string, labelNames: readonly string[]) => new Gauge({ name, help, labelNames, registers: [registry] });
  const emitted = counter('topo_tuples_emitted_total', 'Tuples emitted (one per emit call).', [...TASK_LABELS, 'stream']);
  const transferred = counter('topo_tuples_transferred_total', 'Tuples delivered to tasks (an emit to three tasks counts three).', [...TASK_LABELS, 'stream']);
  const spoutAcked = counter('topo_spout_acked_total', 'Tuple trees fully processed.', [...TASK_LABELS, 'stream']);
  const spoutFailed = counter('topo_spout_failed_total', 'Tuple trees failed or timed out.', [...TASK_LABELS, 'stream']);
  const inputLabels = [...TASK_LABELS, 'source_component', 'source_stream'];
  const executed = counter('topo_bolt_executed_total', 'Inputs a bolt processed.', inputLabels);
  const boltAcked = counter('topo_bolt_acked_total', 'Inputs a bolt acked.', inputLabels);
  const boltFailed = counter('topo_bolt_failed_total', 'Inputs a bolt failed.', inputLabels);
  const complete = gauge('topo_spout_complete_latency_seconds', 'Mean time from spout emit to the tree being acked over the last 10 minutes (sampled).', [...TASK_LABELS, 'stream']);
  const execute = gauge('topo_bolt_execute_latency_seconds', 'Mean time inside process() over the last 10 minutes (sampled).', inputLabels);
  const process = gauge('topo_bolt_process_latency_seconds', 'Mean time from the start of process() to the ack over the last 10 minutes (sampled).', inputLabels);
  const capacity = gauge('topo_bolt_capacity_ratio', "Storm's capacity: share of the last 10 minutes spent in process().", TASK_LABELS);
  const pending = gauge('topo_spout_pending_trees', 'Tuple trees in flight.', TASK_LABELS);
  const queued = gauge('topo_receive_queue_depth', 'Tuples waiting in the receive queue.', TASK_LABELS);
  const workerLabels = ['topology', 'worker'];
  const startTime = gauge('topo_worker_start_time_seconds', 'When the worker process started (seconds since the epoch).', workerLabels);
  const restarts = counter('topo_worker_restarts_total', 'Worker processes that died in this slot.', workerLabels);
  const heap = gauge('topo_worker_heap_used_bytes', 'V8 heap in use.', workerLabels);
  const rss = gauge('topo_worker_resident_memory_bytes', 'Resident set size.', workerLabels);
  const cpu = counter('topo_worker_cpu_seconds_total', 'CPU time, user and system.', workerLabels);
  const elu = gauge('topo_worker_event_loop_utilization_ratio', 'Share of time the event loop was busy between the last two reports.', workerLabels);
  const delay = gauge('topo_worker_event_loop_delay_seconds', 'Mean event-loop delay between the last two reports.', workerLabels);
  const gc = counter('topo_worker_gc_pause_seconds_total', 'Time spent in GC pauses.', workerLabels);
  const backpressure = gauge('topo_worker_backpressure_active', '1 while the worker holds its spouts back.', workerLabels);
  const info = gauge('topo_topology_info', 'A topology, by name and id, with its status.', ['topology', 'topology_id', 'status']);

  for (const t of topologies) {
    info.set({ topology: t.name, topology_id: t.id, status: t.status }, 1);
    for (const w of t.workers) {
      const worker = `${w.host}:${w.port}`;
      const labels = { topology: t.name, worker };
      restarts.inc(labels, w.restarts);
      const report = w.report;
      if (report === undefined) continue;
      const g = report.gauges;
      startTime.set(labels, (report.time - g.uptimeSeconds * 1000) / 1000);
      heap.set(labels, g.heapUsedBytes);
      rss.set(labels, g.rssBytes);
      cpu.inc(labels, g.cpuSeconds);
      elu.set(labels, g.eventLoopUtilization);
      delay.set(labels, g.eventLoopDelayMs / 1000);
      gc.inc(labels, g.gcPauseSeconds);
      backpressure.set(labels, g.backpressure ? 1 : 0);
      for (const e of report.executors) addExecutor(t.name, worker, e);
    }
  }

  function addExecutor(topology: string, worker: string, e: ExecutorReport): void {
    const base = { topology, component: e.component, task: String(Math.min(...e.tasks)), worker };
    const all = e.windows[ALL_TIME];
    const recent = e.windows['600'];
    for (const [stream, n] of Object.entries(all.emitted)) if (!isSystem(stream)) emitted.inc({ ...base, stream }, n);
    for (const [stream, n] of Object.entries(all.transferred)) if (!isSystem(stream)) transferred.inc({ ...base, stream }, n);
    if (e.kind === 'spout') {
      for (const [stream, n] of Object.entries(all.acked)) spoutAcked.inc({ ...base, stream }, n);
      for (const [stream, n] of Object.entries(all.failed)) spoutFailed.inc({ ...base, stream }, n);
      for (const [stream, ms] of Object.entries(recent.completeLatencyMs)) complete.set({ ...base, stream }, ms / 1000);
      pending.set(base, e.pending);
    } else if (e.kind === 'bolt') {
      const input = (key: string) => {
        const { component, stream } = splitInputKey(key);
        return { ...base, source_component: component, source_stream: stream };
      };
      for (const [key, n] of Object.entries(all.executed)) executed.inc(input(key), n);
      for (const [key, n] of Object.entries(all.acked)) boltAcked.inc(input(key), n);
      for (const [key, n] of Object.entries(all.failed)) boltFailed.inc(input(key), n);
      for (const [key, ms] of Object.entries(recent.executeLatencyMs)) execute.set(input(key), ms / 1000);
      for (const [key, ms] of Object.entries(recent.processLatencyMs)) process.set(input(key), ms / 1000);
      capacity.set(base, e.capacity);
      queued.set(base, e.queued);
    }
  }
  return registry;
}
