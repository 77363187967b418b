import { Flags } from '@oclif/core';
import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';
import { secondsFlag } from '../seconds-flag.js';
import { statsTable } from '../stats-table.js';

const WINDOWS = ['600', '10800', '86400', 'all-time'] as const;

export default class Stats extends CliCommand {
  static override summary = "Show a topology's component stats (Storm UI's table)";
  static override description =
    "Asks nimbus (or a `topo run --ui-port`, with --nimbus http://127.0.0.1:PORT) for the topology's stats in one of Storm's windows: per spout and bolt the emitted, transferred, executed, acked and failed counts, capacity, and execute, process and complete latencies in ms. Workers report every heartbeat, so the figures are a few seconds old. --watch repeats every --interval seconds until Ctrl-C; --json prints the API's answer.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> UrlParser',
    '<%= config.bin %> <%= command.id %> UrlParser --window all-time --json',
    '<%= config.bin %> <%= command.id %> UrlParser --watch --interval 2',
  ];
  static override args = { name: topologyNameArg };
  static override flags = {
    ...clusterFlags,
    window: Flags.option({ options: WINDOWS, default: '600' as const })({ description: 'stats window in seconds (10 min, 3 h, 1 day) or all-time' }),
    watch: Flags.boolean({ description: 'print the table again every --interval seconds until Ctrl-C' }),
    interval: secondsFlag({ default: 5, description: 'seconds between tables with --watch' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Stats);
    const window = flags.window === 'all-time' ? ':all-time' : flags.window;
    const client = nimbusClient(flags);
    const show = async () => {
      const body = await client.topologyStats(args.name, window);
      if (flags.json) return this.log(JSON.stringify(body, null, 2));
      const status = body.workerProblem === undefined ? body.status : `${body.status} (${body.workerProblem})`;
      this.log([...(flags.watch && process.stdout.isTTY ? ['\u001b[2J\u001b[H'] : []), ...statsTable(body.name, status, body)].join('\n'));
    };
    try {
      await show();
      if (!flags.watch) return;
      let stop = false;
      let wake = () => {};
      process.once('SIGINT', () => {
        stop = true;
        wake();
      });
      while (!stop) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, flags.interval * 1000);
        });
        if (!stop) await show();
      }
    } catch (error) {
      failClusterCommand(this, error, flags.json);
    }
  }
}
