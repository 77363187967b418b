import { Flags } from '@oclif/core';
import type { Nimbus } from '@topo/nimbus';
import { daemonFlags, untilSignalled } from '../daemon-flags.js';
import { configFromFlags } from '../topology-flags.js';
import { CliCommand } from '../cli-command.js';

export default class NimbusCommand extends CliCommand {
  static override summary = 'Run a nimbus: the cluster master with its REST API';
  static override description =
    'Serves the REST API (Storm UI paths: /api/v1/cluster/summary, /api/v1/topology/summary, /api/v1/topology/:id, /api/v1/supervisor/summary, POSTs for activate, deactivate, rebalance and kill, and /api/v1/uploadTopology for submissions) from the cluster state in Redis. Several nimbuses may run against one Redis: one holds the leader lease and schedules topologies over the supervisors; the others stand by and take over when its lease lapses. Changes need the bearer token when one is set; without one, nimbus only listens on loopback. Runs until Ctrl-C or SIGTERM.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --redis redis://127.0.0.1:6379',
    'TOPO_TOKEN=s3cret <%= config.bin %> <%= command.id %> --host 0.0.0.0 --port 6627',
    '<%= config.bin %> <%= command.id %> --config nimbus.supervisor.timeout.secs=10 --config nimbus.task.timeout.secs=10',
  ];
  static override flags = {
    ...daemonFlags,
    host: Flags.string({ default: '127.0.0.1', description: 'address the REST API listens on (beyond loopback only with a token)' }),
    // Defaults the daemon applies are written out, not imported: a flag's default is computed when oclif lists the commands.
    port: Flags.integer({ min: 0, max: 65535, description: 'port of the REST API (0: any free port; default: 6627, Storm\'s nimbus.thrift.port)' }),
    token: Flags.string({ env: 'TOPO_TOKEN', description: 'bearer token every change must carry' }),
    id: Flags.string({ description: 'this nimbus\'s id (default: hostname and a random suffix)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(NimbusCommand);
    const { Nimbus } = await import('@topo/nimbus');
    const { stderrLogger } = await import('@topo/runtime');
    const { TopoError } = await import('@topo/topology-dsl');
    let nimbus: Nimbus;
    try {
      nimbus = await Nimbus.start({
        redisUrl: flags.redis,
        host: flags.host,
        port: flags.port,
        token: flags.token,
        id: flags.id,
        config: configFromFlags(flags.config),
        logger: stderrLogger(flags['log-level']),
      });
    } catch (error) {
      if (!(error instanceof TopoError)) throw error;
      this.logToStderr(`error: ${error.message}`);
      return this.exit(1);
    }
    const signal = await untilSignalled();
    this.logToStderr(`${signal}: stopping nimbus ${nimbus.id}`);
    await nimbus.stop();
  }
}
