import { CliCommand } from './cli-command.js';
import type { LoadOptions, LoadedTopology } from './load-compiled.js';

/** Exit code for a topology file that cannot be loaded at all (as for a usage error). */
export const EXIT_UNLOADABLE = 2;
/** Exit code for a topology that loads but does not validate. */
export const EXIT_INVALID = 1;
/** Exit code for a flag whose value cannot be used, as oclif exits for one it cannot parse. */
export const EXIT_USAGE = 2;

/** Base of the commands that take a topology file: loading, and how load failures end. */
export abstract class TopologyCommand extends CliCommand {
  /**
   * Loads the topology; a file that cannot be loaded ends the command with one line on
   * stderr (a stack trace would only show Topo's internals) and exit code 2.
   */
  protected async load(file: string, options: LoadOptions): Promise<LoadedTopology> {
    const { TopoError } = await import('@topo/topology-dsl');
    try {
      const { loadCompiled } = await import('./load-compiled.js');
      return await loadCompiled(file, options);
    } catch (error) {
      if (!(error instanceof TopoError)) throw error;
      this.logToStderr(`error: ${error.message}`);
      return this.exit(EXIT_UNLOADABLE);
    }
  }

  /** Ends the command with one `error: ...` line for a flag value it cannot use. */
  protected usageError(message: string): never {
    this.logToStderr(`error: ${message}`);
    return this.exit(EXIT_USAGE);
  }

  /** Every problem, one line each, as `build()` would report them. */
  protected async problemReport(loaded: LoadedTopology): Promise<string> {
    const { TopologyValidationError } = await import('@topo/topology-dsl');
    return new TopologyValidationError(loaded.compiled.definition.name, loaded.problems).message;
  }
}
