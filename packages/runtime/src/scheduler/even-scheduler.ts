import { ACKER_COMPONENT } from '@topo/topology-dsl';
import type { ExecutorSpec } from '../worker/task-layout.js';
import type { Assignment } from './assignment.js';

/**
 * Storm's even scheduler: executors dealt round-robin over the workers so each gets
 * an equal share. Ackers are dealt first, so with one acker per worker every worker has
 * its own and acker traffic mostly stays local.
 */
export function scheduleEvenly(topology: string, executors: readonly ExecutorSpec[], workerIds: readonly string[]): Assignment {
  const workers = workerIds.map((id) => ({ id, executors: [] as ExecutorSpec[] }));
  const ackers = executors.filter((e) => e.component === ACKER_COMPONENT);
  const others = executors.filter((e) => e.component !== ACKER_COMPONENT);
  let next = 0;
  for (const ex of [...ackers, ...others]) {
    workers[next].executors.push(ex);
    next = (next + 1) % workers.length;
  }
  return { topology, workers };
}
