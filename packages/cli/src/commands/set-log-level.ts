import { Args, Flags } from '@oclif/core';
import { clusterFlags, failClusterCommand, nimbusClient, topologyNameArg } from '../cluster-client.js';
import { CliCommand } from '../cli-command.js';

export default class SetLogLevel extends CliCommand {
  static override summary = "Set a running topology's log level for a while";
  static override description =
    "Storm's set_log_level: the level applies to every worker of the topology (or to one component's lines with --component) within a few seconds, without restarting anything, and ends by itself after --timeout seconds (none: until removed with --remove). Levels: ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF.";
  static override examples = [
    '<%= config.bin %> <%= command.id %> UrlParser DEBUG --timeout 60',
    '<%= config.bin %> <%= command.id %> UrlParser --component urlBolt TRACE --timeout 30',
    '<%= config.bin %> <%= command.id %> UrlParser --component urlBolt --remove',
  ];
  static override args = {
    name: topologyNameArg,
    level: Args.string({ description: 'the level (ALL, TRACE, DEBUG, INFO, WARN, ERROR, FATAL, OFF)' }),
  };
  static override flags = {
    ...clusterFlags,
    component: Flags.string({ description: "only this component's lines (default: every logger of the workers, Storm's ROOT)" }),
    timeout: Flags.integer({ min: 0, default: 0, helpValue: 'S', description: 'seconds until the level goes back by itself (0: no end)' }),
    remove: Flags.boolean({ description: 'remove the level set earlier: back to the level the workers started with' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(SetLogLevel);
    const [{ STORM_LOG_LEVELS }, { TopoError }] = await Promise.all([import('@topo/nimbus'), import('@topo/topology-dsl')]);
    const level = args.level?.toUpperCase();
    if (flags.remove === (level !== undefined)) throw new TopoError('give a LEVEL, or --remove to remove the level set earlier (not both)');
    if (level !== undefined && !STORM_LOG_LEVELS.includes(level as (typeof STORM_LOG_LEVELS)[number])) {
      throw new TopoError(`unknown level ${args.level} (use one of ${STORM_LOG_LEVELS.join(', ')})`);
    }
    const logger = flags.component ?? 'ROOT';
    try {
      const config = await (await nimbusClient(flags)).setLogLevel(args.name, logger, level ?? null, flags.timeout);
      if (flags.json) return this.log(JSON.stringify(config, null, 2));
      const entry = config.namedLoggerLevels[logger];
      const what = flags.component === undefined ? `the workers of ${args.name}` : `component ${logger} of ${args.name}`;
      if (entry === undefined) this.log(`Log level of ${what} back to as started`);
      else this.log(`Log level of ${what} set to ${entry.target_level}${entry.timeout_epoch > 0 ? ` until ${new Date(entry.timeout_epoch).toISOString()}` : ''}`);
    } catch (error) {
      failClusterCommand(this, error, flags.json);
    }
  }
}
