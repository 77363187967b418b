import { Bolt } from './bolt.js';
import type { KeyValueState } from './key-value-state.js';

/**
 * What a stateful bolt may implement besides `process()` and `initState()`: Storm's
 * hooks, called just before the engine prepares, commits or rolls back the task's state.
 * `class Counter extends StatefulBolt<number> implements StatefulBoltHooks` has their
 * signatures checked.
 */
export interface StatefulBoltHooks {
  prePrepare?(txid: number): void | Promise<void>;
  preCommit?(txid: number): void | Promise<void>;
  preRollback?(): void | Promise<void>;
}

/**
 * A bolt whose key-value state is checkpointed (Storm's BaseStatefulBolt). `initState`
 * gets the task's last committed state after `prepare()` and before the first
 * `process()`; the engine saves it at every checkpoint and rolls it back on a failure,
 * together with the inputs that changed it, which are replayed. Like a BasicBolt, emits
 * are anchored to the input and the input is acked after `process()` (failed on a
 * throw); the acks reach the spouts only once a checkpoint holding the input's effect
 * has committed.
 */
export abstract class StatefulBolt<V = unknown> extends Bolt {
  static override autoAck = true;
  /** Tells the compiler to add checkpoints to the topology and the engine to keep this bolt's state. */
  static stateful = true;

  /** Receives the task's committed state (empty on a first run); keep it and read and write it in `process()`. */
  abstract initState(state: KeyValueState<V>): void | Promise<void>;
}
