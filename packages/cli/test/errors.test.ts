import { describe, expect, it } from 'vitest';
import { failingTopologiesFile, maxTracesPerInterval } from '@topo/runtime';
import { CliProcess, runCli } from './cli-process.js';
import { getJson } from './storm-api-checks.js';

/** Storm's default of 5 traces per interval, over 1 s intervals so a few seconds show several. */
const THROTTLE = ['--config', 'topology.error.throttle.interval.secs=1'];
const SUPPRESSED = /ERROR \[thrower:\d+\](?: \(worker-\d+\))? (\d+) more errors in 1 s not logged or stored/g;
const TRACE = /^\S+ ERROR \[thrower:\d+\](?: \(worker-\d+\))? process\(\) threw: cannot parse input \d+$/gm;

/**
 * Runs the Throwing topology with `--ui-port` until its bolt has gone through `intervals`
 * throttle intervals, checks what Storm UI's REST API says of its errors, then stops it
 * with Ctrl-C.
 */
async function throwFor(intervals: number, workers: number): Promise<{ stdout: string; stderr: string }> {
  const run = new CliProcess(['run', failingTopologiesFile, '--topology', 'Throwing', '--workers', String(workers), '--progress-secs', '1', '--ui-port', '0', ...THROTTLE]);
  const base = (await run.waitFor('stderr', /serving the REST API and \/metrics on (http:\/\/127\.0\.0\.1:\d+)/))[1];
  await run.waitFor('stderr', new RegExp(`(?:${SUPPRESSED.source}[^]*){${intervals}}`), 60_000);
  await expectErrorFields(base, workers);
  run.child.kill('SIGINT');
  const { code, stdout, stderr } = await run.exited;
  expect(code).toBe(0);
  return { stdout, stderr };
}

/** The bolt's row carries its last error; its component page the 10 it keeps (Storm's default), oldest first, with where they happened. */
async function expectErrorFields(base: string, workers: number): Promise<void> {
  const topology = (await getJson(base, '/api/v1/topology/Throwing')).body;
  const row = topology.bolts.find((b: { boltId: string }) => b.boltId === 'thrower');
  expect(row.lastError).toMatch(/^thrower process\(\): cannot parse input \d+$/);
  expect(Math.abs(row.errorTime - Date.now() / 1000)).toBeLessThan(60);
  expect(topology.spouts[0]).toMatchObject({ spoutId: 'numbers', lastError: '', errorTime: null });
  const page = (await getJson(base, '/api/v1/topology/Throwing/component/thrower')).body;
  expect(page.componentErrors).toHaveLength(10);
  const times = page.componentErrors.map((e: { errorTime: number }) => e.errorTime);
  expect(times).toEqual([...times].sort((a, b) => a - b));
  // Every error is counted in /metrics, and all but the few the throttle let through are counted as throttled.
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const count = (name: string) => Number(new RegExp(`^${name}\\{[^}]*component="thrower"[^}]*\\} (\\d+)$`, 'm').exec(metrics)?.[1]);
  const reported = count('topo_errors_reported_total');
  const throttled = count('topo_errors_throttled_total');
  expect(throttled).toBeGreaterThan(0);
  expect(reported - throttled).toBeGreaterThan(0);
  expect(reported - throttled).toBeLessThan(reported / 50);
  for (const e of page.componentErrors) {
    expect(e.error).toMatch(/^Error: cannot parse input \d+\n\s+at /);
    expect(e.errorSource).toBe('process');
    // One worker runs in the run's own process, with no address; worker processes listen on loopback.
    if (workers === 1) expect(e).toMatchObject({ errorHost: '', errorPort: '' });
    else {
      expect(e.errorHost).toBe('127.0.0.1');
      expect(e.errorPort).toBeGreaterThan(0);
    }
  }
}

describe.concurrent('topo run: errors', () => {
  it('a bolt throwing on every input for ~5 s logs at most 5 stack traces per interval and one line per interval counting the rest, in this process and in worker processes', async () => {
    const runs = await Promise.all([throwFor(5, 1), throwFor(5, 2)]);
    for (const { stdout, stderr } of runs) {
      const traces = [...stderr.matchAll(TRACE)];
      const suppressed = [...stderr.matchAll(SUPPRESSED)].map((m) => Number(m[1]));
      expect(maxTracesPerInterval(stderr.split('\n'), new RegExp(TRACE.source), new RegExp(SUPPRESSED.source))).toBeLessThanOrEqual(5);
      // Each trace is its line and a stack of a few frames; nothing else repeats per input.
      expect(stderr.split('\n').length).toBeLessThan(traces.length * 20 + suppressed.length + 50);
      const errors = Number(/thrower\s+bolt\s+executed \d+ .* errors (\d+)/.exec(stdout)![1]);
      // A flood, and the lines that count what was held back say so.
      expect(errors).toBeGreaterThan(traces.length * 100);
      expect(suppressed.reduce((a, b) => a + b, 0)).toBeGreaterThan(traces.length * 50);
    }
  });

  it('a spout whose open() fails stops the run with one clear error naming the component, open() and the file, in this process and in worker processes', async () => {
    const runs = await Promise.all([1, 2].map((workers) => runCli('run', failingTopologiesFile, '--topology', 'OpenFails', '--workers', String(workers))));
    for (const { code, stderr } of runs) {
      expect(code).toBe(1);
      expect(stderr).toMatch(/^error: could not start OpenFails: (?:worker worker-00\d: )?urlSpout \(task \d+\): open\(\) failed: ENOENT: no such file or directory, open 'data\/urls.txt'$/m);
      expect(stderr).toMatch(/ERROR \[urlSpout:\d+\](?: \(worker-00\d\))? open\(\) threw: ENOENT/);
    }
  });
});
