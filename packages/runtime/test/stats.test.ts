import { describe, expect, it } from 'vitest';
import { BasicBolt, Topology, type TopologyConfig, type Tuple } from '@topo/topology-dsl';
import { RollingWindows } from '../src/stats/rolling-windows.js';
import { capacity, emptyWindowStats } from '../src/stats/window-stats.js';
import { SpoutLedger, ledgerSpout } from './support/ledger-spout.js';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();
const BUSY_MS = 2;

/** Spends BUSY_MS of the thread's time on each input, synchronously. */
class Busy extends BasicBolt {
  process(): void {
    const until = performance.now() + BUSY_MS;
    while (performance.now() < until);
  }
}

async function run(trees: number, config: TopologyConfig) {
  const ledger = new SpoutLedger(trees);
  class Split extends BasicBolt {
    static override outputs = ['id'] as const;
    static override streams = { odd: ['id'] } as const;
    process(tuple: Tuple): void {
      const id = tuple.get('id') as number;
      this.emit([id], { stream: id % 2 === 1 ? 'odd' : 'default' });
    }
  }
  class Counted extends Topology {
    static override config = config;
    spout = ledgerSpout(ledger, { replay: false }).spec();
    split = Split.spec({ p: 2, input: this.spout });
    even = Busy.spec({ input: this.split });
    odd = Busy.spec({ input: this.split.stream('odd') });
  }
  const worker = await cluster().submit(Counted);
  await cluster().until(() => ledger.complete(), 'every msgId acked');
  return worker.stats.report();
}

describe('executor stats', () => {
  it("count per stream and input in every window, with Storm's keys", async () => {
    const report = await run(200, { 'topology.stats.sample.rate': 1 });
    const windows = (component: string) => report.executors.filter((e) => e.component === component).map((e) => e.windows);
    for (const window of ['600', '10800', '86400', ':all-time'] as const) {
      const [spout] = windows('spout');
      expect(spout[window]).toMatchObject({ emitted: { default: 200 }, transferred: { default: 200 }, acked: { default: 200 } });
      const split = windows('split').map((w) => w[window]);
      expect(split.reduce((n, w) => n + (w.executed['spout:default'] ?? 0), 0)).toBe(200);
      expect(split.reduce((n, w) => n + (w.emitted.default ?? 0), 0)).toBe(100);
      expect(split.reduce((n, w) => n + (w.emitted.odd ?? 0), 0)).toBe(100);
      expect(windows('even')[0][window].executed).toEqual({ 'split:default': 100 });
      expect(windows('odd')[0][window].acked).toEqual({ 'split:odd': 100 });
    }
  });

  it('times every input at sample rate 1, and capacity is the share of uptime spent in process()', async () => {
    const report = await run(100, { 'topology.stats.sample.rate': 1 });
    const even = report.executors.find((e) => e.component === 'even')!;
    const latency = even.windows['600'].executeLatencyMs['split:default'];
    expect(latency).toBeGreaterThanOrEqual(BUSY_MS);
    expect(even.windows['600'].processLatencyMs['split:default']).toBeGreaterThanOrEqual(latency);
    // 50 inputs of at least BUSY_MS each, over the executor's uptime so far (under 10 minutes; the first second counts as one).
    expect(even.capacity).toBeCloseTo((50 * latency) / (Math.max(1, even.uptimeSeconds) * 1000), 5);
    expect(even.capacity).toBeGreaterThan(0);
    expect(report.executors.find((e) => e.component === 'spout')!.windows['600'].completeLatencyMs.default).toBeGreaterThan(0);
  });

  it("samples one input in round(1 / rate) at Storm's default 0.05, and counts every one", async () => {
    const report = await run(400, {});
    const split = report.executors.filter((e) => e.component === 'split');
    expect(split.reduce((n, e) => n + e.windows[':all-time'].executed['spout:default'], 0)).toBe(400);
    expect(split.every((e) => (e.windows[':all-time'].executeLatencyMs['spout:default'] ?? 0) > 0)).toBe(true);
    expect(report.gauges).toMatchObject({ heapUsedBytes: expect.any(Number), inboxDepth: 0, backpressure: false });
  });
});

describe('rolling windows', () => {
  it("drop what is older than the window, keeping Storm's 20 buckets per window", () => {
    const start = 1_000_000;
    const windows = new RollingWindows(start);
    const at = (secs: number, value: number) => windows.roll(Float64Array.of(value), start + secs * 1000);
    // One event a second for 20 minutes.
    let last = new Map<string, Float64Array>();
    for (let s = 1; s <= 1200; s++) last = at(s, s);
    const tenMinutes = last.get('600')![0];
    // Between 19/20 of the window and all of it.
    expect(tenMinutes).toBeGreaterThanOrEqual(570);
    expect(tenMinutes).toBeLessThanOrEqual(600);
    expect(last.get('10800')![0]).toBe(1200);
    expect(last.get(':all-time')![0]).toBe(1200);
  });

  it('give zero capacity to an idle bolt', () => {
    expect(capacity(emptyWindowStats(), 30)).toBe(0);
  });
});
