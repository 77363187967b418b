import { describe, expect, it } from 'vitest';
import { WindowedBolt, type Tuple, type TupleWindow } from '@topo/topology-dsl';
import { ManualClock, testBolt, type TestBoltEvent } from '@topo/runtime';

const firsts = (tuples: readonly Tuple[]) => tuples.map((t) => t.values[0]);

/** Emits each window it sees: its tuples' first values, the new ones, the expired ones, start and end. */
class WindowRecorder extends WindowedBolt {
  static outputs = ['tuples', 'newTuples', 'expiredTuples', 'start', 'end'] as const;
  execute(window: TupleWindow): void {
    this.emit([firsts(window.tuples), firsts(window.newTuples), firsts(window.expiredTuples), window.start ?? null, window.end]);
  }
}

/** The log as `W[tuples]` for an evaluation and `+i` for an ack of input i. */
function timeline(events: TestBoltEvent[]): string[] {
  return events.map((e) => (e.type === 'emit' ? `W${JSON.stringify(e.values[0])}` : `${e.type === 'ack' ? '+' : '-'}${e.input}`));
}

describe('windowed bolts (acceptance scenarios of storm-windows-and-state.md, section 5)', () => {
  it('5.1 tumbling count window: three windows of three, each acked before the next evaluation', async () => {
    const inputs = Array.from({ length: 10 }, (_, i) => [`v${i}`]);
    const result = await testBolt(WindowRecorder, { inputFields: ['value'], inputs, window: { length: { count: 3 } } });
    expect(result.emitted.map((e) => e.values.slice(0, 4))).toEqual([
      [['v0', 'v1', 'v2'], ['v0', 'v1', 'v2'], [], null],
      [['v3', 'v4', 'v5'], ['v3', 'v4', 'v5'], ['v0', 'v1', 'v2'], null],
      [['v6', 'v7', 'v8'], ['v6', 'v7', 'v8'], ['v3', 'v4', 'v5'], null],
    ]);
    expect(timeline(result.events)).toEqual(['W["v0","v1","v2"]', '+0', '+1', '+2', 'W["v3","v4","v5"]', '+3', '+4', '+5', 'W["v6","v7","v8"]']);
    expect(result.failed).toEqual([]);
    expect(result.errors).toEqual([]);
  });

  it('5.2 sliding count window: the last five every two, inputs acked as they fall out', async () => {
    const inputs = Array.from({ length: 8 }, (_, i) => [i + 1]);
    const result = await testBolt(WindowRecorder, { inputFields: ['value'], inputs, window: { length: { count: 5 }, slide: { count: 2 } } });
    expect(result.emitted.map((e) => e.values.slice(0, 3))).toEqual([
      [[1, 2], [1, 2], []],
      [[1, 2, 3, 4], [3, 4], []],
      [[2, 3, 4, 5, 6], [5, 6], [1]],
      [[4, 5, 6, 7, 8], [7, 8], [2, 3]],
    ]);
    // Inputs 1, 2, 3 are indexes 0, 1, 2.
    expect(result.acked).toEqual([0, 1, 2]);
  });

  it('5.3 processing-time tumbling window on a manual clock', async () => {
    const clock = new ManualClock(0);
    const at = (time: number, value: string) => [{ advanceTo: time }, { input: [value] }];
    const result = await testBolt(WindowRecorder, { inputFields: ['value'],
      clock,
      window: { length: { ms: 1000 } },
      steps: [...at(100, 'A'), ...at(500, 'B'), ...at(900, 'C'), ...at(1000, 'D'), ...at(1200, 'E'), ...at(1900, 'F'), ...at(2500, 'G'), { advanceTo: 3000 }],
    });
    expect(result.emitted.map((e) => e.values)).toEqual([
      [['A', 'B', 'C'], ['A', 'B', 'C'], [], -1, 999],
      [['D', 'E', 'F'], ['D', 'E', 'F'], ['A', 'B', 'C'], 999, 1999],
      [['G'], ['G'], ['D', 'E', 'F'], 1999, 2999],
    ]);
    expect(timeline(result.events)).toEqual(['W["A","B","C"]', '+0', '+1', '+2', 'W["D","E","F"]', '+3', '+4', '+5', 'W["G"]']);
  });

  it('5.4 event-time sliding window with lag: windows end on multiples of the slide, a tuple before the watermark is late', async () => {
    const clock = new ManualClock(0);
    const inputs = [603, 605, 607, 618, 626, 636].map((ts) => ({ input: [ts] }));
    const result = await testBolt(WindowRecorder, {
      clock,
      inputFields: ['ts'],
      window: { length: { ms: 20 }, slide: { ms: 10 }, timestamp: 'ts', lag: { ms: 5 } },
      // One watermark tick (the default interval, 1 s) computes 636 - 5 = 631; then 600 arrives, before it.
      steps: [...inputs, { advanceBy: 1000 }, { input: [600] }],
    });
    expect(result.emitted.map((e) => e.values)).toEqual([
      [[603, 605, 607], [603, 605, 607], [], 590, 610],
      [[603, 605, 607, 618], [618], [], 600, 620],
      [[618, 626], [626], [603, 605, 607], 610, 630],
    ]);
    // 603, 605, 607 left the window at 630; 600 was late, dropped, counted and acked at once; 618, 626, 636 are held.
    expect(result.acked).toEqual([0, 1, 2, 6]);
    expect(result.counters).toEqual({ 'window-late-tuples-dropped': 1 });
  });

  it('5.5 late tuple stream: a late tuple is emitted as a detached copy, anchored to it, and acked; one at the watermark is not late', async () => {
    const clock = new ManualClock(0);
    const step = (ts: number) => [{ input: [ts] }, { advanceBy: 1000 }];
    const result = await testBolt(WindowRecorder, {
      clock,
      inputFields: ['ts'],
      window: { length: { ms: 20 }, slide: { ms: 10 }, timestamp: 'ts', lag: { ms: 5 }, lateStream: 'late' },
      steps: [...[603, 605, 607, 618, 626, 636].flatMap(step), ...step(600), ...step(631)],
    });
    const late = result.emitted.filter((e) => e.stream === 'late');
    expect(late).toEqual([{ stream: 'late', values: [{ sourceComponent: 'input', sourceTask: expect.any(Number), sourceStream: 'default', fields: ['ts'], values: [600] }] }]);
    // 600 is input 6: acked at once and in no window; 631 (input 7) equals the watermark and is queued.
    expect(result.acked).toContain(6);
    expect(result.acked).not.toContain(7);
    expect(result.emitted.filter((e) => e.stream === 'default').flatMap((e) => e.values[0] as number[])).not.toContain(600);
    expect(result.counters).toEqual({});
  });

  it('5.7 event-time count windows with equal timestamps tumble and slide by position', async () => {
    const stamps = [10, 10, 11, 12, 12, 12, 12, 13, 14, 15];
    const run = async (window: { length: { count: number }; slide?: { count: number } }) => {
      const clock = new ManualClock(0);
      // The second value numbers the inputs 1..10; a last input at 25 lifts the watermark past 15 on the tick.
      const steps = [...stamps.map((ts, i) => ({ input: [ts, i + 1] })), { input: [25, 0] }, { advanceBy: 1000 }];
      const result = await testBolt(PositionRecorder, { clock, inputFields: ['ts', 'n'], window: { ...window, timestamp: 'ts', lag: { ms: 5 } }, steps });
      return result.emitted.map((e) => e.values[0]);
    };
    expect(await run({ length: { count: 2 } })).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
    expect(await run({ length: { count: 5 }, slide: { count: 2 } })).toEqual([[1, 2], [1, 2, 3, 4], [2, 3, 4, 5, 6], [4, 5, 6, 7, 8], [6, 7, 8, 9, 10]]);
  });

  it('lets explicit anchors through, and reports a window tuple the bolt acked itself when it expires', async () => {
    /** Emits once anchored to the window, once anchored to the last tuple only, then acks the last tuple itself: a double ack. */
    class Anchoring extends WindowedBolt {
      static outputs = ['n'] as const;
      execute(window: TupleWindow): void {
        this.emit([window.tuples.length]);
        this.emit([0], { anchors: window.tuples.at(-1)! });
        this.ack(window.tuples.at(-1)!);
      }
    }
    const result = await testBolt(Anchoring, { inputFields: ['value'], inputs: [[1], [2], [3], [4]], window: { length: { count: 2 } } });
    expect(result.emitted.map((e) => e.values)).toEqual([[2], [0], [2], [0]]);
    // Inputs 1 and 3 were acked by the bolt; 1's expiry ack is then a reported misuse (Storm acks twice).
    expect(result.acked).toEqual([1, 0, 3]);
    expect(result.errors.map((e) => (e as Error).message)).toEqual(['bolt acked a tuple from input that was already acked']);
  });

  it('an async execute holds the window: expiry acks wait for it, so its late emits still anchor to its tuples', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    class Slow extends WindowedBolt {
      static outputs = ['sum'] as const;
      async execute(window: TupleWindow): Promise<void> {
        if (window.tuples[0].values[0] === 1) await gate;
        this.emit([window.tuples.reduce((n, t) => n + (t.values[0] as number), 0)]);
      }
    }
    const pending = testBolt(Slow, { inputFields: ['value'], inputs: [[1], [2], [3], [4], [5], [6]], window: { length: { count: 2 } } });
    setTimeout(release, 20);
    const result = await pending;
    expect(result.emitted.map((e) => e.values[0])).toEqual([3, 7, 11]);
    expect(result.errors).toEqual([]);
    expect(timeline(result.events)).toEqual(['W3', '+0', '+1', 'W7', '+2', '+3', 'W11']);
  });

  it("honours a per-component watermark interval (Storm's worker drops it)", async () => {
    const clock = new ManualClock(0);
    const result = await testBolt(WindowRecorder, {
      clock,
      inputFields: ['ts'],
      window: { length: { ms: 10 }, timestamp: 'ts', watermarkInterval: { ms: 200 } },
      steps: [{ input: [5] }, { input: [25] }, { advanceBy: 199 }, { input: [26] }, { advanceBy: 1 }],
    });
    // At 200 ms (not the default 1 s) the watermark is 26: the window ending at 10 is evaluated, and 5 leaves at the empty one ending at 20.
    expect(result.events.map((e) => (e.type === 'emit' ? e.values.slice(0, 1) : e.type))).toEqual([[[5]], 'ack']);
  });

  it('fails a tuple without its timestamp field, naming the component, stream and field', async () => {
    const result = await testBolt(WindowRecorder, { inputs: [['x']], inputFields: ['ts'], window: { length: { count: 1 }, timestamp: 'ts' } });
    expect(result.failed).toEqual([0]);
    expect((result.errors[0] as Error).message).toBe('bolt: window event time: a tuple from input on stream default has "x" in field ts, not a number of ms');
  });

  it('reads event time through an extractor function given on the spec', async () => {
    const clock = new ManualClock(0);
    const result = await testBolt(WindowRecorder, {
      clock,
      inputFields: ['at'],
      window: { length: { seconds: 10 }, timestamp: (tuple) => Date.parse(tuple.get('at') as string) },
      steps: [{ input: ['2026-01-01T00:00:01Z'] }, { input: ['2026-01-01T00:00:09Z'] }, { input: ['2026-01-01T00:00:25Z'] }, { advanceBy: 1000 }],
    });
    const end = Date.parse('2026-01-01T00:00:10Z');
    expect(result.emitted.map((e) => e.values)).toEqual([[['2026-01-01T00:00:01Z', '2026-01-01T00:00:09Z'], ['2026-01-01T00:00:01Z', '2026-01-01T00:00:09Z'], [], end - 10_000, end]]);
  });
});

/** Records windows by the second field, the input's position. */
class PositionRecorder extends WindowedBolt {
  static outputs = ['positions'] as const;
  execute(window: TupleWindow): void {
    this.emit([window.tuples.map((t) => t.values[1])]);
  }
}
