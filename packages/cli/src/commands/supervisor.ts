import os from 'node:os';
import { Flags } from '@oclif/core';
import type { Supervisor } from '@topo/supervisor';
import { daemonFlags, untilSignalled } from '../daemon-flags.js';
import { configFromFlags } from '../topology-flags.js';
import { CliCommand } from '../cli-command.js';

export default class SupervisorCommand extends CliCommand {
  static override summary = 'Run a supervisor: the node daemon running workers in slots';
  static override description =
    'Registers this node and its slots in Redis, heartbeats, and runs the workers nimbus assigns to it: one process per assigned slot, listening on the slot\'s port at --host (the address other nodes reach this one at). It restarts workers that die or go silent, stops workers no longer assigned here, and each worker writes its log (JSON lines, rolled by size: topo.worker.log.max.bytes, topo.worker.log.max.files) under --dir, in <topology>/<port>/worker.log. It serves those logs over HTTP as Storm\'s logviewer does (/api/v1/log, /api/v1/search, /api/v1/listLogs) on --logviewer-port, to callers with the cluster\'s token; `topo logs` reads them there. Stopped with Ctrl-C or SIGTERM, it stops its workers; if it dies instead, they keep running, and a supervisor started again with the same --id and --dir adopts them.';
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
    token: Flags.string({ env: 'TOPO_TOKEN', description: 'the cluster\'s bearer token: every request to the logviewer must carry it' }),
    'logviewer-host': Flags.string({ default: '127.0.0.1', description: 'address the logviewer listens on (beyond loopback only with a token)' }),
    'logviewer-port': Flags.integer({ default: 8000, min: 0, max: 65535, description: 'port of the logviewer (Storm\'s logviewer.port; 0: any free port)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(SupervisorCommand);
    const { Supervisor } = await import('@topo/supervisor');
    const { terminalLogger } = await import('@topo/runtime');
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
        logger: terminalLogger(flags['log-level']),
        logLevel: flags['log-level'],
        logviewer: { host: flags['logviewer-host'], port: flags['logviewer-port'], token: flags.token },
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
