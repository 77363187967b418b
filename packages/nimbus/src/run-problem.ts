import { formatProblem, validate, type TopologyLimits } from '@topo/topology-dsl';
import { requestedWorkers, type TopologyRecord } from './state/topology-record.js';

/** Problems quoted in a failure reason; the rest are counted. */
const QUOTED_PROBLEMS = 3;

/**
 * Why the leader cannot run a stored topology, or undefined when it can: the checks a
 * submission passes (the DSL's validation within nimbus's size limits, which counts tasks
 * by arithmetic before anything is laid out), which a record stored another way (by an
 * older nimbus, by hand) may not have passed. A record of a billion tasks is refused
 * here rather than built.
 */
export function runProblem(record: TopologyRecord, ceilings: TopologyLimits): string | undefined {
  const problems = validate({ ...record.definition, config: { ...record.definition.config, ...record.overrides } }, { ceilings });
  if (problems.length > 0) {
    const more = problems.length > QUOTED_PROBLEMS ? `; and ${problems.length - QUOTED_PROBLEMS} more` : '';
    return `its definition is invalid: ${problems.slice(0, QUOTED_PROBLEMS).map(formatProblem).join('; ')}${more}`;
  }
  const workers = requestedWorkers(record);
  if (!Number.isInteger(workers) || workers < 1) return `topology.workers must be a positive integer, got ${JSON.stringify(record.overrides['topology.workers'])}`;
  return undefined;
}
