import type { ClusterState } from '@topo/nimbus';
import type { ErrorRecord, ErrorSink } from '@topo/runtime';

/** Errors waiting for Redis at most: the throttle lets few through, and a Redis that is away must not grow a worker. */
const MAX_PENDING = 100;

/**
 * Writes a supervisor's worker's errors to the cluster state (a list per component and
 * the component's last error), where nimbus serves them. Writes are batched per turn of
 * the event loop; while Redis is away the newest `MAX_PENDING` wait for the next write.
 * A worker that fails to start flushes before it exits, so a crash loop shows its cause.
 */
export class WorkerErrorWriter {
  private pending: ErrorRecord[] = [];
  private keep = 1;
  private writing: Promise<void> | undefined;
  private scheduled = false;

  constructor(
    private readonly state: ClusterState,
    private readonly topology: string,
  ) {
    // Connected (again): write what waited.
    state.redis.on('ready', () => void this.flush().catch(() => {}));
  }

  readonly sink: ErrorSink = (record, keep) => {
    this.keep = keep;
    this.pending.push(record);
    if (this.pending.length > MAX_PENDING) this.pending.shift();
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush().catch(() => {});
    });
  };

  /** Before the process exits: waits up to `timeoutMs` for Redis if need be, then writes what is pending. */
  async flushBeforeExit(timeoutMs: number): Promise<void> {
    if (this.pending.length === 0 && this.writing === undefined) return;
    const redis = this.state.redis;
    if (redis.status !== 'ready') {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        redis.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await this.flush().catch(() => {});
  }

  /** Writes what is pending; rejects when Redis refused it (the records stay pending). */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing.catch(() => {});
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.writing = this.state.appendErrors(this.topology, batch, this.keep).catch((error: unknown) => {
      this.pending = [...batch, ...this.pending].slice(-MAX_PENDING);
      throw error;
    });
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }
}
