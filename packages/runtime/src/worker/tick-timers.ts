import { SYSTEM_COMPONENT, TICK_STREAM, type TopologyConfig, type TopologyDefinition } from '@topo/topology-dsl';
import type { Inbox } from '../executor/inbox.js';
import { StreamFields, TupleImpl } from '../tuple-impl.js';

/** What tick timers need of the worker: its topology and task layout, where its bolt tasks' inboxes are, and its scheduler. */
export interface TickTarget {
  definition: TopologyDefinition;
  componentTasks: ReadonlyMap<string, readonly number[]>;
  componentConfig(component: string): TopologyConfig;
  /** The inbox of a bolt task that runs in this worker, or undefined. */
  inboxOf(task: number): Inbox | undefined;
  wake(): void;
}

/**
 * Storm's tick tuples: for each bolt with a tick frequency (`tickSecs` on its spec, or
 * `topology.tick.tuple.freq.secs`), a timer that puts a `__tick` tuple into the inbox of
 * each of its tasks in this worker every that many seconds. Returns the timers, for the
 * worker to clear when it stops.
 */
export function startTickTimers(target: TickTarget): NodeJS.Timeout[] {
  const tickFields = new StreamFields(SYSTEM_COMPONENT, TICK_STREAM, ['rate_secs']);
  const timers: NodeJS.Timeout[] = [];
  for (const component of target.definition.components) {
    if (component.kind !== 'bolt') continue;
    const secs = component.tickSecs ?? target.componentConfig(component.name)['topology.tick.tuple.freq.secs'];
    if (typeof secs !== 'number' || secs <= 0) continue;
    const inboxes = (target.componentTasks.get(component.name) ?? []).flatMap((task) => {
      const inbox = target.inboxOf(task);
      return inbox === undefined ? [] : [{ task, inbox }];
    });
    if (inboxes.length === 0) continue;
    timers.push(
      setInterval(() => {
        for (const { task, inbox } of inboxes) inbox.push(task, new TupleImpl([secs], tickFields, -1));
        target.wake();
      }, secs * 1000),
    );
  }
  return timers;
}
