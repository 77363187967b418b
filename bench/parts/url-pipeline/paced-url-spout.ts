import { LatencyHistogram } from '@topo/runtime';
import type { SpoutEmitOptions } from '@topo/topology-dsl';
import { UrlSpout } from '../../../examples/url-parser/src/url-spout.js';

/** Component config key: the rate, in tuples per second, the spout offers. */
export const OFFERED_RATE_KEY = 'bench.offered.tuples.per.sec';

/**
 * The example's spout held to a fixed offered rate. Each tree is timed from when its URL
 * was due by the schedule to its ack, so a stall that delays emits is counted rather
 * than hidden (no coordinated omission, unlike timing from the emit).
 */
export class PacedUrlSpout extends UrlSpout {
  /** One measurement per process, so one histogram the bench reads and resets. */
  static readonly latency = new LatencyHistogram();

  private intervalMs = 0;
  private start = 0;
  private due = 0;
  private readonly dueAt = new Map<unknown, number>();

  override open(): void {
    super.open();
    this.intervalMs = 1000 / Number(this.context.config[OFFERED_RATE_KEY]);
    this.start = performance.now();
  }

  override nextTuple(): void {
    if (this.start + this.due * this.intervalMs <= performance.now()) super.nextTuple();
  }

  override emit(values: unknown[], options?: SpoutEmitOptions): readonly number[] {
    // Replays keep the time their first emit was due.
    if (!this.dueAt.has(options?.msgId)) this.dueAt.set(options?.msgId, this.start + this.due++ * this.intervalMs);
    return super.emit(values, options);
  }

  override ack(msgId: unknown): void {
    PacedUrlSpout.latency.record((performance.now() - this.dueAt.get(msgId)!) * 1000);
    this.dueAt.delete(msgId);
    super.ack(msgId);
  }
}
