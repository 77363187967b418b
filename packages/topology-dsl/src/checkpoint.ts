/**
 * Storm's names for the checkpoint machinery, kept so that habits and configs carry over:
 * the system spout that starts every checkpoint, the stream its barriers travel on and the
 * actions they carry (facts 2.2, 2.3).
 */
export const CHECKPOINT_COMPONENT = '$checkpointspout';
export const CHECKPOINT_STREAM = '$checkpoint';
export const CHECKPOINT_FIELDS = ['txid', 'action'] as const;
export const CHECKPOINT_ACTIONS = ['INITSTATE', 'PREPARE', 'COMMIT', 'ROLLBACK'] as const;
export type CheckpointAction = (typeof CHECKPOINT_ACTIONS)[number];

/** Checkpoint period; the checkpoint spout never goes below 100 ms (Storm's floor). */
export const CHECKPOINT_INTERVAL_KEY = 'topology.state.checkpoint.interval.ms';
/** `memory` (default), `redis`, or a module specifier exporting `createStateProvider`. */
export const STATE_PROVIDER_KEY = 'topology.state.provider';
/** An object the provider reads (for redis: `{ url, keyPrefix? }`). */
export const STATE_PROVIDER_CONFIG_KEY = 'topology.state.provider.config';
/** True (default): aligned barriers; false: Storm's counting, unaligned. */
export const BARRIER_ALIGNMENT_KEY = 'topo.state.barrier.alignment';
/** Storm's floor on the interval. */
export const CHECKPOINT_INTERVAL_FLOOR_MS = 100;
