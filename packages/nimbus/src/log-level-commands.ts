import type { ClusterState } from './state/cluster-state.js';
import { mergeLogConfig, unexpired, type LogConfig } from './state/log-config.js';
import type { TopologyCommands } from './topology-commands.js';

/**
 * Storm's dynamic log level (`set_log_level`, `/api/v1/topology/:id/logconfig`): nimbus
 * records the levels in Redis and wakes the daemons; each worker applies them with its
 * next look at its assignment, and drops each one when its timeout has passed, so an
 * override ends on time even if nobody touches it again.
 */
export class LogLevelCommands {
  /** Changes of one nimbus one at a time; between nimbuses the last write wins (changes are rare and made by people). */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly state: ClusterState,
    private readonly commands: TopologyCommands,
  ) {}

  /** The overrides in force. */
  async get(ref: string, now = Date.now()): Promise<LogConfig> {
    const record = await this.commands.find(ref);
    return { namedLoggerLevels: unexpired(await this.state.logConfig(record.id), now) };
  }

  /** Merges `request` (Storm's body) into the stored overrides; answers the overrides now in force. */
  set(ref: string, request: unknown, now = Date.now()): Promise<LogConfig> {
    const run = this.writes.then(async () => {
      const record = await this.commands.find(ref);
      const next = mergeLogConfig(await this.state.logConfig(record.id), request, now);
      await this.state.writeLogConfig(record.id, next);
      await this.state.wake();
      return next;
    });
    this.writes = run.catch(() => {});
    return run;
  }
}
