import { Spout } from '@topo/topology-dsl';

/** What a LedgerSpout saw: acks and fails per message index. */
export class Ledger {
  readonly acked = new Set<number>();
  readonly failed: number[] = [];
  constructor(readonly values: readonly unknown[][]) {}

  complete(): boolean {
    return this.acked.size === this.values.length;
  }
}

/**
 * A spout class that emits each of `ledger.values` once with its index as message id,
 * and again whenever it fails: a source that never loses anything it emitted.
 */
export function ledgerSpout(ledger: Ledger, fields: readonly string[]) {
  return class LedgerSpout extends Spout {
    static outputs = fields;
    private readonly queue = ledger.values.map((_, i) => i);

    nextTuple(): void {
      const i = this.queue.shift();
      if (i !== undefined) this.emit([...ledger.values[i]], { msgId: i });
    }

    ack(msgId: unknown): void {
      ledger.acked.add(msgId as number);
    }

    fail(msgId: unknown): void {
      ledger.failed.push(msgId as number);
      this.queue.push(msgId as number);
    }
  };
}
