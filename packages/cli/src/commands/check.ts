import { Flags } from '@oclif/core';
import { checkpointMode, describeCheckpointMode } from '@topo/topology-dsl';
import type { LoadedTopology } from '../load-compiled.js';
import { EXIT_INVALID, TopologyCommand } from '../topology-command.js';
import { configFromFlags, topologyFileArg, topologyFlags } from '../topology-flags.js';

export default class Check extends TopologyCommand {
  static override summary = 'Compile and validate a topology, listing every problem';
  static override description =
    'Compiles the topology as `topo run` would and validates it: schema, config types and the graph (unknown inputs, undeclared fields, duplicate names, bolts without inputs, ...). Prints every problem, one per line, naming its component, stream and field. For a topology with stateful bolts it also says which guarantee its state gets (exactly-once or at-least-once) and why. Exit code 0 when valid, 1 when there are problems, 2 when the file cannot be loaded.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/url-parser/topology.ts',
    '<%= config.bin %> <%= command.id %> topology.ts --topology WordCount --config topology.workers=4',
    '<%= config.bin %> <%= command.id %> topology.ts --json',
  ];
  static override args = { file: topologyFileArg };
  static override flags = {
    ...topologyFlags,
    name: Flags.string({ helpValue: 'N', description: 'topology name to check, as `topo run --name` and `topo submit --name` would use it' }),
    json: Flags.boolean({ description: 'print {topology, valid, problems, components, tasks, state, definition} as JSON (state: the checkpoint mode of a stateful topology)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Check);
    const loaded = await this.load(args.file, { topology: flags.topology, name: flags.name, config: configFromFlags(flags.config) });
    const valid = loaded.problems.length === 0;
    if (flags.json) {
      this.log(JSON.stringify(jsonReport(loaded), null, 2));
    } else if (valid) {
      this.log(summary(loaded));
      const mode = checkpointMode(loaded.compiled.definition);
      if (mode !== undefined) this.log(describeCheckpointMode(mode));
    } else {
      this.log(await this.problemReport(loaded));
    }
    if (!valid) this.exit(EXIT_INVALID);
  }
}

function summary({ compiled }: LoadedTopology): string {
  const components = compiled.definition.components;
  const spouts = components.filter((c) => c.kind === 'spout').length;
  const tasks = components.reduce((sum, c) => sum + c.tasks, 0);
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `ok: topology ${compiled.definition.name} is valid: ${plural(components.length, 'component')} (${plural(spouts, 'spout')}, ${plural(components.length - spouts, 'bolt')}), ${plural(tasks, 'task')}`;
}

function jsonReport({ compiled, problems }: LoadedTopology) {
  const components = compiled.definition.components;
  return {
    topology: compiled.definition.name,
    valid: problems.length === 0,
    problems,
    components: components.length,
    tasks: components.reduce((sum, c) => sum + (Number.isInteger(c.tasks) ? c.tasks : 0), 0),
    state: problems.length === 0 ? checkpointMode(compiled.definition) : undefined,
    definition: compiled.definition,
  };
}
