import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { BasicBolt, Spout, Topology, type Tuple } from '@topo/topology-dsl';

function ackedIds(file: string): Set<number> {
  return new Set(existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean).map(Number) : []);
}

/**
 * A durable source, like a queue with committed offsets: ids `0..test.total-1`, each
 * acked id appended to the file `test.ackLog` and skipped when the spout opens again,
 * so even the death of the spout's own worker loses no id. Every first emission is
 * appended to `test.emitLog`, so tests can tell emitted from acked, and with
 * `test.ackTimeLog` each write of acked ids (every 50 ms while ids are acked) appends
 * `<ms since epoch> <ids>`, so tests can find pauses in the output from the output.
 * With `test.idsPerSec` it emits at most that many tuples a second (replays included),
 * for tests that need ids flowing through a failure rather than as many as possible: a
 * spout flat out takes every core while a test waits for a restart or a timeout.
 */
class DurableIdSpout extends Spout {
  static outputs = ['id'] as const;
  private queue: number[] = [];
  private acked: number[] = [];
  private emitted: number[] = [];
  private readonly seen = new Set<number>();
  private flushTimer: NodeJS.Timeout | undefined;
  private pace: { perMs: number; tokens: number; at: number } | undefined;

  open(): void {
    const done = ackedIds(this.file('test.ackLog'));
    for (let id = 0; id < Number(this.context.config['test.total']); id++) if (!done.has(id)) this.queue.push(id);
    this.flushTimer = setInterval(() => this.flush(), 50);
    const perSec = Number(this.context.config['test.idsPerSec'] ?? 0);
    if (perSec > 0) this.pace = { perMs: perSec / 1000, tokens: 0, at: performance.now() };
  }

  nextTuple(): void {
    if (this.pace !== undefined && !this.paced(this.pace)) return;
    const id = this.queue.shift();
    if (id === undefined) return;
    if (!this.seen.has(id)) {
      this.seen.add(id);
      this.emitted.push(id);
    }
    this.emit([id], { msgId: id });
  }

  ack(msgId: unknown): void {
    this.acked.push(msgId as number);
  }

  fail(msgId: unknown): void {
    this.queue.push(msgId as number);
  }

  close(): void {
    clearInterval(this.flushTimer);
    this.flush();
  }

  /** Takes a token from a bucket refilled at the pace and holding a tenth of a second's worth, so a stall is not made up in a burst. */
  private paced(pace: { perMs: number; tokens: number; at: number }): boolean {
    const now = performance.now();
    pace.tokens = Math.min(pace.perMs * 100, pace.tokens + (now - pace.at) * pace.perMs);
    pace.at = now;
    if (pace.tokens < 1) return false;
    pace.tokens--;
    return true;
  }

  private file(key: string): string {
    return String(this.context.config[key]);
  }

  private flush(): void {
    if (this.emitted.length > 0 && this.context.config['test.emitLog'] !== undefined) appendFileSync(this.file('test.emitLog'), `${this.emitted.join('\n')}\n`);
    if (this.acked.length > 0) appendFileSync(this.file('test.ackLog'), `${this.acked.join('\n')}\n`);
    if (this.acked.length > 0 && this.context.config['test.ackTimeLog'] !== undefined) appendFileSync(this.file('test.ackTimeLog'), `${Date.now()} ${this.acked.length}\n`);
    this.emitted = [];
    this.acked = [];
  }
}

class Relay extends BasicBolt {
  static outputs = ['id', 'square'] as const;
  process(tuple: Tuple): void {
    const id = tuple.get('id') as number;
    this.emit([id, id * id]);
  }
}

/** Takes `test.delayMs` per tuple (default 0), so tests can keep trees in flight. */
class Sink extends BasicBolt {
  async process(tuple: Tuple): Promise<void> {
    const delay = Number(this.context.config['test.delayMs'] ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    if ((tuple.get('square') as number) < 0) throw new Error('impossible square');
  }
}

/**
 * The topology failure tests run, in a LocalWorkerPool or on a cluster: every id must
 * end up acked however workers, supervisors, nimbus or Redis fail, and `AckLog` reads
 * what it recorded. Run the built file (`ackedIdsTopologyFile`) with `AckLog.config` as
 * its config.
 */
export default class AckedIds extends Topology {
  static config = { 'topology.message.timeout.secs': 3, 'topology.max.spout.pending': 500 };
  spout = DurableIdSpout.spec();
  relay = Relay.spec({ p: 2, input: this.spout });
  sink = Sink.spec({ p: 2, input: this.relay.fields('id') });
}

