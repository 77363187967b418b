import type { ChainableCommander, Redis } from 'ioredis';
import type { TransactionalState } from '@topo/runtime';
import { TopoError } from '@topo/topology-dsl';

/**
 * How a deletion is written to the prepare hash. Values are JSON texts and no JSON text is
 * empty, so a tombstone can never be mistaken for a stored value (Storm's reason for its
 * `Optional` wrapper, at no cost).
 */
const TOMBSTONE = '';
/** Fields read per HSCAN call when a namespace is loaded. */
const SCAN_COUNT = 1000;
/** The committed value of a key that did not exist. */
const ABSENT = Symbol('absent');
/** An unprepared deletion. */
const DELETED = Symbol('deleted');

/** An object or array value, encoded when it was put (to refuse it there if JSON cannot hold it). */
class Encoded {
  constructor(readonly json: string) {}
}

/**
 * A change not yet prepared: a primitive as it was put (encoded once, at the prepare,
 * however often the key was written since), an Encoded object, or a deletion.
 */
type Change = string | number | boolean | null | Encoded | typeof DELETED;

/** The three hashes of one namespace (Storm's layout) under Topo's key prefix. */
interface NamespaceKeys {
  /** The committed entries: field = key, value = JSON. */
  readonly committed: string;
  /** The prepared, not yet committed changes; deletions as tombstones. */
  readonly prepared: string;
  /** Fields `prepare` and `commit`: the txids as decimal strings. */
  readonly txids: string;
}

/**
 * A task's key-value state in Redis, laid out as Storm's RedisKeyValueState: for namespace
 * `ns` under `prefix`, the hash `<prefix>ns` holds the committed entries, `<prefix>ns$prepare`
 * the changes of a prepared transaction and `<prefix>ns$txid` the prepared and committed txids.
 *
 * The whole committed namespace is loaded into memory when the state is made, with the
 * prepared changes on top (so a task restarted between prepare and commit still commits
 * them), and every read is served from memory. Writes are kept in memory until
 * `prepareCommit`, which writes them and the txid in one MULTI/EXEC, as `commit` promotes
 * them in another: one round trip each, atomic, where Storm relied on idempotent redo
 * across several commands.
 */
export class RedisKeyValueState<V = unknown> implements TransactionalState<V> {
  /** What the task sees: committed, prepared and unprepared changes applied. */
  private readonly live: Map<string, V>;
  /** Changes since the last prepare. */
  private unprepared = new Map<string, Change>();
  /** The changes of the pending prepare, encoded, as written to the prepare hash. */
  private prepared: Map<string, string>;
  /** Committed values of the keys changed since the last commit, to roll back to. */
  private baseline = new Map<string, V | typeof ABSENT>();
  private preparedTxid: number | undefined;
  private committed: number | undefined;

  private constructor(
    private readonly redis: Redis,
    private readonly keys: NamespaceKeys,
    readonly namespace: string,
    loaded: { committed: Map<string, V>; prepared: Map<string, string>; preparedTxid: number | undefined; committedTxid: number | undefined },
  ) {
    this.live = loaded.committed;
    this.prepared = loaded.prepared;
    this.preparedTxid = loaded.preparedTxid;
    this.committed = loaded.committedTxid;
    for (const [key, encoded] of this.prepared) this.apply(key, encoded === TOMBSTONE ? ABSENT : decode<V>(encoded, namespace, key));
  }

  /** Loads namespace `namespace` (under `prefix`): its txids and prepared changes in one round trip, its committed entries by HSCAN. */
  static async load<V = unknown>(redis: Redis, prefix: string, namespace: string): Promise<RedisKeyValueState<V>> {
    const base = `${prefix}${namespace}`;
    const keys: NamespaceKeys = { committed: base, prepared: `${base}$prepare`, txids: `${base}$txid` };
    const [txids, prepared] = await Promise.all([redis.hgetall(keys.txids), redis.hgetall(keys.prepared)]);
    const committed = new Map<string, V>();
    let cursor = '0';
    do {
      const [next, fields] = await redis.hscan(keys.committed, cursor, 'COUNT', SCAN_COUNT);
      for (let i = 0; i < fields.length; i += 2) committed.set(fields[i], decode<V>(fields[i + 1], namespace, fields[i]));
      cursor = next;
    } while (cursor !== '0');
    return new RedisKeyValueState<V>(redis, keys, namespace, {
      committed,
      prepared: new Map(Object.entries(prepared)),
      preparedTxid: txidOf(txids.prepare, keys.txids),
      committedTxid: txidOf(txids.commit, keys.txids),
    });
  }

  get committedTxid(): number | undefined {
    return this.committed;
  }

  get size(): number {
    return this.live.size;
  }

  get(key: string): V | undefined {
    return this.live.get(key);
  }

  /** A value JSON cannot hold is refused here, where it is put, naming the key. */
  put(key: string, value: V): void {
    this.unprepared.set(key, changeOf(value, this.namespace, key));
    this.apply(key, value);
  }

  delete(key: string): V | undefined {
    const value = this.live.get(key);
    if (value === undefined) return undefined;
    this.unprepared.set(key, DELETED);
    this.apply(key, ABSENT);
    return value;
  }

  entries(): IterableIterator<[string, V]> {
    return this.live.entries();
  }

  /**
   * Writes the prepared changes (this prepare's merged with a pending earlier one's) over
   * the prepare hash and the txid, in one MULTI/EXEC. The hash is replaced rather than
   * added to, so that whatever a failed rollback may have left there is never committed.
   */
  async prepareCommit(txid: number): Promise<void> {
    if (this.committed !== undefined && txid <= this.committed) {
      throw new TopoError(`state ${this.namespace}: cannot prepare txid ${txid}, txid ${this.committed} is already committed`, { namespace: this.namespace, txid });
    }
    const prepared = withChanges(this.prepared, this.unprepared);
    const changes = this.unprepared;
    // Writes made while Redis answers belong to the next transaction.
    this.unprepared = new Map();
    const multi = this.redis.multi();
    multi.del(this.keys.prepared);
    if (prepared.size > 0) multi.hset(this.keys.prepared, prepared);
    multi.hset(this.keys.txids, 'prepare', String(txid));
    try {
      await execAll(multi, this.namespace);
    } catch (error) {
      // Still unprepared, under whatever was written since.
      for (const [key, change] of this.unprepared) changes.set(key, change);
      this.unprepared = changes;
      throw error;
    }
    this.prepared = prepared;
    this.preparedTxid = txid;
  }

  /** Applies the prepared changes to the committed hash, moves the commit txid and drops the prepare hash, in one MULTI/EXEC. */
  async commit(txid: number): Promise<void> {
    if (txid === this.committed) return;
    if (this.committed !== undefined && txid < this.committed) {
      throw new TopoError(`state ${this.namespace}: cannot commit txid ${txid}, txid ${this.committed} is already committed`, { namespace: this.namespace, txid });
    }
    if (this.preparedTxid !== undefined && txid !== this.preparedTxid) {
      throw new TopoError(`state ${this.namespace}: cannot commit txid ${txid}, the prepared txid is ${this.preparedTxid}`, { namespace: this.namespace, txid });
    }
    const multi = this.redis.multi();
    this.writeChanges(multi, this.prepared);
    multi.hset(this.keys.txids, 'commit', String(txid));
    multi.del(this.keys.prepared);
    await execAll(multi, this.namespace);
    this.rebase(this.prepared);
    this.prepared = new Map();
    this.committed = txid;
  }

  /** Writes prepared and unprepared changes straight into the committed hash, txids untouched, in one MULTI/EXEC. */
  async commitNow(): Promise<void> {
    const changes = withChanges(this.prepared, this.unprepared);
    this.prepared = new Map();
    this.unprepared = new Map();
    this.baseline = new Map();
    const multi = this.redis.multi();
    this.writeChanges(multi, changes);
    multi.del(this.keys.prepared);
    await execAll(multi, this.namespace);
  }

  /**
   * Restores the committed contents in memory, then drops the prepare hash and moves the
   * prepare txid back to the committed one in Redis (one MULTI/EXEC). If Redis fails, the
   * error says so (the checkpoint's rollback is then retried); a prepare hash left behind
   * is replaced by the next prepare.
   */
  async rollback(): Promise<void> {
    for (const [key, value] of this.baseline) {
      if (value === ABSENT) this.live.delete(key);
      else this.live.set(key, value);
    }
    this.baseline = new Map();
    this.prepared = new Map();
    this.unprepared = new Map();
    this.preparedTxid = this.committed;
    const multi = this.redis.multi();
    multi.del(this.keys.prepared);
    if (this.committed === undefined) multi.hdel(this.keys.txids, 'prepare');
    else multi.hset(this.keys.txids, 'prepare', String(this.committed));
    await execAll(multi, this.namespace);
  }

  /** Sets a key's live value, first remembering its committed value if this is its first change since the commit. */
  private apply(key: string, value: V | typeof ABSENT): void {
    if (!this.baseline.has(key)) this.baseline.set(key, this.live.has(key) ? this.live.get(key)! : ABSENT);
    if (value === ABSENT) this.live.delete(key);
    else this.live.set(key, value);
  }

  /**
   * After `committedChanges` became the committed state: the committed value of a key
   * changed since the prepare is now its prepared value, and keys changed only before the
   * prepare need no baseline any more.
   */
  private rebase(committedChanges: Map<string, string>): void {
    const baseline = new Map<string, V | typeof ABSENT>();
    for (const key of this.unprepared.keys()) {
      const encoded = committedChanges.get(key);
      if (encoded === undefined) baseline.set(key, this.baseline.get(key)!);
      else baseline.set(key, encoded === TOMBSTONE ? ABSENT : decode<V>(encoded, this.namespace, key));
    }
    this.baseline = baseline;
  }

  private writeChanges(multi: ChainableCommander, changes: Map<string, string>): void {
    const puts = new Map<string, string>();
    const deletions: string[] = [];
    for (const [key, encoded] of changes) {
      if (encoded === TOMBSTONE) deletions.push(key);
      else puts.set(key, encoded);
    }
    if (puts.size > 0) multi.hset(this.keys.committed, puts);
    if (deletions.length > 0) multi.hdel(this.keys.committed, ...deletions);
  }
}

/** `prepared` with the encoded `changes` over it, as a new map. */
function withChanges(prepared: ReadonlyMap<string, string>, changes: ReadonlyMap<string, Change>): Map<string, string> {
  const merged = new Map(prepared);
  for (const [key, change] of changes) {
    merged.set(key, change === DELETED ? TOMBSTONE : change instanceof Encoded ? change.json : JSON.stringify(change));
  }
  return merged;
}

/**
 * What `put` keeps of a value: a primitive as it is (a check of its type is enough: no
 * string is made per put of a counter), an object encoded now, since only encoding finds a
 * BigInt or a cycle inside it. Refused with a TopoError naming the namespace and key:
 * what JSON cannot hold, and numbers it would turn into null.
 */
function changeOf(value: unknown, namespace: string, key: string): Change {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (Number.isFinite(value)) return value;
      throw unencodable(namespace, key, `${value}, which JSON would turn into null`);
    case 'object':
      return value === null ? null : new Encoded(encode(value, namespace, key));
    default:
      // A bigint, a function, a symbol or undefined.
      throw unencodable(namespace, key, `a ${typeof value}${value === undefined ? '; use delete() to remove a key' : ''}`);
  }
}

/** JSON of an object, or a TopoError naming the namespace and key when JSON cannot hold it (a BigInt, a cycle, a function). */
function encode(value: object, namespace: string, key: string): string {
  let encoded: string | undefined;
  try {
    encoded = JSON.stringify(value);
  } catch (error) {
    throw unencodable(namespace, key, error instanceof Error ? error.message : String(error), error);
  }
  // A function has no JSON: stringify gives undefined.
  if (encoded === undefined) throw unencodable(namespace, key, `a ${typeof value}`);
  return encoded;
}

function unencodable(namespace: string, key: string, why: string, cause?: unknown): TopoError {
  return new TopoError(`state ${namespace}: the value put under key ${JSON.stringify(key)} cannot be stored as JSON (${why})`, { namespace, key, cause });
}

function decode<V>(encoded: string, namespace: string, key: string): V {
  try {
    return JSON.parse(encoded) as V;
  } catch (error) {
    throw new TopoError(`state ${namespace}: the stored value of key ${JSON.stringify(key)} is not JSON (${error instanceof Error ? error.message : String(error)})`, { namespace, key, cause: error });
  }
}

function txidOf(text: string | undefined, hash: string): number | undefined {
  if (text === undefined) return undefined;
  const txid = Number(text);
  if (!Number.isSafeInteger(txid)) throw new TopoError(`state hash ${hash} holds txid ${JSON.stringify(text)}, which is not an integer`, { key: hash });
  return txid;
}

/** Runs a MULTI/EXEC and throws the first command error it returned. */
async function execAll(multi: ChainableCommander, namespace: string): Promise<void> {
  const replies = await multi.exec();
  if (replies === null) throw new TopoError(`state ${namespace}: the transaction was aborted`, { namespace });
  for (const [error] of replies) if (error !== null) throw error;
}
