import type { WindowStats } from '@topo/runtime';
import { fixed3, isSystem } from './storm-format.js';

/**
 * Sums of WindowStats over executors (or streams), with latencies weighted as Storm
 * weights them: complete latency by acked trees, execute and process latency by executed
 * inputs. Capacity is the maximum over executors: one hot executor makes its component hot.
 */
export class WindowTotals {
  emitted = 0;
  transferred = 0;
  acked = 0;
  failed = 0;
  executed = 0;
  capacity = 0;
  private completeWeighted = 0;
  private completeWeight = 0;
  private executeWeighted = 0;
  private processWeighted = 0;
  private latencyWeight = 0;

  /** Adds one executor's window; with `sys` false, system streams leave emitted and transferred (as in Storm; acked and failed are not filtered). */
  add(w: WindowStats, sys: boolean, capacity = 0, keep: (key: string) => boolean = () => true): this {
    for (const [stream, n] of Object.entries(w.emitted)) if ((sys || !isSystem(stream)) && keep(stream)) this.emitted += n;
    for (const [stream, n] of Object.entries(w.transferred)) if ((sys || !isSystem(stream)) && keep(stream)) this.transferred += n;
    for (const [key, n] of Object.entries(w.acked)) {
      if (!keep(key)) continue;
      this.acked += n;
      const latency = w.completeLatencyMs[key];
      if (latency !== undefined) {
        this.completeWeighted += latency * n;
        this.completeWeight += n;
      }
    }
    for (const [key, n] of Object.entries(w.failed)) if (keep(key)) this.failed += n;
    for (const [key, n] of Object.entries(w.executed)) {
      if (!keep(key)) continue;
      this.executed += n;
      this.executeWeighted += (w.executeLatencyMs[key] ?? 0) * n;
      this.processWeighted += (w.processLatencyMs[key] ?? 0) * n;
      this.latencyWeight += n;
    }
    this.capacity = Math.max(this.capacity, capacity);
    return this;
  }

  get completeLatencyMs(): number {
    return this.completeWeight > 0 ? this.completeWeighted / this.completeWeight : 0;
  }

  get executeLatencyMs(): number {
    return this.latencyWeight > 0 ? this.executeWeighted / this.latencyWeight : 0;
  }

  get processLatencyMs(): number {
    return this.latencyWeight > 0 ? this.processWeighted / this.latencyWeight : 0;
  }

  /** Storm's spout row fields. */
  spoutFields(): { emitted: number; transferred: number; acked: number; failed: number; completeLatency: string } {
    return { emitted: this.emitted, transferred: this.transferred, acked: this.acked, failed: this.failed, completeLatency: fixed3(this.completeLatencyMs) };
  }

  /** Storm's bolt row fields. */
  boltFields(): { emitted: number; transferred: number; acked: number; failed: number; executed: number; executeLatency: string; processLatency: string; capacity: string } {
    return {
      emitted: this.emitted,
      transferred: this.transferred,
      acked: this.acked,
      failed: this.failed,
      executed: this.executed,
      executeLatency: fixed3(this.executeLatencyMs),
      processLatency: fixed3(this.processLatencyMs),
      capacity: fixed3(this.capacity),
    };
  }
}
