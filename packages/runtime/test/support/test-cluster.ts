import { afterEach } from 'vitest';
import { LocalCluster, type LogRecord, type SubmitOptions, type TopologySource, type Worker, captureLogger } from '@topo/runtime';
import { waitFor } from '@topo/runtime';

/**
 * A LocalCluster that keeps error logs instead of printing them (tests assert on them)
 * and is shut down after each test, so a failing test never leaves a topology running.
 */
export class TestCluster {
  readonly cluster = new LocalCluster();
  readonly errors: LogRecord[] = [];

  submit(topology: TopologySource, options: SubmitOptions = {}): Promise<Worker> {
    return this.cluster.submit(topology, {
      logger: captureLogger((record) => {
        if (record.level === 'error') this.errors.push(record);
      }),
      ...options,
    });
  }

  /** Error messages logged so far, for `toEqual([])` checks that print what went wrong. */
  errorMessages(): string[] {
    return this.errors.map((r) => `${r.component ?? ''}: ${r.message}`);
  }

  /** `waitFor`, whose timeout also tells the errors the topology logged meanwhile: usually why. */
  async until(condition: () => boolean, what: string, timeoutMs?: number): Promise<void> {
    try {
      await waitFor(condition, what, timeoutMs);
    } catch (error) {
      const logged = this.errorMessages();
      if (logged.length === 0) throw error;
      throw new Error(`${(error as Error).message}; meanwhile the topology logged ${logged.length} errors, first:\n  ${logged.slice(0, 5).join('\n  ')}`);
    }
  }
}

/** A fresh TestCluster per test, shut down after it. */
export function testClusterPerTest(): () => TestCluster {
  let current: TestCluster | undefined;
  afterEach(async () => {
    await current?.cluster.shutdown();
    current = undefined;
  });
  return () => (current ??= new TestCluster());
}
