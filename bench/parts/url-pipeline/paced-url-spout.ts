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
  /** When the URLs failed and queued for replay were first due, in UrlSpout's replay order. */
  private readonly replayDues: number[] = [];

  override open(): void {
    super.open();
    this.intervalMs = 1000 / Number(this.context.config[OFFERED_RATE_KEY]);
    this.start = performance.now();
  }

  override nextTuple(): void {
    if (this.start + this.due * this.intervalMs <= performance.now()) super.nextTuple();
  }

  override emit(values: unknown[], options?: SpoutEmitOptions): readonly number[] {
    // UrlSpout emits its replays first, in the order they failed, so their due times come off this queue in step; a replay keeps the time its first emit was due.
    const due = this.replayDues.length > 0 ? this.replayDues.shift()! : this.start + this.due++ * this.intervalMs;
    const msgId: PacedMsgId = { url: options?.msgId as string, due };
    return super.emit(values, { ...options, msgId });
  }

  ack(msgId: unknown): void {
    PacedUrlSpout.latency.record((performance.now() - (msgId as PacedMsgId).due) * 1000);
  }

  override fail(msgId: unknown): void {
    const { url, due } = msgId as PacedMsgId;
    this.replayDues.push(due);
    super.fail(url);
  }
}

/** The URL (UrlSpout's message id) and when it was due by the schedule. */
interface PacedMsgId {
  url: string;
  due: number;
}
