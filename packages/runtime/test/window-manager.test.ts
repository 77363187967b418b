import { describe, expect, it } from 'vitest';
import type { WindowSettings } from '@topo/topology-dsl';
import { ManualClock } from '@topo/runtime';
import { WatermarkGenerator } from '../src/windowing/watermark-generator.js';
import { installPolicies } from '../src/windowing/window-policies.js';
import { WindowManager } from '../src/windowing/window-manager.js';
import { TimeEviction } from '../src/windowing/time-eviction.js';
import { CountEviction } from '../src/windowing/count-eviction.js';
import { TimeTrigger } from '../src/windowing/time-trigger.js';

interface Activation {
  events: number[];
  newEvents: number[];
  expired: number[];
  end: number;
}

/** A manager of numbers with Storm's policies for `settings`, recording expiries and activations. */
function manager(settings: Partial<WindowSettings> & Pick<WindowSettings, 'length' | 'slide'>, clock = new ManualClock(0)) {
  const activations: Activation[] = [];
  const expiries: number[] = [];
  const m = new WindowManager<number>({
    onExpired: (value) => expiries.push(value),
    onActivation: (events, newEvents, expired, end) => activations.push({ events, newEvents, expired, end }),
  });
  installPolicies(m, { timestamp: undefined, lagMs: 0, watermarkIntervalMs: 1000, lateStream: undefined, ...settings }, clock, (fire) => fire(), () => {});
  m.trigger.start();
  return { m, activations, expiries, clock };
}

const eventTime = { timestamp: { field: 'ts' } } as const;
const addAll = (m: WindowManager<number>, values: number[]) => values.forEach((v) => m.add(v, v));

describe('WindowManager (the behaviours of Storm\'s WindowManagerTest)', () => {
  it('count sliding 5 / 2: windows, new and expired lists, and expiry before activation', () => {
    const { m, activations, expiries } = manager({ length: { count: 5 }, slide: { count: 2 } });
    for (let i = 1; i <= 8; i++) m.add(i, 0);
    expect(activations.map((a) => [a.events, a.newEvents, a.expired])).toEqual([
      [[1, 2], [1, 2], []],
      [[1, 2, 3, 4], [3, 4], []],
      [[2, 3, 4, 5, 6], [5, 6], [1]],
      [[4, 5, 6, 7, 8], [7, 8], [2, 3]],
    ]);
    expect(expiries).toEqual([1, 2, 3]);
  });

  it('stays exact over many windows, as the consumed head of its queue is dropped', () => {
    const { m, activations, expiries } = manager({ length: { count: 5 }, slide: { count: 3 } });
    for (let i = 1; i <= 3000; i++) m.add(i, 0);
    expect(activations).toHaveLength(1000);
    expect(activations.at(-1)).toEqual({ events: [2996, 2997, 2998, 2999, 3000], newEvents: [2998, 2999, 3000], expired: [2993, 2994, 2995], end: 0 });
    expect(expiries).toEqual(Array.from({ length: 2995 }, (_, i) => i + 1));
    expect(m.size).toBe(5);
  });

  it('compaction: every 100 adds, expired events at the head are dropped (and acked) though no window fired', () => {
    const clock = new ManualClock(0);
    const expiries: number[] = [];
    const m = new WindowManager<number>({ onExpired: (value) => expiries.push(value), onActivation: () => {} });
    m.eviction = new CountEviction(5);
    m.trigger = new TimeTrigger(3_600_000, m, m.eviction, clock, (fire) => fire());
    m.trigger.start();
    for (let i = 1; i <= 100; i++) m.add(i, 0);
    expect(expiries).toEqual(Array.from({ length: 95 }, (_, i) => i + 1));
    expect(m.size).toBe(5);
  });

  it('time expiry (length 100 ms): a window at +60, all expire at +120 without an activation, nothing at +180', () => {
    const clock = new ManualClock(1000);
    const activations: number[][] = [];
    const expiries: number[] = [];
    const m = new WindowManager<number>({ onExpired: (value) => expiries.push(value), onActivation: (events) => activations.push(events) });
    m.eviction = new TimeEviction(100, clock);
    m.trigger = new TimeTrigger(60, m, m.eviction, clock, (fire) => fire());
    m.trigger.start();
    for (let i = 0; i < 10; i++) m.add(i, clock.now());
    clock.advanceBy(60);
    clock.advanceBy(60);
    clock.advanceBy(60);
    expect(activations).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]]);
    expect(expiries).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('event-time sliding 20 / 10: no window before the watermark passes an end; empty windows expire without activation', () => {
    const { m, activations, expiries } = manager({ length: { ms: 20 }, slide: { ms: 10 }, ...eventTime });
    addAll(m, [603, 605, 607]);
    m.addWatermark(609);
    expect(activations).toEqual([]);
    addAll(m, [618, 626, 636]);
    m.addWatermark(631);
    expect(activations).toEqual([
      { events: [603, 605, 607], newEvents: [603, 605, 607], expired: [], end: 610 },
      { events: [603, 605, 607, 618], newEvents: [618], expired: [], end: 620 },
      { events: [618, 626], newEvents: [626], expired: [603, 605, 607], end: 630 },
    ]);
    activations.length = 0;
    expiries.length = 0;
    addAll(m, [825, 826, 827, 839]);
    m.addWatermark(834);
    expect(activations.map((a) => [a.events, a.expired, a.end])).toEqual([
      [[626, 636], [618], 640],
      [[636], [626], 650],
      [[825, 826, 827], [], 830],
    ]);
    // 636 expires at the empty window ending 660 and is reported to no activation.
    expect(expiries).toEqual([618, 626, 636]);
  });

  it('event-time count eviction 3 with a time trigger every 10: the last three up to each end', () => {
    const { m, activations } = manager({ length: { count: 3 }, slide: { ms: 10 }, ...eventTime });
    addAll(m, [603, 605, 607, 618, 626, 636]);
    m.addWatermark(631);
    expect(activations.map((a) => a.events)).toEqual([
      [603, 605, 607],
      [605, 607, 618],
      [607, 618, 626],
    ]);
    activations.length = 0;
    addAll(m, [665, 666, 667, 679]);
    m.addWatermark(674);
    expect(activations.map((a) => [a.events, a.end])).toEqual([
      [[618, 626, 636], 640],
      [[618, 626, 636], 650],
      [[618, 626, 636], 660],
      [[665, 666, 667], 670],
    ]);
  });

  it('event-time time eviction 20 with a count trigger every 3: ends are the largest event time counted', () => {
    const { m, activations } = manager({ length: { ms: 20 }, slide: { count: 3 }, ...eventTime });
    addAll(m, [603, 605, 607, 618, 625, 626, 629, 636]);
    m.addWatermark(631);
    expect(activations.map((a) => [a.events, a.end])).toEqual([
      [[603, 605, 607], 607],
      [[607, 618, 625, 626], 626],
    ]);
    activations.length = 0;
    addAll(m, [665, 666, 667, 669, 679]);
    m.addWatermark(674);
    expect(activations.map((a) => [a.events, a.end])).toEqual([
      [[665], 665],
      [[665, 666, 667, 669], 669],
    ]);
  });

  it('lag 5: an event inside the lag past the end is kept for later, one beyond it stops the scan', () => {
    const { m, activations } = manager({ length: { ms: 20 }, slide: { ms: 10 }, lagMs: 5, ...eventTime });
    addAll(m, [603, 605, 607, 618, 626, 632, 629, 636]);
    m.addWatermark(631);
    expect(activations.map((a) => a.events)).toEqual([
      [603, 605, 607],
      [603, 605, 607, 618],
      [618, 626, 629],
    ]);
  });

  it('watermark policies evict nothing before the first watermark', () => {
    const { m, activations, expiries } = manager({ length: { ms: 20 }, slide: { ms: 10 }, ...eventTime });
    for (let i = 1; i <= 150; i++) m.add(i, 1000 + i);
    expect(expiries).toEqual([]);
    expect(activations).toEqual([]);
  });
});

describe('WatermarkGenerator (Storm\'s WaterMarkEventGeneratorTest and scenario 5.6)', () => {
  it('waits for every input stream, takes the smallest maximum minus the lag, and only moves forward', () => {
    const watermarks: number[] = [];
    const g = new WatermarkGenerator(2, 5, (ts) => watermarks.push(ts));
    g.track('s1', 100);
    g.track('s1', 110);
    g.tick();
    expect(watermarks).toEqual([]);
    g.track('s2', 95);
    g.track('s2', 98);
    g.tick();
    expect(watermarks).toEqual([93]);
    // Out of order on s1: its maximum stays 110.
    expect(g.track('s1', 104)).toBe(true);
    g.tick();
    expect(watermarks).toEqual([93]);
  });

  it('a timestamp before the last watermark is late, one equal to it is not', () => {
    const watermarks: number[] = [];
    const g = new WatermarkGenerator(1, 5, (ts) => watermarks.push(ts));
    g.tick();
    expect(watermarks).toEqual([]);
    g.track('s1', 100);
    g.track('s1', 110);
    g.tick();
    expect(watermarks).toEqual([105]);
    expect(g.track('s1', 104)).toBe(false);
    expect(g.track('s1', 105)).toBe(true);
    expect(g.track('s1', 106)).toBe(true);
    expect(g.track('s1', 115)).toBe(true);
    g.tick();
    expect(watermarks).toEqual([105, 110]);
  });
});
