import { nanoid } from 'nanoid';
import { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { Spout, type FailReason, type LogLevel, type ComponentDefinition, type ComponentSpec, type SpoutSpecOptions, type TopologyConfig, type TopologyContext, type ValidationProblem } from '@topo/topology-dsl';
import { BULLMQ_KEYS, readBullMQSpoutSettings, type BullMQSpoutSettings } from './bullmq-config.js';
import { ConfigReader } from './config-reader.js';
import { dataFieldValues, sourceSpec } from './connector-spec.js';
import { GroupedWarning } from './grouped-warning.js';
import { ManualWorker } from './manual-worker.js';
import { NextTupleWait } from './next-tuple-wait.js';
import { RedisHealth, isConnectionError } from './redis-health.js';
import { redisAddress } from './redis-url.js';

export interface BullMQSpoutOptions<F extends readonly string[] = readonly string[]> extends SpoutSpecOptions {
  /** The queue to consume. */
  queue: string;
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`; or set `topo.redis.url` in the topology's config. */
  connection?: string;
  /** Tuple fields, each taken from the job's data by name; without it tuples are `id, name, data`. */
  fields?: F;
  /** BullMQ key prefix (default `bull`). */
  prefix?: string;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  maxStalledCount?: number;
}

const OPTION_KEYS = {
  queue: BULLMQ_KEYS.queue,
  connection: BULLMQ_KEYS.url,
  prefix: BULLMQ_KEYS.prefix,
  lockDurationMs: BULLMQ_KEYS.lockDurationMs,
  stalledIntervalMs: BULLMQ_KEYS.stalledIntervalMs,
  maxStalledCount: BULLMQ_KEYS.maxStalledCount,
};

/** Jobs fetched at once (in parallel calls) when the spout has room for more. */
const FETCH_BURST = 100;
/** Seconds a fetch blocks on an empty queue before `nextTuple` returns (BullMQ's drainDelay). */
const EMPTY_QUEUE_WAIT_SECS = 1;

/**
 * A BullMQ queue as a spout (Storm's Kafka spout, for BullMQ): every job becomes a tuple
 * whose message id is the job id. The job completes only when its tuple tree is fully
 * acked; a tree a bolt failed fails the job attempt, so BullMQ retries it with the job's
 * own `attempts` and `backoff`, or moves it to failed. A tree that timed out or lost
 * tuples with a worker is emitted again without spending an attempt.
 *
 * The spout holds at most `topology.max.spout.pending` jobs (200 when unset) and renews
 * their locks while it holds them. A worker that dies stops renewing: after the lock
 * duration BullMQ's stalled-job check (which every spout task runs) puts its jobs back in
 * the queue. A job that stalls more than `maxStalledCount` times is failed by BullMQ.
 */
export class BullMQSpout extends Spout {
  static outputs: readonly string[] = ['id', 'name', 'data'];
  /** Set by `spec({ fields })`: the job data keys the tuple fields come from. */
  static dataFields: readonly string[] | undefined = undefined;

  static override spec<const F extends readonly string[] = readonly ['id', 'name', 'data']>(
    this: typeof Spout,
    options: BullMQSpoutOptions<F>,
  ): ComponentSpec<{ default: F[number] }> {
    return sourceSpec(this, options, OPTION_KEYS);
  }

  static validateComponent(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[] {
    return ConfigReader.problemsOf(component, config, (reader) => readBullMQSpoutSettings(reader, config));
  }

  private settings!: BullMQSpoutSettings;
  private connection!: Redis;
  private worker!: ManualWorker;
  private health!: RedisHealth;
  private unfinished!: GroupedWarning;
  /** Locks of this task: the jobs' locks hold this token, so no other consumer can complete them. */
  private readonly token = nanoid();
  /** Fetched, not yet emitted. */
  private readonly ready: Job[] = [];
  /** Emitted, tree pending, by job id (the message id). */
  private readonly emitted = new Map<string, Job>();
  /** Ids of the jobs ready or emitted. */
  private readonly inHand = new Set<string>();
  /** Ids of the jobs being completed or failed. */
  private readonly finishing = new Set<string>();
  /** Completions and failures under way, which `close()` lets finish. */
  private readonly settling = new Set<Promise<void>>();
  /** Jobs a fetch under way may bring: room already spoken for. */
  private fetching = 0;
  /** Settles the promise of a `nextTuple` that found its hands full, once a job arrives or room frees up. */
  private readonly nextTupleWait = new NextTupleWait();
  private lockTimer: NodeJS.Timeout | undefined;
  private renewing = false;
  private active = false;
  private closed = false;

  open(context: TopologyContext): void {
    this.settings = ConfigReader.settingsOf(this, context, (reader) => readBullMQSpoutSettings(reader, context.config));
    const { url, queue, prefix, lockDurationMs, stalledIntervalMs, maxStalledCount } = this.settings;
    const log = (level: LogLevel, message: string) => context.log(level, message);
    this.health = new RedisHealth(`${redisAddress(url)} (queue ${queue})`, log, () => void this.adoptOrphans());
    this.unfinished = new GroupedWarning(
      log,
      (count, first) =>
        `could not complete or fail ${count} job${count === 1 ? '' : 's'} (first: ${first}); ` +
        'a job whose lock expired is back in the queue and will be processed again; one whose reply was lost is finished already',
    );
    this.connection = new Redis(url, { maxRetriesPerRequest: null });
    this.health.watch(this.connection);
    this.worker = new ManualWorker(queue, null, {
      connection: this.connection,
      prefix,
      autorun: false,
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs,
      maxStalledCount,
      drainDelay: EMPTY_QUEUE_WAIT_SECS,
    });
    this.worker.on('error', (error) => this.onWorkerError(error));
    void this.worker.startStalledCheckTimer();
    this.lockTimer = setInterval(() => void this.renewLocks(), Math.max(50, Math.floor(lockDurationMs / 2)));
  }

  activate(): void {
    this.active = true;
  }

  deactivate(): void {
    this.active = false;
    this.nextTupleWait.wake();
  }

  nextTuple(): void | Promise<void> {
    const job = this.ready.shift();
    if (job !== undefined) {
      this.emitted.set(job.id!, job);
      this.emit(this.toValues(job), { msgId: job.id });
      return;
    }
    if (this.held < this.settings.maxHeld) return this.fetch();
    // Hands full: the next job comes with a completion, outside any nextTuple call.
    return this.nextTupleWait.wait();
  }

  ack(msgId: unknown): void {
    const job = this.take(msgId);
    if (job === undefined) return;
    // Completing fetches the next job in the same call while the spout wants more: its
    // slot passes from this job to that one.
    const fetchNext = this.active && !this.closed && this.held <= this.settings.maxHeld;
    this.finish(
      job,
      'complete',
      job.moveToCompleted(null, this.token, fetchNext).then((reply) => (fetchNext ? this.worker.adopt(reply, this.token) : undefined)),
    );
  }

  /**
   * A tree a bolt failed spends an attempt of its job. One that timed out or lost tuples
   * with a worker says nothing about the job: it is emitted again, still locked by this
   * task, without a call to Redis.
   */
  fail(msgId: unknown, reason?: FailReason): void {
    if (reason === 'timeout' || reason === 'lost') {
      this.replay(msgId as string);
      return;
    }
    const job = this.take(msgId);
    if (job === undefined) return;
    const error = new Error(`tuple tree of job ${job.id} failed in topology ${this.context.topologyName} (spout ${this.context.componentId})`);
    this.finish(job, 'fail', job.moveToFailed(error, this.token, false).then(() => undefined));
  }

  /**
   * Gives back the jobs it holds, without spending an attempt: a stopped topology's
   * trees cannot complete, and another consumer can take the jobs at once rather than
   * after their locks expire.
   */
  async close(): Promise<void> {
    clearInterval(this.lockTimer);
    // With Redis away these calls would wait for it forever; the locks expire instead.
    if (this.health.healthy) await Promise.allSettled([...this.settling]);
    this.closed = true;
    this.nextTupleWait.wake();
    const held = [...this.ready.splice(0), ...this.emitted.values()];
    this.emitted.clear();
    this.inHand.clear();
    if (this.health.healthy) await Promise.allSettled(held.map((job) => job.moveToWait(this.token)));
    this.health.stop();
    this.unfinished.flush();
    await this.worker.close();
    this.connection.disconnect();
  }

  /** The tuple of a job: `id, name, data`, or with `fields`, each field's value in the job's data (null when absent). */
  protected toValues(job: Job): unknown[] {
    const fields = (this.constructor as typeof BullMQSpout).dataFields;
    if (fields === undefined) return [job.id, job.name, job.data];
    return dataFieldValues(fields, (typeof job.data === 'object' && job.data !== null ? job.data : {}) as Record<string, unknown>);
  }

  /** Jobs whose locks this task holds, or may hold once a fetch under way returns. */
  private get held(): number {
    return this.inHand.size + this.finishing.size + this.fetching;
  }

  /** An emitted job whose tree is done, on its way to being finished. */
  private take(msgId: unknown): Job | undefined {
    const id = msgId as string;
    const job = this.emitted.get(id);
    if (job === undefined) return undefined;
    this.emitted.delete(id);
    this.inHand.delete(id);
    this.finishing.add(id);
    return job;
  }

  /** Puts an emitted job back at the front of those ready to emit: it keeps its lock and its place in hand. */
  private replay(id: string): void {
    const job = this.emitted.get(id);
    if (job === undefined) return;
    this.emitted.delete(id);
    this.ready.unshift(job);
    this.nextTupleWait.wake();
  }

  /** Takes a job locked with this task's token, unless it already holds it (an orphan found as it was fetched). */
  private hold(job: Job): void {
    if (this.closed) {
      void job.moveToWait(this.token).catch(() => {});
      return;
    }
    if (this.inHand.has(job.id!)) return;
    this.inHand.add(job.id!);
    this.ready.push(job);
    this.nextTupleWait.wake();
  }

  /** One job, waiting up to a second for it on an empty queue; then as many more as there is room for. */
  private async fetch(): Promise<void> {
    this.fetching = 1;
    try {
      const first = await this.worker.getNextJob(this.token);
      if (first === undefined || this.closed) return;
      this.hold(first);
      const room = Math.min(FETCH_BURST, this.settings.maxHeld - this.inHand.size - this.finishing.size);
      if (room <= 0) return;
      this.fetching = room;
      const more = await Promise.all(Array.from({ length: room }, () => this.worker.getNextJob(this.token, { block: false })));
      for (const job of more) if (job !== undefined) this.hold(job);
    } catch (error) {
      if (!this.closed) this.onWorkerError(error);
    } finally {
      this.fetching = 0;
    }
  }

  /** Extends the locks of every held job in one call; jobs whose lock is gone belong to the queue again. */
  private async renewLocks(): Promise<void> {
    if (this.renewing || this.closed) return;
    const jobs = [...this.ready, ...this.emitted.values()];
    if (jobs.length === 0) return;
    this.renewing = true;
    try {
      const ids = jobs.map((job) => job.id!);
      const lost = await this.worker.extendJobLocks(ids, ids.map(() => this.token), this.settings.lockDurationMs);
      if (lost.length > 0) this.dropLost(new Set(lost));
    } catch (error) {
      if (!this.closed) this.onWorkerError(error);
    } finally {
      this.renewing = false;
    }
  }

  /**
   * Jobs not yet emitted are dropped; emitted ones keep their trees, whose completion
   * will find the lock gone. Either way BullMQ's stalled check returns them to the queue.
   */
  private dropLost(lost: Set<string>): void {
    let dropped = 0;
    for (let i = this.ready.length - 1; i >= 0; i--) {
      const id = this.ready[i].id!;
      if (lost.has(id)) {
        this.ready.splice(i, 1);
        this.inHand.delete(id);
        dropped++;
      }
    }
    if (dropped > 0) this.nextTupleWait.wake();
    this.context.log('warn', `lost the locks of ${lost.size} jobs (${dropped} not yet emitted); BullMQ returns them to the queue, so they will be processed again`);
  }

  /**
   * Follows a completion or failure to its end; a completion may bring the next job. It
   * fails after Redis was away: the lock expired meanwhile (the job went back to the
   * queue), or the call had been carried out but its reply was lost and the client sent
   * it again.
   */
  private finish(job: Job, what: 'complete' | 'fail', call: Promise<Job | undefined>): void {
    const settled: Promise<void> = call.then(
      (next) => {
        this.finishing.delete(job.id!);
        if (next !== undefined) this.hold(next);
        else this.nextTupleWait.wake();
      },
      (error: unknown) => {
        this.finishing.delete(job.id!);
        this.nextTupleWait.wake();
        if (this.closed) return;
        this.unfinished.add(`${what} job ${job.id}: ${error instanceof Error ? error.message : String(error)}`);
      },
    ).finally(() => this.settling.delete(settled));
    this.settling.add(settled);
  }

  /**
   * After a reconnection: a completion whose reply was lost may have fetched a next job,
   * locked with this task's token but unknown to it. It finds such jobs among the active
   * ones and takes them, rather than leave them until their locks expire.
   */
  private async adoptOrphans(): Promise<void> {
    try {
      const active = await this.connection.lrange(this.worker.keys.active, 0, -1);
      const known = (id: string) => this.inHand.has(id) || this.finishing.has(id);
      const candidates = active.filter((id) => !known(id));
      if (candidates.length === 0) return;
      const locks = await this.connection.mget(candidates.map((id) => `${this.worker.toKey(id)}:lock`));
      for (const [i, id] of candidates.entries()) {
        if (locks[i] !== this.token || known(id)) continue;
        const job = await Job.fromId(this.worker, id);
        if (job !== undefined) this.hold(job);
      }
    } catch (error) {
      this.onWorkerError(error);
    }
  }

  /** Connection trouble is the health watch's to report (once); anything else is an error of this task. */
  private onWorkerError(error: unknown): void {
    if (this.closed || isConnectionError(error)) return;
    this.reportError(error);
  }
}
