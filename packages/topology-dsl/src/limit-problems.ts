import { DEFAULT_CONFIG, ackerExecutors, mergeConfig, type TopologyConfig } from './config.js';
import type { ComponentDefinition } from './definition.js';
import type { ValidationProblem } from './errors.js';
import { topologyLimits, type LimitKey, type TopologyLimits } from './limits.js';

/**
 * Tasks, executors and workers over their limits. Only well-formed counts are added up
 * (the schema reports the rest); `config` is the topology's own, without defaults.
 */
export function limitProblems(config: TopologyConfig, components: readonly ComponentDefinition[], ceilings: Partial<TopologyLimits> = {}): ValidationProblem[] {
  const merged = mergeConfig(DEFAULT_CONFIG, config);
  const limits = topologyLimits(merged, ceilings);
  const problems: ValidationProblem[] = [];
  const counted = components.filter((c) => isCount(c.parallelism) && isCount(c.tasks));
  for (const c of counted) {
    const limit = isObjectConfig(c.config) ? topologyLimits(mergeConfig(merged, c.config), ceilings)['topology.max.task.parallelism'] : limits['topology.max.task.parallelism'];
    if (c.tasks > limit) {
      problems.push(over(`${c.tasks} tasks (p ${c.parallelism})`, limit, 'topology.max.task.parallelism', c.name));
    }
  }
  const workers = merged['topology.workers'];
  const ackers = ackerExecutors(merged);
  if (isCount(workers) && workers > limits['topo.max.topology.workers']) {
    problems.push(over(`topology.workers is ${workers}`, limits['topo.max.topology.workers'], 'topo.max.topology.workers'));
  }
  if (!isCount(ackers) && ackers !== 0) return problems;
  const tasks = counted.reduce((n, c) => n + c.tasks, ackers);
  const executors = counted.reduce((n, c) => n + c.parallelism, ackers);
  const ackerNote = ackers > 0 ? ` (ackers included: ${ackers})` : '';
  if (tasks > limits['topo.max.topology.tasks']) {
    problems.push(over(`the topology has ${tasks} tasks${ackerNote}`, limits['topo.max.topology.tasks'], 'topo.max.topology.tasks'));
  }
  if (executors > limits['topo.max.topology.executors']) {
    problems.push(over(`the topology has ${executors} executors${ackerNote}`, limits['topo.max.topology.executors'], 'topo.max.topology.executors'));
  }
  return problems;
}

function over(what: string, limit: number, key: LimitKey, component?: string): ValidationProblem {
  const code = key === 'topo.max.topology.workers' ? 'too-many-workers' : key === 'topo.max.topology.executors' ? 'too-many-executors' : 'too-many-tasks';
  const message = `${what}, above the limit of ${limit}${component !== undefined ? ' per component' : ''} (${key})`;
  return component !== undefined ? { code, component, message } : { code, message };
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1;
}

function isObjectConfig(value: unknown): value is TopologyConfig {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
