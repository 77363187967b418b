import { Command, Flags } from '@oclif/core';
import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';

export default class Kill extends Command {
  static override summary = 'Kill a topology';
  static override description =
    'As in Storm: nimbus deactivates the spouts at once, waits --wait seconds (default: the topology\'s message timeout) so the trees in flight can finish, then stops its workers and deletes it. Killing again can only shorten the wait.';
  static override examples = ['<%= config.bin %> <%= command.id %> UrlParser', '<%= config.bin %> <%= command.id %> UrlParser --wait 0'];
  static override args = { name: topologyNameArg };
  static override flags = {
    ...clusterFlags,
    wait: Flags.string({ char: 'w', helpValue: 'S', description: 'seconds between deactivating the spouts and stopping the workers' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Kill);
    const wait = flags.wait === undefined ? undefined : Number(flags.wait);
    if (wait !== undefined && !(wait >= 0)) this.error(`--wait expects a number of seconds >= 0, got "${flags.wait}"`, { exit: 2 });
    try {
      const result = await nimbusClient(flags).kill(args.name, wait);
      this.log(flags.json ? JSON.stringify(result, null, 2) : `Killed topology: ${result.name} (${result.topologyId}; workers stop ${wait === 0 ? 'now' : `after ${wait === undefined ? 'the message timeout' : `${wait}s`}`})`);
    } catch (error) {
      failClusterCommand(this, error, flags.json);
    }
  }
}
