import { describe, expect, it } from 'vitest';
import { Bolt, Spout, Topology, type Tuple } from '@topo/topology-dsl';
import { LocalCluster, silentLogger, topologyFinished, waitFor } from '@topo/runtime';

/** What the test lets the spout do, and what it saw. */
const control = { mayFinish: false, failed: [] as unknown[], failB: undefined as (() => void) | undefined };

/** Emits two ids, then says it is done whenever it finds nothing, once the test allows it after a failure. */
class TwoIds extends Spout {
  static outputs = ['id'] as const;
  private readonly queue = ['a', 'b'];
  nextTuple(): void {
    const id = this.queue.shift();
    if (id !== undefined) this.emit([id], { msgId: id });
    else if (control.failed.length === 0 || control.mayFinish) this.markDone();
  }
  fail(msgId: unknown): void {
    control.failed.push(msgId);
  }
}

/** Holds `b` the first time it sees it until the test fails it; acks the rest. */
class FailB extends Bolt {
  private seen = false;
  process(tuple: Tuple): void {
    if (tuple.get('id') === 'b' && !this.seen) {
      this.seen = true;
      control.failB = () => this.fail(tuple);
      return;
    }
    this.ack(tuple);
  }
}

class Finite extends Topology {
  ids = TwoIds.spec();
  check = FailB.spec({ input: this.ids });
}

describe('a spout that says it is done', () => {
  it('finishes the topology once nothing is pending, and a failed tree undoes its done until it says it again', async () => {
    const cluster = new LocalCluster();
    const worker = await cluster.submit(Finite, { logger: silentLogger() });
    try {
      const spout = () => worker.metrics().find((m) => m.component === 'ids')!;
      // Both emitted and the spout said done, but `b` is pending: not finished.
      await waitFor(() => spout().done === 1 && spout().acked === 1 && control.failB !== undefined, 'the spout to say it is done, a acked, b held');
      expect(spout().pending).toBe(1);
      expect(topologyFinished(worker.definition, worker.metrics())).toBe(false);
      control.failB!();
      // `b` failed: nothing pending, but the spout has not said done since, so the run is not over.
      await waitFor(() => control.failed.length === 1, 'b to fail');
      expect(spout()).toMatchObject({ pending: 0, acked: 1, failed: 1 });
      expect(spout().done ?? 0).toBe(0);
      expect(topologyFinished(worker.definition, worker.metrics())).toBe(false);
      control.mayFinish = true;
      await waitFor(() => topologyFinished(worker.definition, worker.metrics()), 'the topology to finish');
    } finally {
      await cluster.kill('Finite', { waitSecs: 0 });
    }
  });
});
