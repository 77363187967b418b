import { Bolt, type Tuple } from '@topo/topology-dsl';
import { SinkBatch } from './sink-batch.js';

/**
 * What the sink connectors share: inputs that arrive together are written together
 * (`SinkBatch`), and each input is acked once the write that carried it succeeded, or
 * failed (so its tree is replayed) when it did not; a failed write is reported once.
 */
export abstract class SinkBolt extends Bolt {
  private readonly batch = new SinkBatch<Tuple>(
    (tuples) => this.write(tuples),
    (error) => this.reportError(error),
  );

  /** Writes one batch of inputs to the sink; rejects when the write failed. */
  protected abstract write(tuples: Tuple[]): Promise<unknown>;

  process(tuple: Tuple): Promise<void> {
    return this.batch.add(tuple).then(
      () => this.ack(tuple),
      () => this.fail(tuple),
    );
  }
}
