import { ACKER_COMPONENT, type TopologyDefinition } from '@topo/topology-dsl';

/** A group of tasks of one component that one executor runs. */
export interface ExecutorSpec {
  component: string;
  tasks: number[];
}

/** Which task ids every component has, and how they group into executors. Plain data. */
export interface TaskLayout {
  /** Task id -> component, system components included (Storm's `task->component`). */
  taskComponent: Record<number, string>;
  componentTasks: Map<string, number[]>;
  ackerTasks: number[];
  executors: ExecutorSpec[];
}

/**
 * Numbers tasks from 1 in sorted component-id order, `__acker` included, as Storm does,
 * so multi-lang components see the same ids under Topo as under Storm.
 */
export function computeTaskLayout(definition: TopologyDefinition, ackers: number): TaskLayout {
  const entries: { name: string; tasks: number; parallelism: number }[] = definition.components.map((c) => ({
    name: c.name,
    tasks: c.tasks,
    parallelism: c.parallelism,
  }));
  if (ackers > 0) entries.push({ name: ACKER_COMPONENT, tasks: ackers, parallelism: ackers });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const layout: TaskLayout = { taskComponent: {}, componentTasks: new Map(), ackerTasks: [], executors: [] };
  let next = 1;
  for (const entry of entries) {
    const tasks: number[] = [];
    for (let i = 0; i < entry.tasks; i++) {
      layout.taskComponent[next] = entry.name;
      tasks.push(next++);
    }
    layout.componentTasks.set(entry.name, tasks);
    if (entry.name === ACKER_COMPONENT) layout.ackerTasks = tasks;
    layout.executors.push(...splitTasks(entry.name, tasks, entry.parallelism));
  }
  return layout;
}

/** Splits tasks into `executors` contiguous groups whose sizes differ by at most one. */
function splitTasks(component: string, tasks: number[], executors: number): ExecutorSpec[] {
  const n = Math.min(executors, tasks.length);
  const out: ExecutorSpec[] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const size = Math.floor(tasks.length / n) + (i < tasks.length % n ? 1 : 0);
    out.push({ component, tasks: tasks.slice(start, start + size) });
    start += size;
  }
  return out;
}
