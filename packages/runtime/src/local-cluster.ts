import { TopoError, build, type CompiledTopology, type Topology, type TopologyClass, type TopologyConfig } from '@topo/topology-dsl';
import type { Logger } from './logging/logger.js';
import { Worker, type WorkerObserver } from './worker/worker.js';

export interface SubmitOptions {
  name?: string;
  config?: TopologyConfig;
  logger?: Logger;
  observer?: WorkerObserver;
  /** Submit with spouts deactivated. */
  inactive?: boolean;
}

/** A topology class or instance, or one already compiled (tests swap classes in it). */
export type TopologySource = TopologyClass | Topology | CompiledTopology;

export function toCompiled(source: TopologySource, options: { name?: string; config?: TopologyConfig } = {}): CompiledTopology {
  if (typeof source === 'object' && 'definition' in source) return source;
  return build(source, options);
}

/**
 * Runs topologies in this process, as Storm's LocalCluster does: for tests, and for
 * `topo run` with one worker.
 */
export class LocalCluster {
  private readonly running = new Map<string, Worker>();

  async submit(source: TopologySource, options: SubmitOptions = {}): Promise<Worker> {
    // The overrides go into the definition too, so their types are validated with the rest.
    const compiled = toCompiled(source, { name: options.name, config: options.config });
    const name = options.name ?? compiled.definition.name;
    if (this.running.has(name)) throw new TopoError(`a topology named ${name} is already running`, { topology: name });
    const worker = new Worker(compiled, { config: options.config, logger: options.logger, observer: options.observer, inactive: options.inactive });
    this.running.set(name, worker);
    try {
      await worker.start();
    } catch (error) {
      this.running.delete(name);
      await worker.stop();
      throw error;
    }
    return worker;
  }

  get(name: string): Worker | undefined {
    return this.running.get(name);
  }

  /**
   * Deactivates the spouts, waits up to `waitSecs` for pending trees to finish (as
   * Storm's kill does), then stops the topology.
   */
  async kill(name: string, options: { waitSecs?: number } = {}): Promise<void> {
    const worker = this.running.get(name);
    if (worker === undefined) throw new TopoError(`no topology named ${name} is running`, { topology: name });
    worker.deactivate();
    if ((options.waitSecs ?? 0) > 0) await worker.drain(options.waitSecs! * 1000);
    this.running.delete(name);
    await worker.stop();
  }

  async shutdown(): Promise<void> {
    for (const name of [...this.running.keys()]) await this.kill(name);
  }
}
