import { describe, expect, it } from 'vitest';
import { CheckpointStateMachine, INITIAL_RECORD, recoveryRecord, type CheckpointRecord } from '../src/state/checkpoint-state-machine.js';

/** Drives the machine as the spout does: stores what it says, and lists each emit as "txid ACTION". */
function driver(start: CheckpointRecord, interval = 1000) {
  const machine = new CheckpointStateMachine(start, interval);
  let stored = start;
  return {
    machine,
    stored: () => stored,
    next(now: number): string | undefined {
      const step = machine.next(now);
      if (step === undefined) return undefined;
      if (step.store !== undefined) stored = step.store;
      return `${step.txid} ${step.action}`;
    },
    ack() {
      const changed = machine.ack();
      if (changed !== undefined) stored = changed;
    },
  };
}

describe("the checkpoint spout's state machine (scenario 5.9)", () => {
  it('runs a fresh store through init, prepare, commit, a failure, rollback and recovery', () => {
    const d = driver(INITIAL_RECORD);
    expect(d.next(0)).toBe('-1 INITSTATE');
    expect(d.next(1)).toBeUndefined(); // one tuple in flight at a time
    d.ack();
    expect(d.next(10)).toBe('0 PREPARE');
    expect(d.stored()).toEqual({ txid: 0, state: 'PREPARING' });
    d.ack();
    expect(d.stored()).toEqual({ txid: 0, state: 'COMMITTING' });
    expect(d.next(11)).toBe('0 COMMIT'); // no wait
    d.ack();
    expect(d.stored()).toEqual({ txid: 0, state: 'COMMITTED' });
    expect(d.next(12)).toBeUndefined();
    expect(d.machine.dueAt()).toBe(1010);
    expect(d.next(1009)).toBeUndefined();
    expect(d.next(1010)).toBe('1 PREPARE');
    d.machine.fail();
    expect(d.next(1011)).toBe('1 ROLLBACK');
    d.machine.fail();
    expect(d.next(1012)).toBe('1 ROLLBACK');
    d.ack();
    expect(d.stored()).toEqual({ txid: 0, state: 'COMMITTED' });
    expect(d.next(1013)).toBe('0 INITSTATE');
    d.ack();
    expect(d.next(1014)).toBe('1 PREPARE'); // the first checkpoint after a recovery goes at once
  });

  it('drives a stored COMMITTING transaction forward, then rolls back to it before INITSTATE (unlike Storm)', () => {
    const d = driver({ txid: 100, state: 'COMMITTING' });
    expect(d.next(0)).toBe('100 COMMIT');
    d.ack();
    expect(d.stored()).toEqual({ txid: 100, state: 'COMMITTED' });
    expect(d.next(1)).toBe('101 ROLLBACK');
    d.ack();
    expect(d.stored()).toEqual({ txid: 100, state: 'COMMITTED' });
    expect(d.next(2)).toBe('100 INITSTATE');
    d.ack();
    expect(d.next(3)).toBe('101 PREPARE');
  });

  it('goes back to the rollback when an INITSTATE fails, rather than sending INITSTATE alone (unlike Storm)', () => {
    const d = driver({ txid: 100, state: 'PREPARING' });
    expect(d.next(0)).toBe('100 ROLLBACK');
    d.ack();
    expect(d.next(1)).toBe('99 INITSTATE');
    d.machine.fail();
    expect(d.next(2)).toBe('100 ROLLBACK');
    d.ack();
    expect(d.next(3)).toBe('99 INITSTATE');
    d.ack();
    expect(d.next(4)).toBe('100 PREPARE');
  });

  it('rolls back to a stored COMMITTED transaction when restarted, before INITSTATE (unlike Storm)', () => {
    const d = driver(recoveryRecord({ txid: 100, state: 'COMMITTED' }));
    expect(d.next(0)).toBe('101 ROLLBACK');
    d.ack();
    expect(d.stored()).toEqual({ txid: 100, state: 'COMMITTED' });
    expect(d.next(1)).toBe('100 INITSTATE');
    d.ack();
    expect(d.next(2)).toBe('101 PREPARE');
    // A stored transaction in flight recovers as Storm's does.
    expect(recoveryRecord({ txid: 7, state: 'COMMITTING' })).toEqual({ txid: 7, state: 'COMMITTING' });
    expect(recoveryRecord({ txid: 7, state: 'PREPARING' })).toEqual({ txid: 7, state: 'PREPARING' });
  });

  it('rolls a stored PREPARING transaction back', () => {
    const d = driver({ txid: 100, state: 'PREPARING' });
    expect(d.next(0)).toBe('100 ROLLBACK');
    d.ack();
    expect(d.next(1)).toBe('99 INITSTATE');
    d.ack();
    expect(d.next(2)).toBe('100 PREPARE');
  });

  it('re-sends a failed COMMIT after recovery, and never rolls a COMMITTING transaction back', () => {
    const d = driver(INITIAL_RECORD);
    d.next(0);
    d.ack();
    expect(d.next(1)).toBe('0 PREPARE');
    d.ack();
    expect(d.next(2)).toBe('0 COMMIT');
    d.machine.fail();
    expect(d.next(3)).toBe('0 COMMIT');
    d.ack();
    expect(d.next(4)).toBe('1 ROLLBACK');
  });
});
