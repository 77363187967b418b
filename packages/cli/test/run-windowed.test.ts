import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './cli-process.js';

// Independent runs of the CLI: side by side.
describe.concurrent('windowed bolts through the CLI', () => {
  it('topo run --workers 2: every id counted once in the windows, all acked as they leave them, none replayed', async () => {
    const { code, stdout, stderr } = await runCli('run', fixture('windowed-count.ts'), '--workers', '2', '--duration', '6', '--progress-secs', '1', '--log-level', 'info');
    expect(code, stderr).toBe(0);
    // The two window tasks (one per worker) together counted each of the 3,000 ids once.
    expect(stderr).toMatch(/^\S+ INFO \[total:\d+\] \(worker-\d+\) windows: [2-9]\d* total 3000$/m);
    expect(stderr).toMatch(/^\S+ INFO \[ids:\d+\] \(worker-\d+\) ids: acked 3000 failed 0 replayed 0$/m);
    expect(stdout).toMatch(/^summary: emitted 3000 acked 3000 failed 0 timed out 0 errors 0 pending 0 /m);
    expect(stdout).toMatch(/^ {2}counts +bolt +executed 3000 .* acked 3000 +failed 0/m);
  });

  it('topo check refuses a window that cannot finish inside the message timeout, naming the component and both numbers', async () => {
    const { code, stdout } = await runCli('check', fixture('windowed-count.ts'), '--config', 'topology.message.timeout.secs=1');
    expect(code).toBe(1);
    expect(stdout).toContain(
      'component counts, config topology.message.timeout.secs: window duration (length + sliding interval) value 3000 ms is more than topology.message.timeout.secs value 1000 ms (1 s)',
    );
  });
});
