import { loadTopology } from '@topo/runtime';
import { TopoError, compileTopology, validateCompiled, type CompiledTopology, type TopologyConfig, type ValidationProblem } from '@topo/topology-dsl';

export interface LoadOptions {
  /** Export to use instead of the default one. */
  topology?: string;
  /** Topology name instead of the class's. */
  name?: string;
  /** Config over the topology's static config. */
  config?: TopologyConfig;
}

export interface LoadedTopology {
  compiled: CompiledTopology;
  /** Every validation problem; empty when the topology can run. */
  problems: ValidationProblem[];
}

/**
 * Loads, compiles and validates a topology module, including each component class's own
 * checks (a connector's options, a shell component's command). Problems are returned rather than
 * thrown so a command can show all of them; a module that cannot be loaded or compiled
 * throws a TopoError naming the file.
 */
export async function loadCompiled(file: string, options: LoadOptions = {}): Promise<LoadedTopology> {
  const topologyClass = await loadTopology(file, options.topology);
  let compiled: CompiledTopology;
  try {
    compiled = compileTopology(topologyClass, { name: options.name, config: options.config });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TopoError(`could not compile ${topologyClass.name} from ${file}: ${reason}`, { file, cause: error });
  }
  return { compiled, problems: validateCompiled(compiled, options.config) };
}
