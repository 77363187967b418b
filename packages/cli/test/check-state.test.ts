import { describe, expect, it } from 'vitest';
import { fixture, runCli } from './cli-process.js';

describe.concurrent('topo check and run on a stateful topology', () => {
  it("says which guarantee the state gets, and why, from the config as given", async () => {
    const plain = await runCli('check', fixture('stateful-count.ts'), '--topology', 'StatefulCount');
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('state: at-least-once: spout words is not rewindable (it has no position() and rewind()); state provider memory is not durable across restarts');
    const exact = await runCli('check', fixture('stateful-count.ts'), '--topology', 'RewindableCount', '--config', 'topology.state.provider=redis');
    expect(exact.code, exact.stderr).toBe(0);
    expect(exact.stdout).toContain('state: exactly-once (every spout rewindable, barriers aligned, provider redis)');
  });

  it('ends a finite run by itself once the last commit acked every input', async () => {
    const { code, stdout, stderr } = await runCli('run', fixture('stateful-count.ts'), '--topology', 'RewindableCount', '--json');
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(/every spout is done and no tree is pending/);
    expect(JSON.parse(stdout)).toMatchObject({ stopped: 'finished', pending: 0 });
  });
});
