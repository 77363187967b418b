import { formatProblem, validate, type ValidationProblem } from '@topo/topology-dsl';
import { requestedWorkers, type TopologyRecord } from './state/topology-record.js';
import { topologySize, type TopologySize } from './topology-layout.js';

/** Problems quoted in a failure reason; the rest are counted. */
const QUOTED_PROBLEMS = 3;

/**
 * Why the leader cannot run a stored topology, or undefined when it can. Checked before
 * the tasks are laid out, by arithmetic, so a record too large for memory (stored before
 * the limits, or by hand) is refused rather than built; then the checks a submission
 * passes, which a record written another way may not have.
 */
export function runProblem(record: TopologyRecord, maxTasks: number): string | undefined {
  const tooLarge = tasksLimitProblem(topologySize(record.definition, record.overrides, record.parallelism), maxTasks);
  if (tooLarge !== undefined) return tooLarge.message;
  const workers = requestedWorkers(record);
  if (!Number.isInteger(workers) || workers < 1) return `topology.workers must be a positive integer, got ${JSON.stringify(record.overrides['topology.workers'])}`;
  const problems = validate({ ...record.definition, config: { ...record.definition.config, ...record.overrides } });
  if (problems.length === 0) return undefined;
  const more = problems.length > QUOTED_PROBLEMS ? `; and ${problems.length - QUOTED_PROBLEMS} more` : '';
  return `its definition is invalid: ${problems.slice(0, QUOTED_PROBLEMS).map(formatProblem).join('; ')}${more}`;
}

/** The cluster's cap on one topology's tasks (`nimbus.topology.max.tasks`), which a submission's own config cannot raise. */
export function tasksLimitProblem(size: TopologySize, maxTasks: number): ValidationProblem | undefined {
  if (size.tasks <= maxTasks) return undefined;
  return {
    code: 'too-many-tasks',
    configKey: 'nimbus.topology.max.tasks',
    message: `the topology has ${size.tasks} tasks (ackers included); this cluster runs at most ${maxTasks} per topology (nimbus.topology.max.tasks)`,
  };
}
