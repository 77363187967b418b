import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';

export default class Deactivate extends CliCommand {
  static override summary = "Deactivate a topology's spouts";
  static override description = 'Spouts stop calling nextTuple; trees in flight still complete. Workers keep running, so `topo activate` resumes at once.';
  static override examples = ['<%= config.bin %> <%= command.id %> UrlParser'];
  static override args = { name: topologyNameArg };
  static override flags = { ...clusterFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Deactivate);
    try {
      const result = await (await nimbusClient(flags)).deactivate(args.name);
      this.log(flags.json ? JSON.stringify(result, null, 2) : `Deactivated topology: ${result.name} (${result.topologyId})`);
    } catch (error) {
      await failClusterCommand(this, error, flags.json);
    }
  }
}
