import { ACK_FAIL, ACK_INIT, ACK_LOST, RESULT_ACK, RESULT_FAIL, RESULT_LOST } from './acker-messages.js';
import { PendingTable } from './pending-table.js';

/** Owner of a tree whose fail (FAILED_EARLY) or loss (LOST_EARLY) overtook its init. */
const FAILED_EARLY = -1;
const LOST_EARLY = -2;

/** Where the acker sends its verdicts: to the spout task that owns the tree. */
export type AckerResultSink = (spoutTask: number, result: number, rootHi: number, rootLo: number) => void;

/**
 * Storm's acker: per root it keeps the XOR of every edge id reported. The spout's init
 * XORs in the edges of the spout tuple, each bolt ack XORs in the acked edge and the
 * edges of its anchored children; every edge is thus XORed twice, and the value reaches
 * zero exactly when the tree is fully processed. Messages may arrive in any order.
 */
export class Acker {
  readonly table = new PendingTable();
  private generation = 0;
  completed = 0;
  failed = 0;
  expired = 0;

  constructor(private readonly sink: AckerResultSink) {}

  handle(type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number, spoutTask: number): void {
    const table = this.table;
    const slot = table.slot(rootHi, rootLo, this.generation);
    if (type === ACK_FAIL || type === ACK_LOST) {
      // A fail can overtake its tree's init (they come from different tasks, maybe other
      // workers): the root is then remembered as failed, and the init fails the tree. A
      // bolt's fail says more about the message than a loss, so it wins over one.
      const owner = table.owner(slot);
      if (owner > 0) {
        table.remove(slot);
        this.failed++;
        this.sink(owner, type === ACK_FAIL ? RESULT_FAIL : RESULT_LOST, rootHi, rootLo);
      } else if (type === ACK_FAIL || owner === 0) {
        table.setOwner(slot, type === ACK_FAIL ? FAILED_EARLY : LOST_EARLY);
      }
      return;
    }
    const zero = table.xor(slot, xorHi, xorLo);
    if (type === ACK_INIT) {
      const early = table.owner(slot);
      if (early < 0) {
        table.remove(slot);
        this.failed++;
        this.sink(spoutTask, early === FAILED_EARLY ? RESULT_FAIL : RESULT_LOST, rootHi, rootLo);
        return;
      }
      table.setOwner(slot, spoutTask);
    }
    const owner = table.owner(slot);
    if (owner > 0 && zero) {
      table.remove(slot);
      this.completed++;
      this.sink(owner, RESULT_ACK, rootHi, rootLo);
    }
  }

  /**
   * Called once per message timeout: trees older than two timeouts are forgotten (their
   * spouts have long failed them), so a lost message never leaks memory.
   */
  rotate(): void {
    this.generation = (this.generation + 1) & 0xff;
    this.expired += this.table.expire(this.generation, 2);
  }

  get pending(): number {
    return this.table.size;
  }
}

