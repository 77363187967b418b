import type { TopologyContext } from '@topo/topology-dsl';
import type { ComponentChannel, Handshake } from './component-channel.js';

/** The TopologyContext of a component running as a subprocess, from what the handshake tells it. */
export function subprocessContext(setup: Handshake, channel: ComponentChannel): TopologyContext {
  const storm = setup.context;
  const byComponent = new Map<string, number[]>();
  for (const [task, component] of Object.entries(storm['task->component'] ?? {})) {
    let tasks = byComponent.get(component);
    if (tasks === undefined) byComponent.set(component, (tasks = []));
    tasks.push(Number(task));
  }
  for (const tasks of byComponent.values()) tasks.sort((a, b) => a - b);
  const componentTasks = byComponent.get(storm.componentid) ?? [storm.taskid];
  const name = setup.conf['topology.name'];
  return {
    topologyName: typeof name === 'string' ? name : '',
    componentId: storm.componentid,
    taskId: storm.taskid,
    taskIndex: componentTasks.indexOf(storm.taskid),
    componentTasks,
    tasksOf: (component) => byComponent.get(component) ?? [],
    config: setup.conf,
    log: (level, message) => channel.log(level, message),
    incrMetric: (name, amount = 1) => channel.sendMessage({ command: 'metrics', name, params: amount }),
  };
}
