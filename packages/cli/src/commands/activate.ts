import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';

export default class Activate extends CliCommand {
  static override summary = "Activate a topology's spouts";
  static override description = 'Spouts start (or resume) calling nextTuple. The topology must have been submitted with --inactive or deactivated.';
  static override examples = ['<%= config.bin %> <%= command.id %> UrlParser'];
  static override args = { name: topologyNameArg };
  static override flags = { ...clusterFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Activate);
    try {
      const result = await (await nimbusClient(flags)).activate(args.name);
      this.log(flags.json ? JSON.stringify(result, null, 2) : `Activated topology: ${result.name} (${result.topologyId})`);
    } catch (error) {
      await failClusterCommand(this, error, flags.json);
    }
  }
}
