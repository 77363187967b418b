import { describe, expect, it } from 'vitest';
import { BasicBolt, Spout, Topology } from '@topo/topology-dsl';
import { testClusterPerTest } from './support/test-cluster.js';

const cluster = testClusterPerTest();

describe('scheduling', () => {
  it("hands a bolt in the spout's worker at most 64 tuples per spout turn, so they are processed while still in cache", async () => {
    let executed = 0;
    /** Emits in a row since the bolt last ran: how many one spout turn handed it. */
    let run = 0;
    let longestRun = 0;

    class Counter extends Spout {
      static outputs = ['n'] as const;
      private n = 0;
      nextTuple(): void {
        this.emit([this.n++]);
        longestRun = Math.max(longestRun, ++run);
      }
    }
    class Sink extends BasicBolt {
      process(): void {
        executed++;
        run = 0;
      }
    }
    class Pipeline extends Topology {
      counter = Counter.spec();
      sink = Sink.spec({ input: this.counter });
    }

    await cluster().submit(Pipeline);
    await cluster().until(() => executed >= 50_000, 'the bolt to process many spout turns');
    expect(longestRun).toBeGreaterThan(1);
    expect(longestRun).toBeLessThanOrEqual(64);
    expect(cluster().errorMessages()).toEqual([]);
  });
});
