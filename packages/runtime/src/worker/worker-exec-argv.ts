import type { TopologyConfig } from '@topo/topology-dsl';

/**
 * Node flags for a worker process: `topology.worker.childopts`, as in Storm. Never the
 * parent's own flags: an `-e` script among them would run again in every worker.
 */
export function workerExecArgv(config: TopologyConfig): string[] {
  const opts = config['topology.worker.childopts'];
  return typeof opts === 'string' && opts.trim() !== '' ? opts.trim().split(/\s+/) : [];
}
