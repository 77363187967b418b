import { Redis } from 'ioredis';
import { Spout, TopoError, type FailReason, type ComponentDefinition, type ComponentSpec, type SpoutSpecOptions, type TopologyConfig, type TopologyContext, type ValidationProblem } from '@topo/topology-dsl';
import { ConfigReader } from './config-reader.js';
import { dataFieldValues, sourceSpec } from './connector-spec.js';
import { NextTupleWait } from './next-tuple-wait.js';
import { RedisHealth, isConnectionError } from './redis-health.js';
import { REDIS_STREAM_KEYS, readRedisStreamSpoutSettings, type RedisStreamSpoutSettings } from './redis-stream-config.js';
import { redisAddress } from './redis-url.js';
import { compareEntryIds, entryRecord, readGroupEntries, type RawEntry, type StreamEntry } from './stream-entry.js';

export interface RedisStreamSpoutOptions<F extends readonly string[] = readonly string[]> extends SpoutSpecOptions {
  /** The stream's key. */
  stream: string;
  /** The consumer group; created (with the stream) if missing. */
  group: string;
  /** Redis URL, e.g. `redis://127.0.0.1:6379/0`; or set `topo.redis.url` in the topology's config. */
  connection?: string;
  /** Consumer name of this component's tasks, to which each task appends `:<task index>`. Default `<topology>:<component>`. */
  consumer?: string;
  /** Tuple fields, each taken from the entry's fields by name; without it tuples are `id, entry`. */
  fields?: F;
  startId?: string;
  maxDeliveries?: number;
  deadLetterStream?: string;
  claimIdleMs?: number;
  readCount?: number;
  blockMs?: number;
}

const OPTION_KEYS = {
  stream: REDIS_STREAM_KEYS.stream,
  group: REDIS_STREAM_KEYS.group,
  connection: REDIS_STREAM_KEYS.url,
  consumer: REDIS_STREAM_KEYS.consumer,
  startId: REDIS_STREAM_KEYS.startId,
  maxDeliveries: REDIS_STREAM_KEYS.maxDeliveries,
  deadLetterStream: REDIS_STREAM_KEYS.deadLetterStream,
  claimIdleMs: REDIS_STREAM_KEYS.claimIdleMs,
  readCount: REDIS_STREAM_KEYS.readCount,
  blockMs: REDIS_STREAM_KEYS.blockMs,
};

/**
 * Where a checkpointed spout task is: `id` is the last entry id it emitted (every entry of
 * its consumer up to it was emitted), `failed` the ids of entries whose trees failed and
 * that were not acked since (only at-least-once topologies call `fail`), which a rewind
 * emits again as well.
 */
export interface StreamPosition {
  id: string;
  failed: string[];
}

/** A row of XPENDING's extended form: id, consumer, idle ms, deliveries. */
type PendingRow = [id: string, consumer: string, idleMs: number, deliveries: number];

/** Pause after an unexpected error, so a persistent one is not retried in a tight loop. */
const ERROR_PAUSE_MS = 1000;

/**
 * A Redis stream read through a consumer group (XREADGROUP) as a spout: every entry
 * becomes a tuple whose message id is the entry id, and is XACKed once its tree is fully
 * acked. An entry whose tree a bolt failed is claimed again, which counts a delivery, and
 * emitted again; once it has been delivered `maxDeliveries` times it is written to the
 * dead-letter stream with the error and acked instead. One whose tree timed out or lost
 * tuples with a worker is claimed again without counting a delivery (the claim only
 * tells other consumers it is in hand) and emitted again.
 *
 * Each task is a consumer with a stable name, so a restarted task first re-reads its own
 * pending entries (it does so after a reconnection as well, in case a reply was lost).
 * Entries left pending by consumers that died for good are claimed (XAUTOCLAIM) once they
 * have been idle for `claimIdleMs`. The group is created if missing.
 *
 * In a checkpointed topology the spout is rewindable: its position is the last entry id it
 * emitted (with the entries whose trees failed since, see `position()`), and the
 * consumer's pending list is what a rewind reads again, so an entry is XACKed only once
 * its tree completes, which a stateful bolt delays until the checkpoint that holds its
 * effect commits.
 */
export class RedisStreamSpout extends Spout {
  static outputs: readonly string[] = ['id', 'entry'];
  /** Set by `spec({ fields })`: the entry fields the tuple fields come from. */
  static dataFields: readonly string[] | undefined = undefined;

  static override spec<const F extends readonly string[] = readonly ['id', 'entry']>(
    this: typeof Spout,
    options: RedisStreamSpoutOptions<F>,
  ): ComponentSpec<{ default: F[number] }> {
    return sourceSpec(this, options, OPTION_KEYS);
  }

  static validateComponent(component: ComponentDefinition, config: TopologyConfig): ValidationProblem[] {
    return ConfigReader.problemsOf(component, config, (reader) => readRedisStreamSpoutSettings(reader, config, { topologyName: '', componentId: component.name, taskIndex: 0 }));
  }

  private settings!: RedisStreamSpoutSettings;
  /** Acks, claims and dead letters; reads that block go over `reader`, so they never hold these up. */
  private client!: Redis;
  private reader!: Redis;
  private health!: RedisHealth;
  /** Read (or claimed), not yet emitted. */
  private readonly ready: StreamEntry[] = [];
  /** Emitted, tree pending, by entry id (the message id). */
  private readonly emitted = new Map<string, StreamEntry>();
  /** Ids of every entry this task holds (ready, emitted, being claimed again or dead-lettered): never emitted twice at once. */
  private readonly held = new Set<string>();
  private acks: string[] = [];
  /** Entries whose tree a bolt failed, to claim again counting a delivery. */
  private retries: StreamEntry[] = [];
  /** Entries whose tree timed out or was lost, to claim again without counting one. */
  private replays: StreamEntry[] = [];
  /** The read under way, if any. */
  private reads: Promise<void> | undefined;
  /** Settles the promise of a `nextTuple` that found nothing to emit, once a read ends or a retry is ready. */
  private readonly nextTupleWait = new NextTupleWait();
  /** Cursor through this consumer's own pending entries; undefined once they have all been read. */
  private history: string | undefined = '0';
  private claimCursor = '0-0';
  private nextClaimAt = 0;
  private groupReady = false;
  private closed = false;
  /** Set by the first `rewind`: the topology checkpoints this spout's position. */
  private checkpointed = false;
  /** Counts rewinds: a read or claim started before one must not deliver what it got. */
  private epoch = 0;
  /** Cursor through this consumer's pending entries after a rewind (exclusive); undefined once read. */
  private rewound: string | undefined;
  /** The last (highest) entry id emitted, in a checkpointed topology. */
  private lastId = '0-0';
  /** Ids passed to `fail` and not acked since: part of the position. */
  private failed = new Set<string>();

  open(context: TopologyContext): void {
    this.settings = ConfigReader.settingsOf(this, context, (reader) => readRedisStreamSpoutSettings(reader, context.config, context));
    const { url, stream, group } = this.settings;
    this.health = new RedisHealth(`${redisAddress(url)} (stream ${stream}, group ${group})`, (level, message) => context.log(level, message), () => {
      this.history = '0';
    });
    this.client = new Redis(url, { maxRetriesPerRequest: null });
    this.reader = new Redis(url, { maxRetriesPerRequest: null });
    this.health.watch(this.client);
    this.health.watch(this.reader);
  }

  /**
   * Emits a read entry. The next read starts while half a read's worth is still ready, so
   * that the round trip to Redis overlaps with emitting. An empty spout waits for the read
   * or for a failed entry claimed again, whichever comes first: on a quiet stream the read
   * blocks for `blockMs`, which a retry must not wait out.
   */
  nextTuple(): void | Promise<void> {
    if (this.reads === undefined && this.ready.length <= this.settings.readCount / 2 && this.held.size < this.settings.maxHeld) {
      this.reads = this.read().finally(() => {
        this.reads = undefined;
        this.nextTupleWait.wake();
      });
    }
    const entry = this.ready.shift();
    if (entry === undefined) {
      if (this.reads === undefined) return;
      return this.nextTupleWait.wait();
    }
    this.emitted.set(entry.id, entry);
    if (this.checkpointed && compareEntryIds(entry.id, this.lastId) > 0) this.lastId = entry.id;
    this.emit(this.toValues(entry), { msgId: entry.id });
  }

  /** The last entry id emitted and the failed entries not acked since: JSON, saved with each checkpoint. */
  position(): StreamPosition {
    return { id: this.lastId, failed: [...this.failed] };
  }

  /**
   * Continues after `position` (from this consumer's first pending entry when undefined),
   * forgetting everything emitted since: the consumer's pending entries up to the
   * position's id are XACKed (the committed checkpoint holds their effect), its failed
   * entries are emitted again first, then its pending entries after the id, read by
   * XPENDING and XRANGE (which, unlike XREADGROUP, counts no delivery: a rollback is not
   * the entry's fault), then new entries. Entries pending under other consumers are not
   * claimed in a checkpointed topology, since they lie outside this task's positions.
   */
  async rewind(position: unknown): Promise<void> {
    const { id, failed } = this.positionOf(position);
    this.epoch++;
    this.checkpointed = true;
    // Acks of trees that completed before the rollback are real: send them.
    this.flushAcks();
    this.ready.length = 0;
    this.emitted.clear();
    this.held.clear();
    this.retries = [];
    this.replays = [];
    this.history = undefined;
    this.failed = new Set(failed);
    this.lastId = id;
    this.rewound = id;
    if (!this.groupReady) await this.createGroup();
    await this.ackUpTo(id, this.failed);
    if (failed.length > 0) {
      const counts = await this.deliveryCounts(failed);
      await this.adoptOwnPending(failed.map((f) => [f, counts.get(f) ?? 1] as const), this.epoch);
    }
    this.nextTupleWait.wake();
  }

  ack(msgId: unknown): void {
    const entry = this.emitted.get(msgId as string);
    if (entry === undefined) return;
    this.emitted.delete(entry.id);
    this.held.delete(entry.id);
    this.failed.delete(entry.id);
    // Acks that arrive together (one slice of acker verdicts) go in one XACK.
    if (this.acks.length === 0) queueMicrotask(() => this.flushAcks());
    this.acks.push(entry.id);
  }

  /** Only a tree a bolt failed counts toward `maxDeliveries`: a timeout or a loss says nothing about the entry. */
  fail(msgId: unknown, reason?: FailReason): void {
    const entry = this.emitted.get(msgId as string);
    if (entry === undefined) return;
    this.emitted.delete(entry.id);
    if (this.checkpointed) this.failed.add(entry.id);
    const counted = reason !== 'timeout' && reason !== 'lost';
    if (counted && entry.deliveries >= this.settings.maxDeliveries) {
      void this.deadLetter([entry], `tuple tree failed on each of ${entry.deliveries} deliveries`);
      return;
    }
    if (this.retries.length === 0 && this.replays.length === 0) queueMicrotask(() => void this.redeliver());
    (counted ? this.retries : this.replays).push(entry);
  }

  /** Entries still in flight stay pending in the group, under this consumer's name: the next start re-reads them. */
  async close(): Promise<void> {
    this.closed = true;
    this.nextTupleWait.wake();
    this.flushAcks();
    this.health.stop();
    this.reader.disconnect();
    if (this.health.healthy) await this.client.quit().catch(() => {});
    this.client.disconnect();
  }

  /** The tuple of an entry: `id, entry` (an object of its fields), or with `fields`, each field's value (null when absent). */
  protected toValues(entry: StreamEntry): unknown[] {
    const record = entryRecord(entry.fields);
    const fields = (this.constructor as typeof RedisStreamSpout).dataFields;
    if (fields === undefined) return [entry.id, record];
    return dataFieldValues(fields, record);
  }

  private async read(): Promise<void> {
    const room = Math.min(this.settings.readCount, this.settings.maxHeld - this.held.size);
    const epoch = this.epoch;
    try {
      // A read of pending entries must not return one whose XACK is still waiting to be sent.
      this.flushAcks();
      if (!this.groupReady) await this.createGroup();
      if (this.rewound !== undefined) await this.readRewound(room, epoch);
      else if (this.history !== undefined) await this.readHistory(room, epoch);
      else if (this.checkpointed || performance.now() < this.nextClaimAt || (await this.claimIdle(room, epoch)) === 0) await this.readNew(room, epoch);
    } catch (error) {
      if (this.closed) return;
      if (error instanceof Error && error.message.startsWith('NOGROUP')) {
        // The stream or group went away (deleted, or Redis lost its data): create it again.
        this.groupReady = false;
        return;
      }
      if (isConnectionError(error)) this.health.lost(error);
      else this.reportError(error);
      await new Promise((resolve) => setTimeout(resolve, ERROR_PAUSE_MS));
    }
  }

  private async createGroup(): Promise<void> {
    const { stream, group, startId } = this.settings;
    try {
      await this.client.xgroup('CREATE', stream, group, startId, 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
    this.groupReady = true;
  }

  /** New entries, waiting up to `blockMs` for some. */
  private async readNew(room: number, epoch: number): Promise<void> {
    const { stream, group, consumer, blockMs } = this.settings;
    const reply = await this.reader.xreadgroup('GROUP', group, consumer, 'COUNT', room, 'BLOCK', blockMs, 'STREAMS', stream, '>');
    // Read across a rewind: pending under this consumer after the position, so the rewound read takes them.
    if (epoch !== this.epoch) return;
    for (const [id, fields] of readGroupEntries(reply)) this.hold({ id, fields: fields ?? [], deliveries: 1 });
  }

  /** This consumer's own pending entries, from the oldest: what a previous run (or a lost reply) left undone. */
  private async readHistory(room: number, epoch: number): Promise<void> {
    const { stream, group, consumer } = this.settings;
    const reply = await this.client.xreadgroup('GROUP', group, consumer, 'COUNT', room, 'STREAMS', stream, this.history!);
    if (epoch !== this.epoch) return;
    const entries = readGroupEntries(reply);
    if (entries.length === 0) {
      this.history = undefined;
      return;
    }
    this.history = entries[entries.length - 1][0];
    await this.adoptPending(entries, epoch);
  }

  /** This consumer's pending entries after the rewound position, oldest first, without counting a delivery. */
  private async readRewound(room: number, epoch: number): Promise<void> {
    const { stream, group, consumer } = this.settings;
    const rows = (await this.client.xpending(stream, group, `(${this.rewound!}`, '+', room, consumer)) as PendingRow[];
    if (epoch !== this.epoch) return;
    if (rows.length === 0) {
      this.rewound = undefined;
      return;
    }
    this.rewound = rows[rows.length - 1][0];
    await this.adoptOwnPending(rows.map((row) => [row[0], row[3]] as const), epoch);
  }

  /** Queues entries of this consumer's pending list (id and delivery count) to be emitted, acking those deleted from the stream. */
  private async adoptOwnPending(pending: readonly (readonly [id: string, deliveries: number])[], epoch: number): Promise<void> {
    const { stream } = this.settings;
    const pipeline = this.client.pipeline();
    for (const [id] of pending) pipeline.xrange(stream, id, id);
    const replies = (await pipeline.exec()) ?? [];
    if (epoch !== this.epoch) return;
    pending.forEach(([id, deliveries], i) => {
      const [error, reply] = replies[i];
      if (error !== null) throw error;
      const found = (reply as RawEntry[])[0];
      if (found === undefined) this.acks.push(id);
      else if (!this.held.has(id)) this.hold({ id, fields: found[1] ?? [], deliveries });
    });
  }

  /** XACKs this consumer's pending entries up to `id` (inclusive), except `keep`: the committed checkpoint holds their effect. */
  private async ackUpTo(id: string, keep: ReadonlySet<string>): Promise<void> {
    const { stream, group, consumer, readCount } = this.settings;
    let start = '-';
    for (;;) {
      const rows = (await this.client.xpending(stream, group, start, id, readCount, consumer)) as PendingRow[];
      const done = rows.map((row) => row[0]).filter((pendingId) => !keep.has(pendingId));
      if (done.length > 0) await this.client.xack(stream, group, ...done);
      if (rows.length < readCount) return;
      start = `(${rows[rows.length - 1][0]}`;
    }
  }

  /** The position a checkpoint saved; a value this spout never returned is refused, naming the component. */
  private positionOf(position: unknown): StreamPosition {
    if (position === undefined || position === null) return { id: '0-0', failed: [] };
    const p = position as Partial<StreamPosition>;
    const isId = (v: unknown): v is string => typeof v === 'string' && /^\d+-\d+$/.test(v);
    if (typeof p === 'object' && isId(p.id) && Array.isArray(p.failed) && p.failed.every(isId)) return { id: p.id, failed: p.failed };
    throw new TopoError(`${this.context.componentId}: cannot rewind to ${JSON.stringify(position)}, which is not a position of RedisStreamSpout ({ id, failed } with entry ids)`, {
      component: this.context.componentId,
    });
  }

  /** Entries other consumers left pending for `claimIdleMs`; returns how many were claimed. */
  private async claimIdle(room: number, epoch: number): Promise<number> {
    const { stream, group, consumer, claimIdleMs } = this.settings;
    const [cursor, entries] = (await this.client.xautoclaim(stream, group, consumer, claimIdleMs, this.claimCursor, 'COUNT', room)) as [string, RawEntry[], string[]];
    this.claimCursor = cursor;
    if (cursor === '0-0') this.nextClaimAt = performance.now() + claimIdleMs / 2;
    await this.adoptPending(entries, epoch);
    return entries.length;
  }

  /**
   * Pending entries read again or claimed: Redis counted this delivery, so their counts
   * come from XPENDING. Deleted ones are acked, ones past `maxDeliveries` dead-lettered
   * (an entry that kills its consumer never gets to fail), and ones this task already
   * holds skipped.
   */
  private async adoptPending(entries: RawEntry[], epoch: number): Promise<void> {
    if (epoch !== this.epoch) return;
    const fresh = entries.filter(([id]) => !this.held.has(id));
    const gone = fresh.filter(([, fields]) => fields === null).map(([id]) => id);
    if (gone.length > 0) this.acks.push(...gone);
    const live = fresh.filter(([, fields]) => fields !== null) as [string, string[]][];
    if (live.length === 0) return;
    for (const [id] of live) this.held.add(id);
    const counts = await this.deliveryCounts(live.map(([id]) => id));
    if (epoch !== this.epoch) return;
    const dead: StreamEntry[] = [];
    for (const [id, fields] of live) {
      const entry = { id, fields, deliveries: counts.get(id) ?? 1 };
      if (entry.deliveries > this.settings.maxDeliveries) dead.push(entry);
      else this.ready.push(entry);
    }
    if (dead.length > 0) await this.deadLetter(dead, `delivered ${this.settings.maxDeliveries} times without being acked (its consumer may have died processing it)`);
  }

  private async deliveryCounts(ids: string[]): Promise<Map<string, number>> {
    const { stream, group } = this.settings;
    const pipeline = this.client.pipeline();
    for (const id of ids) pipeline.xpending(stream, group, id, id, 1);
    const replies = (await pipeline.exec()) ?? [];
    const counts = new Map<string, number>();
    for (const [error, reply] of replies) {
      if (error !== null) throw error;
      const row = (reply as [string, string, number, number][])[0];
      if (row !== undefined) counts.set(row[0], row[3]);
    }
    return counts;
  }

  private hold(entry: StreamEntry): void {
    this.held.add(entry.id);
    this.ready.push(entry);
  }

  private flushAcks(): void {
    if (this.acks.length === 0) return;
    const ids = this.acks;
    this.acks = [];
    const { stream, group } = this.settings;
    this.client.xack(stream, group, ...ids).catch((error: unknown) => this.onCommandError(error));
  }

  /**
   * Claims failed and timed-out entries again and queues them to be emitted. A claim
   * resets an entry's idle time, so no other consumer takes it over meanwhile; a retry's
   * claim counts a delivery in Redis, a replay's (JUSTID) does not.
   */
  private async redeliver(): Promise<void> {
    const retries = this.retries;
    const replays = this.replays;
    this.retries = [];
    this.replays = [];
    const epoch = this.epoch;
    await Promise.all([this.claimAgain(retries, true, epoch), this.claimAgain(replays, false, epoch)]);
    this.nextTupleWait.wake();
  }

  private async claimAgain(entries: StreamEntry[], counted: boolean, epoch: number): Promise<void> {
    if (entries.length === 0) return;
    const { stream, group, consumer } = this.settings;
    const ids = entries.map((e) => e.id);
    try {
      const claimed = counted
        ? ((await this.client.xclaim(stream, group, consumer, 0, ...ids)) as RawEntry[]).map(([id]) => id)
        : ((await this.client.xclaim(stream, group, consumer, 0, ...ids, 'JUSTID')) as string[]);
      // A rewind since decides what is emitted again (its position lists these entries).
      if (epoch !== this.epoch) return;
      const back = new Set(claimed);
      for (const entry of entries) {
        if (back.has(entry.id)) {
          if (counted) entry.deliveries++;
          this.ready.push(entry);
        } else {
          // Trimmed from the stream since: nothing left to deliver.
          this.held.delete(entry.id);
        }
      }
    } catch (error) {
      if (epoch !== this.epoch) return;
      // Left pending under this consumer: the next history read or claim delivers them again.
      for (const entry of entries) this.held.delete(entry.id);
      this.onCommandError(error);
    }
  }

  /** Copies entries to the dead-letter stream with the reason, and acks them, in one transaction. */
  private async deadLetter(entries: StreamEntry[], error: string): Promise<void> {
    const { stream, group, consumer, deadLetterStream } = this.settings;
    const multi = this.client.multi();
    for (const entry of entries) {
      multi.xadd(deadLetterStream, '*', ...entry.fields, 'topo.source.id', entry.id, 'topo.source.stream', stream, 'topo.group', group, 'topo.consumer', consumer, 'topo.deliveries', String(entry.deliveries), 'topo.error', error);
    }
    multi.xack(stream, group, ...entries.map((e) => e.id));
    try {
      const replies = (await multi.exec()) ?? [];
      const failed = replies.find(([e]) => e !== null);
      if (failed !== undefined) throw failed[0];
      this.context.log('warn', `${entries.length} entr${entries.length === 1 ? 'y' : 'ies'} (${entries.map((e) => e.id).join(', ')}) went to dead-letter stream ${deadLetterStream}: ${error}`);
    } catch (e) {
      this.onCommandError(e);
    } finally {
      for (const entry of entries) {
        this.held.delete(entry.id);
        this.failed.delete(entry.id);
      }
    }
  }

  private onCommandError(error: unknown): void {
    if (this.closed) return;
    if (isConnectionError(error)) this.health.lost(error);
    else this.reportError(error);
  }
}
