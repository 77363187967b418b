import { Bolt, type Tuple } from '@topo/topology-dsl';
import { isConnectionError } from './redis-health.js';
import { SinkBatch } from './sink-batch.js';

/**
 * What the sink connectors share: inputs that arrive together are written together
 * (`SinkBatch`), and each input is acked once the write that carried it succeeded, or
 * failed (so its tree is replayed) when Redis rejected it; a rejected write is reported
 * once. A write cut off by a lost connection is written again once Redis is back, its
 * inputs held meanwhile: nothing is wrong with them.
 */
export abstract class SinkBolt extends Bolt {
  private readonly batch = new SinkBatch<Tuple>(
    (tuples) => this.write(tuples),
    (error) => this.reportError(error),
    isConnectionError,
  );

  /** Writes one batch of inputs to the sink; rejects when the write failed. */
  protected abstract write(tuples: Tuple[]): Promise<unknown>;

  /** Closes the sink's connections. */
  protected abstract disconnect(): Promise<void>;

  process(tuple: Tuple): Promise<void> {
    return this.batch.add(tuple).then(
      () => this.ack(tuple),
      () => this.fail(tuple),
    );
  }

  async cleanup(): Promise<void> {
    this.batch.close();
    await this.disconnect();
  }
}
