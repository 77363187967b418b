import { Flags } from '@oclif/core';
import { whenLauncherExits } from './launcher-exit.js';
import type { ConfigAssignment } from './topology-flags.js';

/** Flags the daemons (`topo nimbus`, `topo supervisor`) share. */
export const daemonFlags = {
  redis: Flags.string({ env: 'TOPO_REDIS', default: 'redis://127.0.0.1:6379', helpValue: 'URL', description: 'Redis holding the cluster state' }),
  config: Flags.custom<ConfigAssignment>({
    char: 'c',
    multiple: true,
    helpValue: 'key=value',
    description: 'daemon setting, e.g. nimbus.supervisor.timeout.secs=60 (repeatable; see the nimbus README for the keys)',
    async parse(input) {
      const { parseConfigAssignment } = await import('@topo/topology-dsl');
      const [key, value] = parseConfigAssignment(input);
      return { key, value };
    },
  })(),
  'log-level': Flags.option({ options: ['debug', 'info', 'warn', 'error'] as const, default: 'info' as const })({
    description: 'lowest level of log lines written to stderr',
  }),
};

/**
 * Resolves on the first SIGINT or SIGTERM, or when the npm process that launched the
 * daemon exits (see whenLauncherExits): daemons run until told to stop.
 */
export function untilSignalled(): Promise<NodeJS.Signals | 'npm exited'> {
  const launcher = whenLauncherExits();
  return new Promise((resolve) => {
    const stop = (reason: NodeJS.Signals | 'npm exited') => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      launcher.cancel();
      resolve(reason);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    void launcher.exited.then(() => stop('npm exited'));
  });
}
