import type { TopologyConfig } from '@topo/topology-dsl';
import type { Logger } from '../logging/logger.js';
import { ErrorLog } from './error-log.js';
import { errorRecord, type ErrorOrigin, type ErrorRecord, type ErrorSource } from './error-record.js';
import { ErrorThrottle } from './error-throttle.js';

/**
 * Where a worker's stored errors go besides its own log: its parent (local pool) or Redis
 * (cluster), with how many per component the topology keeps (`topo.errors.kept.per.component`).
 */
export type ErrorSink = (record: ErrorRecord, keep: number) => void;

/**
 * A worker's errors: each executor's throttle, the log lines, the kept records and the
 * sink. Nothing here runs while nothing fails: executors call `report` only from their
 * catch blocks and `reportError`.
 */
export class ErrorReporter {
  readonly log: ErrorLog;
  private readonly throttles: ErrorThrottle[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    config: TopologyConfig,
    /** Worker id and address; the port is set once the worker listens. */
    readonly origin: ErrorOrigin,
    private readonly sink: ErrorSink | undefined,
  ) {
    this.log = new ErrorLog(Number(config['topo.errors.kept.per.component']));
  }

  /** A throttle for one executor, with its component's settings. */
  throttleFor(component: string, firstTask: number, config: TopologyConfig): ErrorThrottle {
    const throttle = new ErrorThrottle(
      component,
      firstTask,
      Number(config['topology.error.throttle.interval.secs']) * 1000,
      Number(config['topology.max.error.report.per.interval']),
    );
    this.throttles.push(throttle);
    return throttle;
  }

  report(throttle: ErrorThrottle, task: number, source: ErrorSource, error: unknown): boolean {
    const now = Date.now();
    this.logSuppressed(throttle, now);
    if (!throttle.admit(now)) return false;
    const component = throttle.component;
    const message = `${source === 'reportError' ? 'reported' : `${source}() threw`}: ${error instanceof Error ? error.message : String(error)}`;
    this.logger.error({ component, task, err: error }, message);
    const record = errorRecord(component, task, source, error, now, this.origin);
    this.log.add(record);
    this.sink?.(record, this.log.keep);
    return true;
  }

  /** Logs, once per interval, how many errors each throttle held back, also when no error comes after them. */
  start(): void {
    const shortest = Math.min(...this.throttles.map((t) => t.intervalMs));
    if (!Number.isFinite(shortest)) return;
    this.sweepTimer = setInterval(() => this.sweep(), shortest);
    this.sweepTimer.unref();
  }

  /** Stops the sweeps, logging what the last intervals held back. */
  stop(): void {
    clearInterval(this.sweepTimer);
    this.sweep(Number.POSITIVE_INFINITY);
  }

  private sweep(now = Date.now()): void {
    for (const throttle of this.throttles) this.logSuppressed(throttle, now);
  }

  private logSuppressed(throttle: ErrorThrottle, now: number): void {
    const n = throttle.endedSuppressed(now);
    if (n === 0) return;
    const secs = throttle.intervalMs / 1000;
    this.logger.error(
      { component: throttle.component, task: throttle.task },
      `${n} more error${n === 1 ? '' : 's'} in ${secs} s not logged or stored (at most ${throttle.maxPerInterval} per topology.error.throttle.interval.secs of ${secs})`,
    );
  }
}
