import type { Redis } from 'ioredis';
import type { ErrorRecord } from '@topo/runtime';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { ClusterStateError } from '../errors.js';
import type { ClusterAssignment } from './cluster-assignment.js';
import { ClusterKeys } from './cluster-keys.js';
import type { LogConfig } from './log-config.js';
import type { NimbusRegistration } from './nimbus-registration.js';
import { parseRecord, validators } from '../schema-validator.js';
import type { SupervisorHeartbeat } from './supervisor-heartbeat.js';
import { isUnreadable, unreadableTopology, type TopologyRecord, type UnreadableTopology } from './topology-record.js';
import { WORKER_FAILURE_MAX_CHARS, type WorkerFailure } from './worker-failure.js';
import type { WorkerHeartbeat } from './worker-heartbeat.js';

/** Everything stored about one topology when it is submitted. */
export interface NewTopology {
  record: TopologyRecord;
  /** TopologyBundle JSON, as uploaded. */
  bundle: string;
  secret: Buffer;
}

/** Optimistic transactions retry this often before giving up on a contended key. */
const MAX_TRANSACTION_ATTEMPTS = 20;

/**
 * Typed access to the cluster's state in Redis (layout in `ClusterKeys`). Every read is
 * checked against its schema; list reads skip and report entries that fail it, so one
 * bad value cannot stop a daemon from converging on the rest.
 */
export class ClusterState {
  /**
   * WATCH belongs to the connection and EXEC ends every watch on it, so transactions of
   * this process run one at a time (other processes are what WATCH guards against).
   */
  private transactions: Promise<unknown> = Promise.resolve();

  constructor(
    readonly redis: Redis,
    readonly keys = new ClusterKeys(),
    private readonly onInvalid: (error: ClusterStateError) => void = () => {},
  ) {}

  // ---- topologies ----

  /** A fresh id for a topology named `name`: `name-N`, N counting submissions cluster-wide. */
  async newTopologyId(name: string): Promise<string> {
    return `${name}-${await this.redis.incr(this.keys.topologySeq)}`;
  }

  /** The id of the live topology with this name. */
  async idForName(name: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.name(name))) ?? undefined;
  }

  /**
   * Stores a new topology and claims its name, unless the name is taken by another
   * topology than `replacing`; returns false when it is.
   */
  createTopology(topology: NewTopology, replacing?: string): Promise<boolean> {
    return this.exclusive(() => this.createTopologyNow(topology, replacing));
  }

  private async createTopologyNow(topology: NewTopology, replacing: string | undefined): Promise<boolean> {
    const { record } = topology;
    const nameKey = this.keys.name(record.name);
    for (let attempt = 0; attempt < MAX_TRANSACTION_ATTEMPTS; attempt++) {
      await this.redis.watch(nameKey);
      const holder = await this.redis.get(nameKey);
      if (holder !== null && holder !== replacing) {
        await this.redis.unwatch();
        return false;
      }
      const done = await this.redis
        .multi()
        .set(nameKey, record.id)
        .set(this.keys.topology(record.id), JSON.stringify(record))
        .set(this.keys.secret(record.id), topology.secret.toString('hex'))
        .set(this.keys.bundle(record.id), topology.bundle)
        .sadd(this.keys.topologies, record.id)
        .exec();
      if (done !== null) return true;
    }
    throw new ClusterStateError(nameKey, `still contended after ${MAX_TRANSACTION_ATTEMPTS} attempts`);
  }

  async topology(id: string): Promise<TopologyRecord | undefined> {
    const key = this.keys.topology(id);
    const json = await this.redis.get(key);
    return json === null ? undefined : parseRecord(validators().topology, key, json);
  }

  /** The record, or what can be said about it when it fails its schema. */
  async readTopology(id: string): Promise<TopologyRecord | UnreadableTopology | undefined> {
    const key = this.keys.topology(id);
    const json = await this.redis.get(key);
    return json === null ? undefined : this.parseTopology(id, json);
  }

  /** Every stored topology whose record passes its schema; the others are reported and skipped. */
  async topologies(): Promise<TopologyRecord[]> {
    return (await this.topologyEntries()).records;
  }

  /** Every stored topology: the records, and those whose record fails its schema (reported too). */
  async topologyEntries(): Promise<{ records: TopologyRecord[]; unreadable: UnreadableTopology[] }> {
    const ids = (await this.redis.smembers(this.keys.topologies)).sort();
    const entries = { records: [] as TopologyRecord[], unreadable: [] as UnreadableTopology[] };
    if (ids.length === 0) return entries;
    const values = await this.redis.mget(...ids.map((id) => this.keys.topology(id)));
    values.forEach((json, i) => {
      if (json === null) return;
      const topology = this.parseTopology(ids[i], json);
      if (isUnreadable(topology)) entries.unreadable.push(topology);
      else entries.records.push(topology);
    });
    return entries;
  }

  /**
   * Applies `change` to the stored record atomically (retrying if another nimbus wrote it
   * meanwhile); `change` returns the new record, or undefined to leave it. Resolves to
   * the record as stored, or undefined when there is no such topology.
   */
  updateTopology(id: string, change: (record: TopologyRecord) => TopologyRecord | undefined): Promise<TopologyRecord | undefined> {
    return this.exclusive(() => this.updateTopologyNow(id, change));
  }

  private async updateTopologyNow(id: string, change: (record: TopologyRecord) => TopologyRecord | undefined): Promise<TopologyRecord | undefined> {
    const key = this.keys.topology(id);
    for (let attempt = 0; attempt < MAX_TRANSACTION_ATTEMPTS; attempt++) {
      await this.redis.watch(key);
      const json = await this.redis.get(key);
      if (json === null) {
        await this.redis.unwatch();
        return undefined;
      }
      let current: TopologyRecord;
      let next: TopologyRecord | undefined;
      try {
        current = parseRecord(validators().topology, key, json);
        next = change(structuredClone(current));
      } catch (error) {
        await this.redis.unwatch();
        throw error;
      }
      if (next === undefined) {
        await this.redis.unwatch();
        return current;
      }
      if ((await this.redis.multi().set(key, JSON.stringify(next)).exec()) !== null) return next;
    }
    throw new ClusterStateError(key, `still contended after ${MAX_TRANSACTION_ATTEMPTS} attempts`);
  }

  /** Deletes everything stored about a topology, and frees its name if it still holds it. */
  async removeTopology(record: Pick<TopologyRecord, 'id' | 'name'>): Promise<void> {
    const nameKey = this.keys.name(record.name);
    const errorLists = (await this.redis.hkeys(this.keys.lastErrors(record.id))).map((component) => this.keys.errors(record.id, component));
    await this.redis.eval(
      "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end return 1",
      1,
      nameKey,
      record.id,
    );
    await this.exclusive(() =>
      this.redis
        .multi()
        .del(
          this.keys.topology(record.id),
          this.keys.secret(record.id),
          this.keys.bundle(record.id),
          this.keys.assignment(record.id),
          this.keys.workerBeats(record.id),
          this.keys.workerFailures(record.id),
          this.keys.lastErrors(record.id),
          this.keys.logConfig(record.id),
          ...errorLists,
        )
        .srem(this.keys.topologies, record.id)
        .exec(),
    );
  }

  async secret(id: string): Promise<Buffer | undefined> {
    const hex = await this.redis.get(this.keys.secret(id));
    return hex === null ? undefined : Buffer.from(hex, 'hex');
  }

  /** The bundle JSON as uploaded (parsed and checked by whoever unpacks it). */
  async bundle(id: string): Promise<string | undefined> {
    return (await this.redis.get(this.keys.bundle(id))) ?? undefined;
  }

  // ---- assignments ----

  async assignment(id: string): Promise<ClusterAssignment | undefined> {
    const key = this.keys.assignment(id);
    const json = await this.redis.get(key);
    return json === null ? undefined : parseRecord(validators().assignment, key, json);
  }

  /** Assignments of every stored topology that has one. */
  async assignments(): Promise<ClusterAssignment[]> {
    const ids = (await this.redis.smembers(this.keys.topologies)).sort();
    return this.readMany(validators().assignment, ids.map((id) => this.keys.assignment(id)));
  }

  async writeAssignment(assignment: ClusterAssignment): Promise<void> {
    await this.redis.set(this.keys.assignment(assignment.topology), JSON.stringify(assignment));
  }

  // ---- log levels ----

  async logConfig(id: string): Promise<LogConfig | undefined> {
    const key = this.keys.logConfig(id);
    const json = await this.redis.get(key);
    return json === null ? undefined : parseRecord(validators().logConfig, key, json);
  }

  async writeLogConfig(id: string, config: LogConfig): Promise<void> {
    await this.redis.set(this.keys.logConfig(id), JSON.stringify(config));
  }

  // ---- heartbeats ----

  async supervisors(): Promise<SupervisorHeartbeat[]> {
    return this.readHash(validators().supervisor, this.keys.supervisors);
  }

  async writeSupervisorHeartbeat(heartbeat: SupervisorHeartbeat, workers: WorkerHeartbeat[]): Promise<void> {
    const batch = this.redis.pipeline().hset(this.keys.supervisors, heartbeat.id, JSON.stringify(heartbeat));
    for (const w of workers) batch.hset(this.keys.workerBeats(w.topology), w.worker, JSON.stringify(w));
    const results = await batch.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
  }

  /** One supervisor's last heartbeat: how its workers find out whether a supervisor is there for them. */
  async supervisor(id: string): Promise<SupervisorHeartbeat | undefined> {
    const key = this.keys.supervisors;
    const json = await this.redis.hget(key, id);
    return json === null ? undefined : parseRecord(validators().supervisor, `${key} ${id}`, json);
  }

  /**
   * A worker's own heartbeat. Written only while its topology has an assignment, in one
   * step, so a worker still stopping after its topology was removed cannot bring the
   * heartbeat hash back for good.
   */
  async writeWorkerHeartbeat(heartbeat: WorkerHeartbeat): Promise<void> {
    await this.redis.eval(
      "if redis.call('exists', KEYS[1]) == 1 then redis.call('hset', KEYS[2], ARGV[1], ARGV[2]) end return 1",
      2,
      this.keys.assignment(heartbeat.topology),
      this.keys.workerBeats(heartbeat.topology),
      heartbeat.worker,
      JSON.stringify(heartbeat),
    );
  }

  async removeSupervisor(id: string): Promise<void> {
    await this.redis.hdel(this.keys.supervisors, id);
  }

  async workerHeartbeats(topology: string): Promise<WorkerHeartbeat[]> {
    return this.readHash(validators().worker, this.keys.workerBeats(topology));
  }

  /** Records why a worker's start failed (the message cut to WORKER_FAILURE_MAX_CHARS), while its topology has an assignment. */
  async writeWorkerFailure(topology: string, failure: WorkerFailure): Promise<void> {
    const record: WorkerFailure = { ...failure, message: failure.message.slice(0, WORKER_FAILURE_MAX_CHARS) };
    await this.redis.eval(
      "if redis.call('exists', KEYS[1]) == 1 then redis.call('hset', KEYS[2], ARGV[1], ARGV[2]) end return 1",
      2,
      this.keys.assignment(topology),
      this.keys.workerFailures(topology),
      failure.worker,
      JSON.stringify(record),
    );
  }

  /** A worker started: its earlier start failures are history. */
  async clearWorkerFailure(topology: string, worker: string): Promise<void> {
    await this.redis.hdel(this.keys.workerFailures(topology), worker);
  }

  async workerFailures(topology: string): Promise<WorkerFailure[]> {
    return this.readHash(validators().workerFailure, this.keys.workerFailures(topology));
  }

  /** Drops heartbeats of workers no longer in the topology's assignment. */
  async pruneWorkerHeartbeats(topology: string, keep: ReadonlySet<string>): Promise<void> {
    const key = this.keys.workerBeats(topology);
    const stale = (await this.redis.hkeys(key)).filter((worker) => !keep.has(worker));
    if (stale.length > 0) await this.redis.hdel(key, ...stale);
  }

  // ---- errors ----

  /**
   * Stores errors of a topology's components, each list trimmed to `keep`. Only while
   * the topology has an assignment, in one step per record, so a worker still stopping
   * after its topology was removed cannot leave error keys behind.
   */
  async appendErrors(topology: string, records: readonly ErrorRecord[], keep: number): Promise<void> {
    if (records.length === 0) return;
    const batch = this.redis.pipeline();
    for (const record of records) {
      batch.eval(
        "if redis.call('exists', KEYS[1]) == 0 then return 0 end " +
          "redis.call('lpush', KEYS[2], ARGV[2]) redis.call('ltrim', KEYS[2], 0, tonumber(ARGV[3]) - 1) redis.call('hset', KEYS[3], ARGV[1], ARGV[2]) return 1",
        3,
        this.keys.assignment(topology),
        this.keys.errors(topology, record.component),
        this.keys.lastErrors(topology),
        record.component,
        JSON.stringify(record),
        keep,
      );
    }
    const results = await batch.exec();
    const failed = results?.find(([error]) => error !== null);
    if (failed !== undefined) throw failed[0];
  }

  /** A component's kept errors, oldest first (as Storm UI's component page lists them). */
  async componentErrors(topology: string, component: string): Promise<ErrorRecord[]> {
    const key = this.keys.errors(topology, component);
    const out: ErrorRecord[] = [];
    for (const json of (await this.redis.lrange(key, 0, -1)).reverse()) this.collect(out, validators().error, key, json);
    return out;
  }

  /** The newest error of each component that has one. */
  async lastErrors(topology: string): Promise<ErrorRecord[]> {
    return this.readHash(validators().error, this.keys.lastErrors(topology));
  }

  // ---- nimbuses ----

  async registerNimbus(registration: NimbusRegistration): Promise<void> {
    await this.redis.hset(this.keys.nimbuses, registration.id, JSON.stringify(registration));
  }

  async unregisterNimbus(id: string): Promise<void> {
    await this.redis.hdel(this.keys.nimbuses, id);
  }

  async nimbuses(): Promise<NimbusRegistration[]> {
    return this.readHash(validators().nimbus, this.keys.nimbuses);
  }

  async leader(): Promise<string | undefined> {
    return (await this.redis.get(this.keys.leader)) ?? undefined;
  }

  /** Tells every daemon that state changed, so it converges now rather than at its next tick. */
  async wake(): Promise<void> {
    await this.redis.publish(this.keys.wakeChannel, 'changed');
  }

  // ---- helpers ----

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.transactions.then(fn, fn);
    this.transactions = run.catch(() => {});
    return run;
  }

  private async readMany<T>(validate: ValidateFunction<T>, keys: string[]): Promise<T[]> {
    if (keys.length === 0) return [];
    const values = await this.redis.mget(...keys);
    const out: T[] = [];
    values.forEach((json, i) => {
      if (json !== null) this.collect(out, validate, keys[i], json);
    });
    return out;
  }

  private async readHash<T>(validate: ValidateFunction<T>, key: string): Promise<T[]> {
    const entries = await this.redis.hgetall(key);
    const out: T[] = [];
    for (const field of Object.keys(entries).sort()) this.collect(out, validate, `${key} ${field}`, entries[field]);
    return out;
  }

  private parseTopology(id: string, json: string): TopologyRecord | UnreadableTopology {
    const key = this.keys.topology(id);
    try {
      return parseRecord(validators().topology, key, json);
    } catch (error) {
      if (!(error instanceof ClusterStateError)) throw error;
      this.onInvalid(error);
      return unreadableTopology(id, json, error.message);
    }
  }

  private collect<T>(out: T[], validate: ValidateFunction<T>, key: string, json: string): void {
    try {
      out.push(parseRecord(validate, key, json));
    } catch (error) {
      if (!(error instanceof ClusterStateError)) throw error;
      this.onInvalid(error);
    }
  }
}
