import { Flags } from '@oclif/core';
import { TopologyCommand } from '../topology-command.js';
import { topologyFileArg, topologyFlags } from '../topology-flags.js';

const renderers = {
  mermaid: async () => (await import('../render-mermaid.js')).renderMermaid,
  dot: async () => (await import('../render-dot.js')).renderDot,
};

export default class Visualize extends TopologyCommand {
  static override summary = 'Print a topology as a Mermaid flowchart or a Graphviz dot graph';
  static override description =
    'Draws components (name and parallelism; spouts round, bolts square) and one edge per input, labelled with its grouping and, for named streams, the stream (`errors: shuffle`). An invalid topology is still drawn; its problems are printed on stderr.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/url-parser/topology.ts --format mermaid',
    '<%= config.bin %> <%= command.id %> topology.ts --format dot | dot -Tsvg > topology.svg',
  ];
  static override args = { file: topologyFileArg };
  static override flags = {
    topology: topologyFlags.topology,
    format: Flags.option({ options: ['mermaid', 'dot'] as const, default: 'mermaid' as const })({
      char: 'f',
      description: 'diagram language',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Visualize);
    const loaded = await this.load(args.file, { topology: flags.topology });
    // Drawing a broken topology helps to see what is wrong with it, so problems only warn.
    if (loaded.problems.length > 0) this.logToStderr(`warning: ${await this.problemReport(loaded)}`);
    const render = await renderers[flags.format]();
    process.stdout.write(render(loaded.compiled.definition));
  }
}
