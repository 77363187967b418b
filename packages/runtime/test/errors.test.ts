import { describe, expect, it } from 'vitest';
import { build } from '@topo/topology-dsl';
// failingTopologiesFile is the built module, which worker processes load by path.
import { captureLogger, errorHeadline, failingTopologiesFile, LocalWorkerPool, maxTracesPerInterval, waitFor, Worker, type Logger, type LogRecord } from '@topo/runtime';
import { OpenFails, Throwing } from '../src/testing/failing-topologies.js';

const THROTTLE = { 'topology.error.throttle.interval.secs': 0.5, 'topology.max.error.report.per.interval': 3, 'topo.errors.kept.per.component': 4 };
const INTERVAL_MS = 500;
const MAX = 3;

/** A logger that keeps what it is given. */
function capture(): { logger: Logger; lines: LogRecord[] } {
  const lines: LogRecord[] = [];
  return { lines, logger: captureLogger(lines) };
}

const SUPPRESSED = /^(\d+) more errors? in 0\.5 s not logged or stored/;

/** How many errors of one component were logged with their stack, and the counts of its suppressed-count lines. */
function traces(lines: LogRecord[], component: string): { logged: number; suppressed: number[] } {
  const mine = lines.filter((l) => l.component === component && l.level === 'error');
  return {
    logged: mine.filter((l) => l.error !== undefined).length,
    suppressed: mine.flatMap((l) => {
      const m = SUPPRESSED.exec(l.message);
      return m === null ? [] : [Number(m[1])];
    }),
  };
}

describe('errors', () => {
  it('a bolt throwing on every input logs and keeps at most the configured errors per interval, and counts the rest in one line per interval', async () => {
    const { logger, lines } = capture();
    const worker = new Worker(build(Throwing, { config: THROTTLE }), { logger });
    const started = Date.now();
    await worker.start();
    const thrower = () => worker.metrics().find((m) => m.component === 'thrower')!;
    await waitFor(() => thrower().executed > 5000 && traces(lines, 'thrower').suppressed.length >= 3, 'three intervals of a throwing bolt');
    await worker.stop();
    const elapsed = Date.now() - started;

    const { logged, suppressed } = traces(lines, 'thrower');
    const messages = lines.filter((l) => l.component === 'thrower').map((l) => l.message);
    expect(maxTracesPerInterval(messages, /^process\(\) threw: /, SUPPRESSED)).toBeLessThanOrEqual(MAX);
    expect(suppressed.length).toBeLessThanOrEqual(Math.ceil(elapsed / INTERVAL_MS) + 1);
    const counts = thrower();
    // Every error is either traced or counted in a suppressed line (the last one at stop).
    expect(logged + suppressed.reduce((a, b) => a + b, 0)).toBe(counts.errors);
    expect(counts.errorsThrottled).toBe(counts.errors - logged);
    expect(counts.errors).toBe(counts.executed);

    const kept = worker.errorLog.of('thrower');
    expect(kept).toHaveLength(4);
    const last = kept[kept.length - 1];
    expect(last).toMatchObject({ component: 'thrower', task: worker.layout.componentTasks.get('thrower')![0], source: 'process' });
    expect(last.summary).toMatch(/^cannot parse input \d+$/);
    expect(last.error).toMatch(/^Error: cannot parse input \d+\n\s+at /);
    expect(Math.abs(last.time - Date.now())).toBeLessThan(60_000);
    expect(kept.map((r) => r.time)).toEqual([...kept.map((r) => r.time)].sort((a, b) => a - b));
  });

  it("a spout whose open() fails keeps the error with its source and file, and the start fails naming them", async () => {
    const { logger, lines } = capture();
    const worker = new Worker(build(OpenFails, { config: { 'test.dataFile': 'no-such-dir/urls.txt' } }), { logger });
    await expect(worker.start()).rejects.toThrow(/^urlSpout \(task \d+\): open\(\) failed: ENOENT: no such file or directory, open 'no-such-dir\/urls.txt'/);
    const [record] = worker.errorLog.of('urlSpout');
    expect(record).toMatchObject({ component: 'urlSpout', source: 'open', summary: 'ENOENT no-such-dir/urls.txt' });
    expect(errorHeadline(record)).toBe('urlSpout open(): ENOENT no-such-dir/urls.txt');
    expect(lines.some((l) => l.component === 'urlSpout' && l.level === 'error' && /^open\(\) threw: ENOENT/.test(l.message))).toBe(true);
  });

  it('worker processes of a local run throttle their errors and send the kept ones, with worker and port, to the run; a failed open() fails the start naming it', async () => {
    const { logger } = capture();
    const started = Date.now();
    const pool = await LocalWorkerPool.start({ topologyFile: failingTopologiesFile, exportName: 'Throwing', config: THROTTLE, workers: 2, logger });
    try {
      pool.activate();
      const thrower = () => pool.metrics().find((m) => m.component === 'thrower');
      await waitFor(() => pool.errorLog.of('thrower').length === 4 && (thrower()?.errorsThrottled ?? 0) > 1000, 'kept and throttled errors from the worker processes');
      const { errors, errorsThrottled } = thrower()!;
      const intervals = Math.ceil((Date.now() - started) / INTERVAL_MS) + 1;
      expect(errors - errorsThrottled).toBeLessThanOrEqual(MAX * intervals);
      const record = pool.errorLog.of('thrower')[3];
      expect([...pool.pids().keys()]).toContain(record.worker);
      expect(record).toMatchObject({ component: 'thrower', host: '127.0.0.1', source: 'process' });
      expect(record.port).toBeGreaterThan(0);
      expect(record.summary).toMatch(/^cannot parse input \d+$/);
    } finally {
      await pool.stop();
    }
    await expect(LocalWorkerPool.start({ topologyFile: failingTopologiesFile, exportName: 'OpenFails', workers: 2, logger })).rejects.toThrow(
      /^worker worker-00\d: urlSpout \(task \d+\): open\(\) failed: ENOENT: no such file or directory, open 'data\/urls.txt'/,
    );
  });
});
