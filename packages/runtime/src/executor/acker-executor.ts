import { Acker } from '../acker/acker.js';
import { ACKER_RECORD_WIDTH } from '../acker/acker-messages.js';
import { IntRing } from '../acker/int-ring.js';
import type { Worker } from '../worker/worker.js';
import { Executor } from './executor.js';

const ACKER_BATCH = 8192;

/** Hosts one acker task; its queue holds int32 records, not tuples. */
export class AckerExecutor extends Executor {
  readonly inbox = new IntRing(ACKER_RECORD_WIDTH, 4096);
  readonly acker: Acker;

  constructor(worker: Worker, component: string, tasks: readonly number[]) {
    super(worker, component, tasks);
    this.acker = new Acker((spoutTask, result, rootHi, rootLo) => worker.ackerResult(spoutTask, result, rootHi, rootLo));
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  runSlice(): number {
    const ring = this.inbox;
    const acker = this.acker;
    let n = 0;
    while (n < ACKER_BATCH && ring.size > 0) {
      const i = ring.front();
      const d = ring.data;
      acker.handle(d[i], d[i + 1], d[i + 2], d[i + 3], d[i + 4], d[i + 5]);
      ring.release();
      n++;
    }
    return n;
  }
}
