import type { CheckpointAction } from '@topo/topology-dsl';

export type CheckpointPhase = 'COMMITTED' | 'PREPARING' | 'COMMITTING';

/** The checkpoint spout's stored record (Storm's CheckPointState), under key `__state`. */
export interface CheckpointRecord {
  txid: number;
  state: CheckpointPhase;
}

export const INITIAL_RECORD: CheckpointRecord = { txid: -1, state: 'COMMITTED' };

/**
 * Where a recovery from `stored` starts: a transaction in flight as it is, a committed t as
 * ROLLBACK(t + 1), so that INITSTATE(t) follows a rollback. Used when a restarted checkpoint
 * spout finds its record, after a re-sent COMMIT, and when an INITSTATE fails. Storm goes
 * from (t, COMMITTED) straight to INITSTATE(t): tasks that survived keep what they
 * processed since t, tasks restarted meanwhile start from t, and the next commit records
 * source positions past inputs whose effects died with those tasks, which no rollback
 * brings back (the crash tests lost counts so). Rolling back first puts every task and
 * every rewindable source at t.
 */
export function recoveryRecord(stored: CheckpointRecord): CheckpointRecord {
  return stored.state === 'COMMITTED' ? { txid: stored.txid + 1, state: 'PREPARING' } : stored;
}

/**
 * Storm's checkpoint spout state machine (facts 2.3), without I/O or timers: `next(now)`
 * says what to store and emit, `ack()` and `fail()` what the last emit's tree did. At most
 * one checkpoint tuple is in flight. Starts in recovery; the first checkpoint after a
 * recovery goes at once, the next ones when `intervalMs` has passed since the previous
 * COMMITTED -> PREPARING move.
 *
 * One difference from Storm: a recovery always ends with ROLLBACK(t + 1), then INITSTATE(t)
 * for the last committed t. Storm goes from a re-sent COMMIT, or a failed INITSTATE, to
 * INITSTATE alone, which survivors ignore: tasks restarted meanwhile start from t while the
 * others keep what they processed since, and the next commit records source positions past
 * effects that died with the restarted ones (see `recoveryRecord`).
 */
export class CheckpointStateMachine {
  private recovering = true;
  private inFlight = false;
  private lastCheckpoint = -Infinity;

  constructor(
    private current: CheckpointRecord,
    private readonly intervalMs: number,
  ) {}

  get record(): CheckpointRecord {
    return this.current;
  }

  /** True while a checkpoint tuple waits for its ack or fail. */
  get waiting(): boolean {
    return this.inFlight;
  }

  /** When `next()` would have something to emit, if only time stands in the way. */
  dueAt(): number {
    return this.recovering || this.current.state !== 'COMMITTED' ? -Infinity : this.lastCheckpoint + this.intervalMs;
  }

  /**
   * The checkpoint tuple to emit now, with the record to store before it (when it
   * changes), or undefined when one is in flight or the interval has not passed.
   */
  next(now: number): { store?: CheckpointRecord; txid: number; action: CheckpointAction } | undefined {
    if (this.inFlight) return undefined;
    const { txid, state } = this.current;
    if (this.recovering) {
      this.inFlight = true;
      return { txid, action: state === 'COMMITTED' ? 'INITSTATE' : state === 'PREPARING' ? 'ROLLBACK' : 'COMMIT' };
    }
    if (state === 'COMMITTED') {
      if (now < this.lastCheckpoint + this.intervalMs) return undefined;
      this.lastCheckpoint = now;
      this.current = { txid: txid + 1, state: 'PREPARING' };
      this.inFlight = true;
      return { store: this.current, txid: txid + 1, action: 'PREPARE' };
    }
    this.inFlight = true;
    return { txid, action: state === 'PREPARING' ? 'PREPARE' : 'COMMIT' };
  }

  /** The in-flight tuple's tree completed; returns the record to store, if it changed. */
  ack(): CheckpointRecord | undefined {
    this.inFlight = false;
    const { txid, state } = this.current;
    if (this.recovering) {
      if (state === 'COMMITTED') {
        this.recovering = false;
        this.lastCheckpoint = -Infinity;
        return undefined;
      }
      if (state === 'PREPARING') {
        this.current = { txid: txid - 1, state: 'COMMITTED' };
        return this.current;
      }
      // The commit is through: stored as committed, then rolled back to before INITSTATE.
      const committed: CheckpointRecord = { txid, state: 'COMMITTED' };
      this.current = recoveryRecord(committed);
      return committed;
    }
    this.current = state === 'PREPARING' ? { txid, state: 'COMMITTING' } : { txid, state: 'COMMITTED' };
    return this.current;
  }

  /**
   * The in-flight tuple's tree failed: recover from whatever is stored (the same step again
   * when already recovering; a failed INITSTATE goes back to the ROLLBACK before it).
   */
  fail(): void {
    this.inFlight = false;
    this.recovering = true;
    if (this.current.state === 'COMMITTED') this.current = recoveryRecord(this.current);
  }
}
