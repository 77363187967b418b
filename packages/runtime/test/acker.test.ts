import { describe, expect, it } from 'vitest';
import { seededRandom, shuffled } from '@topo/runtime';
import { ACK_ACK, ACK_FAIL, ACK_INIT, ACK_LOST, RESULT_ACK, RESULT_FAIL, RESULT_LOST } from '../src/acker/acker-messages.js';
import { Acker } from '../src/acker/acker.js';

/** One acker message: [type, rootHi, rootLo, xorHi, xorLo, spoutTask]. */
type Message = [number, number, number, number, number, number];

interface Verdict {
  spoutTask: number;
  result: number;
  rootHi: number;
  rootLo: number;
}

/**
 * The messages one tuple tree sends its acker, as the executors would: the spout's init
 * with the XOR of its tuples' edge ids, then per tuple an ack with its own edge XOR its
 * children's edges; with `failing`, one random tuple sends a fail instead of its ack.
 */
function treeMessages(random: () => number, rootHi: number, rootLo: number, spoutTask: number, failing: boolean): Message[] {
  const int32 = () => ((random() * 4294967295) | 0) || 1;
  const acks: Message[] = [];
  const tuple = (depth: number): [number, number] => {
    const edge: [number, number] = [int32(), int32()];
    let childHi = 0;
    let childLo = 0;
    const children = depth < 3 ? Math.floor(random() * 3) : 0;
    for (let c = 0; c < children; c++) {
      const [hi, lo] = tuple(depth + 1);
      childHi ^= hi;
      childLo ^= lo;
    }
    acks.push([ACK_ACK, rootHi, rootLo, edge[0] ^ childHi, edge[1] ^ childLo, 0]);
    return edge;
  };
  let initHi = 0;
  let initLo = 0;
  const spoutTuples = 1 + Math.floor(random() * 3);
  for (let s = 0; s < spoutTuples; s++) {
    const [hi, lo] = tuple(0);
    initHi ^= hi;
    initLo ^= lo;
  }
  if (failing) acks[Math.floor(random() * acks.length)] = [ACK_FAIL, rootHi, rootLo, 0, 0, 0];
  return [[ACK_INIT, rootHi, rootLo, initHi, initLo, spoutTask], ...acks];
}

function newAcker(): { acker: Acker; verdicts: Verdict[] } {
  const verdicts: Verdict[] = [];
  const acker = new Acker((spoutTask, result, rootHi, rootLo) => verdicts.push({ spoutTask, result, rootHi, rootLo }));
  return { acker, verdicts };
}

describe('Acker', () => {
  it('acks a tree exactly when its last message arrives, in any order', () => {
    const random = seededRandom(11);
    for (let trial = 0; trial < 300; trial++) {
      const { acker, verdicts } = newAcker();
      const messages = shuffled(treeMessages(random, trial + 1, 1000 + trial, 5, false), random);
      for (let i = 0; i < messages.length; i++) {
        acker.handle(...messages[i]);
        expect(verdicts, `trial ${trial}, after message ${i + 1} of ${messages.length}`).toHaveLength(i === messages.length - 1 ? 1 : 0);
      }
      expect(verdicts[0]).toEqual({ spoutTask: 5, result: RESULT_ACK, rootHi: trial + 1, rootLo: 1000 + trial });
      expect(acker.pending).toBe(0);
    }
  });

  it('fails a tree once when any tuple fails, in any order, including before the init', () => {
    const random = seededRandom(12);
    let failBeforeInit = 0;
    for (let trial = 0; trial < 300; trial++) {
      const { acker, verdicts } = newAcker();
      const messages = shuffled(treeMessages(random, -trial - 1, trial, 3, true), random);
      if (messages.findIndex((m) => m[0] === ACK_FAIL) < messages.findIndex((m) => m[0] === ACK_INIT)) failBeforeInit++;
      for (const message of messages) acker.handle(...message);
      expect(verdicts, `trial ${trial}: ${JSON.stringify(messages.map((m) => m[0]))}`).toEqual([{ spoutTask: 3, result: RESULT_FAIL, rootHi: -trial - 1, rootLo: trial }]);
    }
    expect(failBeforeInit).toBeGreaterThan(50);
  });

  it('fails a tree whose fail is the very first message it sees', () => {
    const { acker, verdicts } = newAcker();
    acker.handle(ACK_FAIL, 7, 8, 0, 0, 0);
    acker.handle(ACK_INIT, 7, 8, 0x1234, 0x5678, 4);
    expect(verdicts).toEqual([{ spoutTask: 4, result: RESULT_FAIL, rootHi: 7, rootLo: 8 }]);
    // Acks still in flight for the failed tree change nothing.
    acker.handle(ACK_ACK, 7, 8, 0x1234, 0x5678, 0);
    expect(verdicts).toHaveLength(1);
  });

  it('tells a tree lost in transit from one a bolt failed, before and after the init; a bolt\'s fail wins', () => {
    const { acker, verdicts } = newAcker();
    // Lost after the init, and before it.
    acker.handle(ACK_INIT, 1, 1, 0x11, 0x11, 4);
    acker.handle(ACK_LOST, 1, 1, 0, 0, 0);
    acker.handle(ACK_LOST, 2, 2, 0, 0, 0);
    acker.handle(ACK_INIT, 2, 2, 0x22, 0x22, 4);
    // Lost and failed before the init, in both orders: the tree failed.
    acker.handle(ACK_LOST, 3, 3, 0, 0, 0);
    acker.handle(ACK_FAIL, 3, 3, 0, 0, 0);
    acker.handle(ACK_INIT, 3, 3, 0x33, 0x33, 4);
    acker.handle(ACK_FAIL, 4, 4, 0, 0, 0);
    acker.handle(ACK_LOST, 4, 4, 0, 0, 0);
    acker.handle(ACK_INIT, 4, 4, 0x44, 0x44, 4);
    expect(verdicts.map((v) => [v.rootHi, v.result])).toEqual([
      [1, RESULT_LOST],
      [2, RESULT_LOST],
      [3, RESULT_FAIL],
      [4, RESULT_FAIL],
    ]);
    expect(acker.failed).toBe(4);
    expect(acker.pending).toBe(0);
  });

  it('keeps many interleaved trees apart and reports each to its own spout task', () => {
    const random = seededRandom(13);
    const { acker, verdicts } = newAcker();
    const trees = Array.from({ length: 2000 }, (_, i) => ({ hi: (random() * 4294967295) | 0, lo: (random() * 4294967295) | 0, task: 1 + (i % 4), failing: i % 7 === 0 }));
    const messages = shuffled(
      trees.flatMap((t) => treeMessages(random, t.hi, t.lo, t.task, t.failing)),
      random,
    );
    for (const message of messages) acker.handle(...message);

    const verdictsOf = new Map<string, Verdict[]>();
    for (const v of verdicts) verdictsOf.set(`${v.rootHi}:${v.rootLo}`, [...(verdictsOf.get(`${v.rootHi}:${v.rootLo}`) ?? []), v]);
    const wrong = trees.filter((t) => {
      const got = verdictsOf.get(`${t.hi}:${t.lo}`) ?? [];
      return got.length !== 1 || got[0].spoutTask !== t.task || got[0].result !== (t.failing ? RESULT_FAIL : RESULT_ACK);
    });
    expect(wrong.map((t) => `${t.hi}:${t.lo} -> ${JSON.stringify(verdictsOf.get(`${t.hi}:${t.lo}`) ?? [])}`)).toEqual([]);
    expect(verdicts).toHaveLength(trees.length);
    expect(acker.completed).toBe(trees.filter((t) => !t.failing).length);
    expect(acker.failed).toBe(trees.filter((t) => t.failing).length);
  });

  it('forgets unfinished trees after two rotations', () => {
    const random = seededRandom(14);
    const { acker, verdicts } = newAcker();
    const incomplete = (hi: number) => treeMessages(random, hi, hi * 3, 2, false).slice(0, -1);
    for (const message of [...incomplete(1), ...incomplete(2)]) acker.handle(...message);
    acker.rotate();
    for (const message of incomplete(3)) acker.handle(...message);
    expect(acker.pending).toBe(3);

    acker.rotate();
    expect(acker.pending).toBe(1);
    expect(acker.expired).toBe(2);
    acker.rotate();
    expect(acker.pending).toBe(0);
    expect(acker.expired).toBe(3);
    expect(verdicts).toEqual([]);
  });
});
