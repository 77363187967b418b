import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';
import { waitSecondsFlag } from '../seconds-flag.js';

export default class Kill extends CliCommand {
  static override summary = 'Kill a topology';
  static override description =
    'As in Storm: nimbus deactivates the spouts at once, waits --wait seconds (default: the topology\'s message timeout) so the trees in flight can finish, then stops its workers and deletes it. Killing again can only shorten the wait.';
  static override examples = ['<%= config.bin %> <%= command.id %> UrlParser', '<%= config.bin %> <%= command.id %> UrlParser --wait 0'];
  static override args = { name: topologyNameArg };
  static override flags = {
    ...clusterFlags,
    wait: waitSecondsFlag({ description: 'whole seconds between deactivating the spouts and stopping the workers (at most nimbus.wait.max.secs, 1 day by default)' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Kill);
    const wait = flags.wait;
    try {
      const result = await (await nimbusClient(flags)).kill(args.name, wait);
      this.log(flags.json ? JSON.stringify(result, null, 2) : `Killed topology: ${result.name} (${result.topologyId}; workers stop ${wait === 0 ? 'now' : `after ${wait === undefined ? 'the message timeout' : `${wait}s`}`})`);
    } catch (error) {
      await failClusterCommand(this, error, flags.json);
    }
  }
}
