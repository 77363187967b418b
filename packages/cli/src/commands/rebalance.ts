import { Flags } from '@oclif/core';
import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';
import { waitSecondsFlag } from '../seconds-flag.js';

export default class Rebalance extends CliCommand {
  static override summary = 'Spread a topology anew over the supervisors, or resize it';
  static override description =
    'As in Storm: nimbus deactivates the spouts for --wait seconds (default: the topology\'s message timeout) so trees in flight finish, then deals the topology anew with the even scheduler over the supervisors there are now (so it spreads onto nodes that joined or came back), with the new worker count and executor counts if given (tasks never change, so a component\'s parallelism can go up to its task count), and reactivates it. A worker keeps running only where the new deal puts it with the same executors.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> UrlParser',
    '<%= config.bin %> <%= command.id %> UrlParser --workers 2',
    '<%= config.bin %> <%= command.id %> UrlParser --wait 5 --component urlBolt=2 --component hostCount=1',
  ];
  static override args = { name: topologyNameArg };
  static override flags = {
    ...clusterFlags,
    wait: waitSecondsFlag({ description: 'whole seconds the spouts stay deactivated before the new deal (at most nimbus.wait.max.secs, 1 day by default)' }),
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
    const wait = flags.wait;
    const parallelism: Record<string, number> = {};
    for (const assignment of flags.component ?? []) {
      const match = /^([^=]+)=(\d+)$/.exec(assignment);
      if (match === null) this.error(`--component expects name=parallelism, got "${assignment}"`, { exit: 2 });
      parallelism[match[1]] = Number(match[2]);
    }
    try {
      const result = await (await nimbusClient(flags)).rebalance(args.name, {
        waitSecs: wait,
        workers: flags.workers,
        parallelism: Object.keys(parallelism).length > 0 ? parallelism : undefined,
      });
      this.log(flags.json ? JSON.stringify(result, null, 2) : `Topology ${result.name} (${result.topologyId}) is rebalancing; spouts resume ${wait === undefined ? 'after the message timeout' : `in ${wait}s`}`);
    } catch (error) {
      await failClusterCommand(this, error, flags.json);
    }
  }
}
