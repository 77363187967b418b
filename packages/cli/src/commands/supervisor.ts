import os from 'node:os';
import { Flags } from '@oclif/core';
import type { Supervisor } from '@topo/supervisor';
import { daemonFlags, untilSignalled } from '../daemon-flags.js';
import { configFromFlags } from '../topology-flags.js';
import { CliCommand } from '../cli-command.js';

export default class SupervisorCommand extends CliCommand {
  static override summary = 'Run a supervisor: the node daemon that runs workers in its slots';
  static override description =
    'Registers this node and its slots in Redis, heartbeats, and runs the workers nimbus assigns to it: one process per assigned slot, listening on the slot\'s port at --host (the address other nodes reach this one at). It restarts workers that die or go silent, stops workers no longer assigned here, and writes one log file per worker under --dir. Stopped with Ctrl-C or SIGTERM, it stops its workers; if it dies instead, they keep running, and a supervisor started again with the same --id and --dir adopts them.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --redis redis://10.0.0.1:6379 --host 10.0.0.5',
    '<%= config.bin %> <%= command.id %> --slots 2 --host 127.0.0.2 --base-port 6700',
  ];
  static override flags = {
    ...daemonFlags,
    slots: Flags.integer({ min: 1, description: `worker slots (default: CPU cores, ${os.availableParallelism()} here)` }),
    host: Flags.string({ default: '127.0.0.1', description: 'address this node\'s workers listen on and other nodes reach them at' }),
    // Defaults the daemon applies are written out, not imported: a flag's default is computed when oclif lists the commands.
    'base-port': Flags.integer({ min: 1, max: 65535, description: 'port of the first slot; slot i listens on base-port + i (default: 6700, Storm\'s first supervisor.slots.ports)' }),
    dir: Flags.string({ description: 'where bundles are unpacked and worker logs written (default: under the system temp folder)' }),
    id: Flags.string({ description: 'this supervisor\'s id, stable across restarts (default: hostname-host)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SupervisorCommand);
    const { Supervisor } = await import('@topo/supervisor');
    const { stderrLogger } = await import('@topo/runtime');
    const { TopoError } = await import('@topo/topology-dsl');
    let supervisor: Supervisor;
    try {
      supervisor = new Supervisor({
        redisUrl: flags.redis,
        host: flags.host,
        slots: flags.slots,
        basePort: flags['base-port'],
        dir: flags.dir,
        id: flags.id,
        config: configFromFlags(flags.config),
        logger: stderrLogger(flags['log-level']),
        logLevel: flags['log-level'],
      }).start();
    } catch (error) {
      if (!(error instanceof TopoError)) throw error;
      this.logToStderr(`error: ${error.message}`);
      return this.exit(1);
    }
    const signal = await untilSignalled();
    this.logToStderr(`${signal}: stopping supervisor ${supervisor.id} and its workers`);
    await supervisor.stop();
  }
}
