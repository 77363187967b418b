import { CHECKPOINT_COMPONENT, CHECKPOINT_INTERVAL_KEY, CHECKPOINT_STREAM } from './checkpoint.js';
import { DEFAULT_CONFIG, mergeConfig, type TopologyConfig } from './config.js';
import type { ComponentDefinition } from './definition.js';
import type { ValidationProblem } from './errors.js';

const TIMEOUT_KEY = 'topology.message.timeout.secs';

/**
 * Checks of a topology with stateful components: the checkpoint wiring the compiler adds
 * (a hand-written definition may lack it), and the interval against the message timeout,
 * which also times the checkpoint tuples and the inputs whose acks wait for a commit.
 */
export function stateProblems(components: ComponentDefinition[], topologyConfig: TopologyConfig): ValidationProblem[] {
  const stateful = components.filter((c) => c.stateful === true);
  if (stateful.length === 0) return [];
  const problems: ValidationProblem[] = [];
  const checkpointSpout = components.find((c) => c.name === CHECKPOINT_COMPONENT);
  if (checkpointSpout === undefined || checkpointSpout.kind !== 'spout' || checkpointSpout.tasks !== 1) {
    problems.push({
      code: 'checkpoint-spout-missing',
      component: stateful[0].name,
      message: `the topology has stateful components (${stateful.map((c) => c.name).join(', ')}) but no ${CHECKPOINT_COMPONENT} spout of one task; compile it with compile() or build(), which add the checkpoint wiring`,
    });
  }
  for (const c of components) {
    if (c.name === CHECKPOINT_COMPONENT) continue;
    const sources = c.kind === 'spout' ? [CHECKPOINT_COMPONENT] : [...new Set(c.inputs.filter((i) => i.stream !== CHECKPOINT_STREAM).map((i) => i.component))];
    for (const source of sources) {
      const wired = c.inputs.some((i) => i.component === source && i.stream === CHECKPOINT_STREAM && i.grouping?.type === 'all');
      if (!wired) {
        problems.push({
          code: 'checkpoint-input-missing',
          component: c.name,
          stream: CHECKPOINT_STREAM,
          message: `in a stateful topology ${c.name} must subscribe to stream ${CHECKPOINT_STREAM} of ${source} with all grouping, to receive its checkpoint barriers`,
        });
      }
    }
  }
  for (const c of stateful) {
    if (c.kind !== 'bolt') problems.push({ code: 'stateful-spout', component: c.name, message: 'only bolts can be stateful; a spout takes part in checkpoints with position() and rewind()' });
    if (c.windowed === true) problems.push({ code: 'stateful-windowed', component: c.name, message: 'a bolt cannot be both windowed and stateful' });
  }
  const ackers = mergeConfig(DEFAULT_CONFIG, topologyConfig)['topology.acker.executors'];
  if (ackers === 0) {
    problems.push({
      code: 'checkpoints-without-ackers',
      configKey: 'topology.acker.executors',
      message: 'topology.acker.executors is 0, but checkpoints of stateful components are tuple trees the ackers track; leave it unset or above 0',
    });
  }
  problems.push(...intervalProblems(components, topologyConfig));
  return problems;
}

/** The interval must be below the message timeout of every component (Storm's docs; Topo enforces it). */
function intervalProblems(components: ComponentDefinition[], topologyConfig: TopologyConfig): ValidationProblem[] {
  const problems: ValidationProblem[] = [];
  const interval = mergeConfig(DEFAULT_CONFIG, topologyConfig)[CHECKPOINT_INTERVAL_KEY];
  if (typeof interval !== 'number') return problems;
  const timeouts = new Set<number>();
  for (const c of components) {
    const timeout = mergeConfig(DEFAULT_CONFIG, topologyConfig, c.config)[TIMEOUT_KEY];
    if (typeof timeout !== 'number' || timeouts.has(timeout) || interval < timeout * 1000) continue;
    timeouts.add(timeout);
    problems.push({
      code: 'checkpoint-interval-not-below-timeout',
      component: c.name,
      configKey: CHECKPOINT_INTERVAL_KEY,
      message: `${CHECKPOINT_INTERVAL_KEY} value ${interval} ms is not below ${TIMEOUT_KEY} value ${timeout * 1000} ms (${timeout} s): inputs are acked only when the checkpoint after them commits, so they would time out and be replayed; lower ${CHECKPOINT_INTERVAL_KEY} or raise ${TIMEOUT_KEY} to at least ${Math.floor(interval / 1000) + 1}`,
    });
  }
  return problems;
}
