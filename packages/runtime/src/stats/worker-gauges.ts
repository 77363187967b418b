import { monitorEventLoopDelay, performance, PerformanceObserver, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';

/** A worker process's health at report time. */
export interface WorkerGauges {
  heapUsedBytes: number;
  heapTotalBytes: number;
  rssBytes: number;
  /** CPU time (user + system) since the process started. */
  cpuSeconds: number;
  /** Share of wall time the event loop was busy since the previous report (0..1): the honest saturation figure for a Node worker. */
  eventLoopUtilization: number;
  /** Mean and max event-loop delay since the previous report. */
  eventLoopDelayMs: number;
  eventLoopDelayMaxMs: number;
  /** Time spent in GC pauses since the process started. */
  gcPauseSeconds: number;
  /** Tuples waiting in this worker's bolt receive queues. */
  inboxDepth: number;
  /** Whether spouts here are held back (a full queue here or downstream, a blocked link). */
  backpressure: boolean;
  uptimeSeconds: number;
}

/**
 * Samples the process's figures for the stats report. The event-loop delay histogram
 * and the GC observer run on libuv and V8 hooks, not on the tuple path.
 */
export class WorkerGaugeSampler {
  private readonly delay: IntervalHistogram = monitorEventLoopDelay({ resolution: 20 });
  private readonly gc: PerformanceObserver;
  private gcMs = 0;
  private lastElu: EventLoopUtilization = performance.eventLoopUtilization();
  private readonly startedAt = Date.now();

  constructor() {
    this.delay.enable();
    this.gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.gcMs += entry.duration;
    });
    this.gc.observe({ entryTypes: ['gc'] });
  }

  sample(inboxDepth: number, backpressure: boolean, now = Date.now()): WorkerGauges {
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization(this.lastElu);
    this.lastElu = performance.eventLoopUtilization();
    const gauges: WorkerGauges = {
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      rssBytes: memory.rss,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      eventLoopUtilization: Number.isFinite(elu.utilization) ? elu.utilization : 0,
      eventLoopDelayMs: Number.isFinite(this.delay.mean) ? this.delay.mean / 1e6 : 0,
      eventLoopDelayMaxMs: this.delay.max / 1e6,
      gcPauseSeconds: this.gcMs / 1000,
      inboxDepth,
      backpressure,
      uptimeSeconds: Math.max(0, (now - this.startedAt) / 1000),
    };
    this.delay.reset();
    return gauges;
  }

  close(): void {
    this.delay.disable();
    this.gc.disconnect();
  }
}
