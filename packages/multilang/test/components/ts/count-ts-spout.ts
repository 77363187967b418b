import { Spout } from '@topo/topology-dsl';

/** Emits `['ts', i]` for i below 5 with message id i, logs acks, and emits failed ids again. */
export class CountTsSpout extends Spout {
  static outputs = ['kind', 'n'] as const;
  private readonly queue = [0, 1, 2, 3, 4];

  nextTuple(): void {
    const i = this.queue.shift();
    if (i !== undefined) this.emit(['ts', i], { msgId: i });
  }

  ack(msgId: unknown): void {
    this.context.log('info', `acked ${String(msgId)}`);
  }

  fail(msgId: unknown): void {
    this.queue.push(msgId as number);
  }
}
