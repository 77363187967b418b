import { Acker } from '../acker/acker.js';
import type { ExecutorHost } from './executor-host.js';
import { Executor } from './executor.js';

/**
 * Hosts one acker task. It has no queue: a message for a local acker is handled on the
 * sender's stack, since it is one hash-table update and the acker accepts messages in
 * any order; queueing it would cost more than handling it. Verdicts still go to the
 * spout's queue, so no user code runs inside an emit or an ack.
 */
export class AckerExecutor extends Executor {
  readonly acker: Acker;
  readonly kind = 'acker';

  constructor(worker: ExecutorHost, component: string, tasks: readonly number[]) {
    super(worker, component, tasks);
    this.acker = new Acker((spoutTask, result, rootHi, rootLo) => worker.ackerResult(spoutTask, result, rootHi, rootLo));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  runSlice(): number {
    return 0;
  }

  override get pending(): number {
    return this.acker.pending;
  }
}
