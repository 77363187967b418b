import { CHECKPOINT_COMPONENT, DEFAULT_STREAM, type FailReason, type Spout, type SpoutCollector, type SpoutHooks } from '@topo/topology-dsl';
import { ACK_ACK, ACK_FAIL, RESULT_ACK, RESULT_FAIL, RESULT_LOST, RESULT_RECORD_WIDTH } from '../acker/acker-messages.js';
import { IntRing } from '../acker/int-ring.js';
import { rootLoFor } from '../acker/tree-slots.js';
import { randomHalf } from '../ids.js';
import { LatencyHistogram } from '../stats/latency-histogram.js';
import { buildStreamRoutes, type StreamRoutes } from '../routing/stream-routes.js';
import { TupleImpl } from '../tuple-impl.js';
import { Executor, isThenable } from './executor.js';
import type { ExecutorHost } from './executor-host.js';
import { PendingTrees } from './pending-trees.js';
import type { Inbox } from './inbox.js';
import { anchorTo } from './tuple-tree.js';
import { checkpointSettings } from '../state/checkpoint-settings.js';
import { CheckpointSpout } from '../state/checkpoint-spout.js';
import { SpoutCheckpoints } from '../state/spout-checkpoints.js';
import { acquireStateProvider, releaseStateProvider } from '../state/worker-state-provider.js';

/** nextTuple calls per task per slice: large enough to amortize scheduling, small enough to stay fair. */
const SPOUT_BATCH = 256;
/**
 * Tuples a task's turn hands to bolts in this worker. They run before the spout's next
 * turn, while those tuples are still in cache: with 64 the url-parser topology ran 4%
 * faster than with 256, at a quarter of the complete latency. Tuples for other workers
 * only fill a frame, which the full SPOUT_BATCH fills better (cross-worker peak was a
 * third higher than with 64 for every turn).
 */
const LOCAL_SPOUT_BATCH = 64;

/** Record of a tree settled in its spout's own table: [task index in the executor, RESULT_ACK, RESULT_FAIL or RESULT_LOST, entry]. */
const SETTLED_RECORD_WIDTH = 3;

/** One spout task: its instance and its trees in flight. */
export class SpoutTask implements SpoutCollector {
  readonly pending = new PendingTrees();
  busy = false;
  /** Held by its checkpoints: not before its first INITSTATE, nor while a barrier is handled. */
  paused = false;
  /** Called when a pending `nextTuple()` promise settles (a barrier waits for it). */
  onIdle: (() => void) | undefined = undefined;
  emits = 0;
  /** Tracked emits since the last one whose complete latency is sampled. */
  sinceSample = 0;
  /** Trees this task added in the current slice without reading the clock: stamped when its turn in the slice ends. */
  unstamped = 0;
  instance!: Spout & SpoutHooks;
  /** The spout said it has nothing more to emit (Spout.markDone), and no tree failed since. */
  finished = false;

  constructor(
    private readonly executor: SpoutExecutor,
    readonly task: number,
    /** Position among the spout tasks of this worker, which its root ids carry so that acks find its table. */
    readonly treeSlot: number,
  ) {}

  emit(stream: string, values: unknown[], msgId: unknown, directTask: number | undefined): readonly number[] {
    return this.executor.emit(this, stream, values, msgId, directTask);
  }

  reportError(error: unknown): void {
    this.executor.reportError(this.task, error);
  }

  markDone(): void {
    this.finished = true;
  }
}

/**
 * Runs spout tasks: calls `nextTuple()` while the task is under `max spout pending` and
 * the worker is not under backpressure, tracks each tree it emits with a message id, and
 * turns the acker's verdicts and message timeouts into `ack(msgId)` / `fail(msgId, reason)`.
 *
 * When its worker has an acker, the executor does that acker's work for its own trees:
 * their roots are chosen to come back to this worker's acker, so every ack for them
 * arrives here, and keeping the XOR in the spout's pending table instead of a second
 * table saves the init message, the acker's insert and removal, and the verdict's
 * lookup. The acker keeps only trees of spouts in workers without one of their own.
 */
export class SpoutExecutor extends Executor {
  /** Verdicts of other workers' ackers addressed to this executor's tasks. */
  readonly results = new IntRing(RESULT_RECORD_WIDTH);
  /** Trees settled in this executor's own tables, waiting for the next slice to call ack or fail. */
  private readonly settled = new IntRing(SETTLED_RECORD_WIDTH);
  readonly latency = new LatencyHistogram();
  readonly kind = 'spout';
  readonly states: SpoutTask[];
  /** Set in a stateful topology: the `$checkpoint` barriers its tasks receive, and their part in checkpoints. */
  readonly checkpoints: SpoutCheckpoints | undefined;
  private readonly routes: Map<string, StreamRoutes>;
  private readonly defaultRoutes: StreamRoutes | undefined;
  /** With no ackers, trees are acked at emit: the task and msgId of each, side by side (no pair object per emit). */
  private immediateTasks: SpoutTask[] = [];
  private immediateIds: unknown[] = [];
  private immediateStreams: number[] = [];
  private readonly maxPending: number;
  private readonly timeoutMs: number;
  /**
   * The clock as read at the start of the latest slice. A clock read costs about as much
   * as the rest of a spout emit, so Storm's sampling (`topology.stats.sample.rate`)
   * applies: a tree that is not sampled, emitted during a slice, gets this as a stand-in
   * and, once its task's turn in the slice ends, one clock read shared with the others of
   * that turn. Only the timeout sweep uses those times, and a time read after the emit can
   * only make a timeout late by part of a slice, never early.
   */
  private sliceClock = performance.now();
  private inSlice = false;
  active = false;
  private readonly ackerCount: number;
  /** True when this worker has an acker: the tasks ack their own trees. */
  private readonly selfAcking: boolean;
  readonly firstTreeSlot: number;

  constructor(worker: ExecutorHost, component: string, tasks: readonly number[], firstTreeSlot: number) {
    super(worker, component, tasks);
    this.firstTreeSlot = firstTreeSlot;
    this.states = tasks.map((task, i) => new SpoutTask(this, task, firstTreeSlot + i));
    this.routes = buildStreamRoutes(worker.compiled, worker.layout, worker.streams, component, (t) => worker.isLocal(t));
    this.defaultRoutes = this.routes.get(DEFAULT_STREAM);
    const config = worker.componentConfig(component);
    const maxPending = config['topology.max.spout.pending'];
    // The checkpoint spout has at most one checkpoint in flight; at that limit it is not polled.
    this.maxPending = component === CHECKPOINT_COMPONENT ? 1 : typeof maxPending === 'number' ? maxPending : Infinity;
    const settings = checkpointSettings(worker);
    this.checkpoints = settings !== undefined && component !== CHECKPOINT_COMPONENT ? new SpoutCheckpoints(this, settings) : undefined;
    this.timeoutMs = Number(config['topology.message.timeout.secs']) * 1000;
    this.ackerCount = worker.layout.ackerTasks.length;
    this.selfAcking = worker.ackersEnabled && worker.localAckerIndex >= 0;
  }

  async start(): Promise<void> {
    const config = this.worker.componentConfig(this.component);
    for (const state of this.states) {
      state.instance = this.component === CHECKPOINT_COMPONENT ? this.checkpointSpout() : this.worker.instantiate<Spout & SpoutHooks>(this.component);
      const context = this.context(state.task, config);
      state.instance.bindRuntime(state, context);
      await this.lifecycle(state.task, 'open', () => state.instance.open?.(context));
    }
  }

  activate(): void {
    if (this.active) return;
    this.active = true;
    for (const state of this.states) this.guard(state, 'activate', () => state.instance.activate?.());
  }

  deactivate(): void {
    // Checkpoints go on while the user's spouts pause: the trees those left pending are acked only by commits, so a drain (kill, rebalance) can end.
    if (!this.active || this.component === CHECKPOINT_COMPONENT) return;
    this.active = false;
    for (const state of this.states) this.guard(state, 'deactivate', () => state.instance.deactivate?.());
  }

  async stop(): Promise<void> {
    this.deactivate();
    for (const state of this.states) {
      try {
        await state.instance.close?.();
      } catch (error) {
        this.reportError(state.task, error, 'close');
      }
    }
    await this.checkpoints?.stop();
  }

  /** The engine's checkpoint spout, unless the compiled topology brings its own (testBolt's scripted barriers). */
  private checkpointSpout(): Spout & SpoutHooks {
    if (this.worker.compiled.componentClasses.has(CHECKPOINT_COMPONENT)) return this.worker.instantiate<Spout & SpoutHooks>(CHECKPOINT_COMPONENT);
    return new CheckpointSpout(() => acquireStateProvider(this.worker), () => releaseStateProvider(this.worker));
  }

  /** Where `$checkpoint` barriers for its tasks are delivered, in a stateful topology. */
  get inbox(): Inbox | undefined {
    return this.checkpoints?.inbox;
  }

  /**
   * Whether the next slice would call some task's nextTuple: only then is there a reason
   * to poll. A task awaiting its promise, or at max spout pending, is woken by what ends
   * that (the promise settling, an ack or a timeout), not by polling.
   */
  get pollable(): boolean {
    if (!this.active) return false;
    for (const state of this.states) if (!state.busy && !state.paused && state.pending.size < this.maxPending) return true;
    return false;
  }

  /** Tasks whose spout said it is done (see Spout.markDone). */
  override get doneTasks(): number {
    let n = 0;
    for (const state of this.states) if (state.finished) n++;
    return n;
  }

  /** Trees emitted and not yet acked, failed or timed out. */
  get pendingCount(): number {
    let n = 0;
    for (const state of this.states) n += state.pending.size;
    return n;
  }

  override get pending(): number {
    return this.pendingCount;
  }

  /** Bytes the tasks' pending tables hold. */
  get pendingBytes(): number {
    let n = 0;
    for (const state of this.states) n += state.pending.bytes;
    return n;
  }

  runSlice(): number {
    this.sliceClock = performance.now();
    let work = this.drainSettled() + this.drainResults();
    if (this.immediateTasks.length > 0) work += this.drainImmediateAcks();
    if (this.checkpoints !== undefined) work += this.checkpoints.runSlice();
    if (!this.active || this.worker.congested > 0) return work;
    this.inSlice = true;
    for (const state of this.states) {
      if (state.busy || state.paused) continue;
      work += this.runTask(state);
      // One clock read, after the turn, for the trees it added without one (a late stamp, never an early one).
      if (state.unstamped > 0) {
        state.pending.restampNewest(state.unstamped, performance.now());
        state.unstamped = 0;
      }
    }
    this.inSlice = false;
    return work;
  }

  /** One task's turn in a slice: up to SPOUT_BATCH calls of nextTuple, fewer when it has handed LOCAL_SPOUT_BATCH tuples to local bolts, stops emitting or must wait. */
  private runTask(state: SpoutTask): number {
    let work = 0;
    const worker = this.worker;
    const localEnd = worker.localDeliveries + LOCAL_SPOUT_BATCH;
    for (let i = 0; i < SPOUT_BATCH; i++) {
      if (state.pending.size >= this.maxPending) break;
      const before = state.emits;
      let result: void | Promise<void>;
      try {
        result = state.instance.nextTuple();
      } catch (error) {
        this.reportError(state.task, error, 'nextTuple');
        break;
      }
      if (isThenable(result)) {
        state.busy = true;
        work++;
        result.then(
          () => this.settle(state),
          (error: unknown) => {
            this.reportError(state.task, error, 'nextTuple');
            this.settle(state);
          },
        );
        break;
      }
      if (state.emits === before) break;
      work++;
      if (worker.congested > 0 || worker.localDeliveries >= localEnd) break;
    }
    return work;
  }

  emit(state: SpoutTask, stream: string, values: unknown[], msgId: unknown, directTask: number | undefined): readonly number[] {
    const routes = stream === DEFAULT_STREAM ? this.defaultRoutes : this.routes.get(stream);
    if (routes === undefined) throw this.unknownStream(stream, this.routes);
    if (values.length !== routes.fields.fields.length) throw this.wrongArity(routes, values);
    const direct = directTask !== undefined || routes.direct ? this.directTargets(routes, directTask) : undefined;
    const worker = this.worker;
    const tracked = msgId !== undefined && msgId !== null && worker.ackersEnabled;

    let rootHi = 0;
    let rootLo = 0;
    if (tracked) {
      // Storm does not look for a pending root with the same random 64 bits either: it
      // would take one in 10^16 emits with 1,000 pending, and the two trees would then
      // time out and be replayed, not lost.
      do {
        rootHi = randomHalf();
        rootLo = this.localRoot(randomHalf(), state.treeSlot);
      } while ((rootHi | rootLo) === 0);
    }

    const targets = direct ?? routes.choose(values);
    const streamIndex = routes.fields.index;
    const stats = this.stats;
    stats.emitted[streamIndex]++;
    stats.transferred[streamIndex] += targets.length;
    state.emits++;
    if (worker.observer !== undefined) worker.observer.emitted?.(this.component, state.task, stream, values);

    let xorHi = 0;
    let xorLo = 0;
    for (let i = 0; i < targets.length; i++) {
      const tuple = new TupleImpl(values, routes.fields, state.task);
      if (tracked) {
        const edgeHi = randomHalf();
        const edgeLo = randomHalf();
        tuple.r0h = rootHi;
        tuple.r0l = rootLo;
        tuple.e0h = edgeHi;
        tuple.e0l = edgeLo;
        xorHi ^= edgeHi;
        xorLo ^= edgeLo;
      }
      worker.deliver(targets[i], tuple);
    }
    // An emit from a callback outside any slice (a promise, I/O): let the scheduler see it now.
    worker.wake();

    if (tracked) {
      const timed = ++state.sinceSample >= stats.sampleEvery;
      if (timed) state.sinceSample = 0;
      // Outside a slice (after an await, from I/O) there is no stamp to come: read the clock now.
      const exact = timed || !this.inSlice;
      const start = exact ? performance.now() : this.sliceClock;
      if (!exact) state.unstamped++;
      if (this.selfAcking) {
        const entry = state.pending.add(rootHi, rootLo, msgId, streamIndex, start, timed, xorHi, xorLo);
        // A tree whose tuple went nowhere (no subscriber, or a custom grouping chose none) is complete now.
        if ((xorHi | xorLo) === 0) this.settleTree(state.treeSlot - this.firstTreeSlot, state.pending, entry, RESULT_ACK);
      } else {
        state.pending.add(rootHi, rootLo, msgId, streamIndex, start, timed);
        worker.ackerInit(rootHi, rootLo, xorHi, xorLo, state.task);
      }
    } else if (msgId !== undefined && msgId !== null) {
      this.immediateTasks.push(state);
      this.immediateIds.push(msgId);
      this.immediateStreams.push(streamIndex);
    }
    return targets;
  }

  /**
   * A random low half that makes the root's acks come to this worker and to the task's
   * table (see acker/tree-slots.ts); without a local acker it stays random.
   */
  private localRoot(lo: number, treeSlot: number): number {
    if (!this.selfAcking) return lo;
    return rootLoFor(lo, this.ackerCount, this.worker.localAckerIndex, this.worker.treeSlots, treeSlot);
  }

  /**
   * The acker's work for a tree of the task in `treeSlot`, done in that task's table:
   * XORs in an ack, or settles the tree on a fail or a loss, or once its value is zero. False when
   * the tree is not there (a tree of another worker's spout, or one already settled).
   */
  ackerMessage(treeSlot: number, type: number, rootHi: number, rootLo: number, xorHi: number, xorLo: number): boolean {
    const index = treeSlot - this.firstTreeSlot;
    const pending = this.states[index].pending;
    const entry = pending.find(rootHi, rootLo);
    if (entry === -1) return false;
    // Acks are told apart first, with one comparison; anything else is a fail or a loss (inits never come here).
    if (type === ACK_ACK) {
      if (pending.xor(entry, xorHi, xorLo)) this.settleTree(index, pending, entry, RESULT_ACK);
    } else this.settleTree(index, pending, entry, type === ACK_FAIL ? RESULT_FAIL : RESULT_LOST);
    return true;
  }

  private settleTree(index: number, pending: PendingTrees, entry: number, result: number): void {
    pending.settle(entry);
    const ring = this.settled;
    const at = ring.reserve();
    const d = ring.data;
    d[at] = index;
    d[at + 1] = result;
    d[at + 2] = entry;
    ring.commit();
  }

  /** Fails every tree older than the message timeout; they are in emit order, so this stops at the first young one. */
  expire(now: number): void {
    for (const state of this.states) {
      const pending = state.pending;
      for (let i = pending.oldest; i !== -1 && now - pending.start(i) >= this.timeoutMs; i = pending.oldest) {
        const msgId = pending.msgId(i);
        this.stats.failed[pending.stream(i)]++;
        pending.remove(i);
        this.stats.timedOut++;
        this.callFail(state, msgId, 'timeout');
      }
    }
  }

  /** Calls ack or fail for the trees this executor's tasks settled themselves. */
  private drainSettled(): number {
    const ring = this.settled;
    let n = 0;
    for (; ring.size > 0; n++) {
      const d = ring.data;
      const i = ring.front();
      const state = this.states[d[i]];
      const result = d[i + 1];
      const entry = d[i + 2];
      ring.release();
      this.finish(state, entry, result);
    }
    return n;
  }

  /** Calls ack or fail for the verdicts of ackers in other workers. */
  private drainResults(): number {
    const ring = this.results;
    let n = 0;
    for (; ring.size > 0; n++) {
      const d = ring.data;
      const i = ring.front();
      const state = this.states[d[i] - this.firstTask];
      const result = d[i + 1];
      const tree = state.pending.find(d[i + 2], d[i + 3]);
      ring.release();
      if (tree === -1) continue;
      state.pending.settle(tree);
      this.finish(state, tree, result);
    }
    return n;
  }

  /** Frees a settled tree's entry and calls ack or fail with its msgId. */
  private finish(state: SpoutTask, entry: number, result: number): void {
    const pending = state.pending;
    const msgId = pending.msgId(entry);
    const start = pending.start(entry);
    const timed = pending.isTimed(entry);
    const stream = pending.stream(entry);
    pending.release(entry);
    const stats = this.stats;
    if (result === RESULT_ACK) {
      stats.acked[stream]++;
      if (timed) {
        // Every verdict drained in a slice was reached before it began: the slice's clock read serves them all.
        const ms = this.sliceClock - start;
        this.latency.record(ms * 1000);
        stats.completeMs[stream] += ms;
        stats.completeSamples[stream]++;
      }
      this.callAck(state, msgId);
    } else {
      stats.failed[stream]++;
      this.callFail(state, msgId, result === RESULT_LOST ? 'lost' : 'failed');
    }
  }

  private drainImmediateAcks(): number {
    const tasks = this.immediateTasks;
    const ids = this.immediateIds;
    const streams = this.immediateStreams;
    this.immediateTasks = [];
    this.immediateIds = [];
    this.immediateStreams = [];
    for (let i = 0; i < tasks.length; i++) {
      this.stats.acked[streams[i]]++;
      try {
        tasks[i].instance.ack?.(ids[i]);
      } catch (error) {
        this.reportError(tasks[i].task, error, 'ack');
      }
    }
    return tasks.length;
  }

  private settle(state: SpoutTask): void {
    state.busy = false;
    state.onIdle?.();
    this.worker.wake();
  }

  /** Emits `values` on `stream` anchored to an input (a checkpoint barrier), as a bolt does. */
  emitAnchored(state: SpoutTask, stream: string, values: unknown[], anchor: TupleImpl): void {
    const routes = this.routes.get(stream);
    if (routes === undefined) throw this.unknownStream(stream, this.routes);
    const targets = routes.choose(values);
    for (let i = 0; i < targets.length; i++) {
      const tuple = new TupleImpl(values, routes.fields, state.task);
      anchorTo(tuple, anchor, this.component);
      this.worker.deliver(targets[i], tuple);
    }
    this.stats.emitted[routes.fields.index]++;
    this.stats.transferred[routes.fields.index] += targets.length;
    this.worker.observer?.emitted?.(this.component, state.task, stream, values);
    this.worker.wake();
  }

  // ack and fail run once per tree: plain methods, no closure per call.
  private callAck(state: SpoutTask, msgId: unknown): void {
    try {
      state.instance.ack?.(msgId);
    } catch (error) {
      this.reportError(state.task, error, 'ack');
    }
  }

  override peerLost(): void {
    this.checkpoints?.peerLost();
  }

  private callFail(state: SpoutTask, msgId: unknown, reason: FailReason): void {
    if (this.checkpoints?.absorbsFailure(state) === true) return;
    // fail() may queue a replay: the task is not done until it says so again.
    state.finished = false;
    try {
      state.instance.fail?.(msgId, reason);
    } catch (error) {
      this.reportError(state.task, error, 'fail');
    }
  }

  private guard(state: SpoutTask, source: 'activate' | 'deactivate', fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.reportError(state.task, error, source);
    }
  }
}
