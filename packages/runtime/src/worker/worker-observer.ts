import type { Tuple } from '@topo/topology-dsl';

/** Hooks for tests and tools that want to see tuples go by; the hot path checks one field. */
export interface WorkerObserver {
  emitted?(component: string, task: number, stream: string, values: readonly unknown[]): void;
  acked?(component: string, task: number, tuple: Tuple): void;
  failed?(component: string, task: number, tuple: Tuple): void;
  error?(component: string, task: number, error: unknown): void;
}
