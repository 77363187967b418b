import { Spout, type FailReason } from '@topo/topology-dsl';

/** What a tracking spout saw of its message ids, shared by all its tasks. */
export class SpoutLedger {
  /** msgId -> how many times `ack` was called for it. */
  readonly acks = new Map<number, number>();
  /** msgIds in `fail` order. */
  readonly fails: number[] = [];
  /** The reason `fail` was given, for each of `fails`. */
  readonly failReasons: (FailReason | undefined)[] = [];
  /** msgIds in emit order, replays included. */
  readonly emits: number[] = [];
  /** The most msgIds one task had emitted and not yet seen acked or failed. */
  maxOutstanding = 0;

  constructor(readonly total: number) {}

  get acked(): number {
    return this.acks.size;
  }

  /** msgIds acked more than once. */
  duplicateAcks(): number[] {
    return [...this.acks].filter(([, n]) => n > 1).map(([id]) => id);
  }

  /** True when every msgId has been acked. */
  complete(): boolean {
    return this.acks.size === this.total;
  }
}

/**
 * A spout class emitting `[id, attempt]` with `msgId: id` for ids `0..total-1`, split
 * over its tasks, that records everything in `ledger` and, with `replay`, emits a failed
 * id again with the next attempt number.
 */
export function ledgerSpout(ledger: SpoutLedger, options: { replay: boolean }) {
  return class LedgerSpout extends Spout {
    static outputs = ['id', 'attempt'] as const;
    private readonly queue: number[] = [];
    private readonly outstanding = new Set<number>();
    private readonly attempts = new Map<number, number>();

    open(): void {
      const { taskIndex, componentTasks } = this.context;
      for (let id = taskIndex; id < ledger.total; id += componentTasks.length) this.queue.push(id);
    }

    nextTuple(): void {
      const id = this.queue.shift();
      if (id === undefined) return;
      const attempt = this.attempts.get(id) ?? 0;
      this.attempts.set(id, attempt + 1);
      this.outstanding.add(id);
      ledger.maxOutstanding = Math.max(ledger.maxOutstanding, this.outstanding.size);
      ledger.emits.push(id);
      this.emit([id, attempt], { msgId: id });
    }

    ack(id: unknown): void {
      this.outstanding.delete(id as number);
      ledger.acks.set(id as number, (ledger.acks.get(id as number) ?? 0) + 1);
    }

    fail(id: unknown, reason?: FailReason): void {
      this.outstanding.delete(id as number);
      ledger.fails.push(id as number);
      ledger.failReasons.push(reason);
      if (options.replay) this.queue.push(id as number);
    }
  };
}
