import { Command, Flags } from '@oclif/core';
import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';

export default class Rebalance extends Command {
  static override summary = 'Move a topology to N workers, or change its parallelism';
  static override description =
    'As in Storm: nimbus deactivates the spouts for --wait seconds (default: the topology\'s message timeout) so trees in flight finish, then schedules the topology again with the new worker count and executor counts (tasks never change, so a component\'s parallelism can go up to its task count), and reactivates it. Workers whose executors stay the same keep running.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> UrlParser --workers 2',
    '<%= config.bin %> <%= command.id %> UrlParser --wait 5 --component urlBolt=2 --component hostCount=1',
  ];
  static override args = { name: topologyNameArg };
  static override flags = {
    ...clusterFlags,
    wait: Flags.string({ char: 'w', helpValue: 'S', description: 'seconds the spouts stay deactivated before the new schedule' }),
    workers: Flags.integer({ char: 'n', min: 1, helpValue: 'N', description: 'new number of workers' }),
    component: Flags.string({
      char: 'e',
      multiple: true,
      multipleNonGreedy: true,
      helpValue: 'name=p',
      description: 'new number of executors of a component (repeatable)',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Rebalance);
    const wait = flags.wait === undefined ? undefined : Number(flags.wait);
    if (wait !== undefined && !(wait >= 0)) this.error(`--wait expects a number of seconds >= 0, got "${flags.wait}"`, { exit: 2 });
    const parallelism: Record<string, number> = {};
    for (const assignment of flags.component ?? []) {
      const match = /^([^=]+)=(\d+)$/.exec(assignment);
      if (match === null) this.error(`--component expects name=parallelism, got "${assignment}"`, { exit: 2 });
      parallelism[match[1]] = Number(match[2]);
    }
    if (flags.workers === undefined && Object.keys(parallelism).length === 0) this.error('nothing to change: give --workers and/or --component', { exit: 2 });
    try {
      const result = await nimbusClient(flags).rebalance(args.name, {
        waitSecs: wait,
        workers: flags.workers,
        parallelism: Object.keys(parallelism).length > 0 ? parallelism : undefined,
      });
      this.log(flags.json ? JSON.stringify(result, null, 2) : `Topology ${result.name} (${result.topologyId}) is rebalancing; spouts resume ${wait === undefined ? 'after the message timeout' : `in ${wait}s`}`);
    } catch (error) {
      failClusterCommand(this, error, flags.json);
    }
  }
}
