import { Args, Flags, type Command } from '@oclif/core';
import type { NimbusClient } from '@topo/nimbus/client';
import type { TopoError } from '@topo/topology-dsl';

/** Exit code of a cluster command that nimbus refused, or that could not reach nimbus. */
export const EXIT_CLUSTER_ERROR = 1;

/** Flags of every command that talks to nimbus. */
export const clusterFlags = {
  nimbus: Flags.string({
    helpValue: 'URL[,URL...]',
    env: 'TOPO_NIMBUS',
    description: 'nimbus REST API; several (comma-separated) are tried in turn, so any live nimbus answers (default: http://127.0.0.1:6627)',
  }),
  token: Flags.string({ env: 'TOPO_TOKEN', description: 'bearer token nimbus requires for changes' }),
  json: Flags.boolean({ description: 'machine-readable output (errors too, as {error, status, problems})' }),
};

/** The topology a command acts on: its name (or its id). */
export const topologyNameArg = Args.string({ name: 'name', required: true, description: 'topology name (or id, as `topo list` shows it)' });

export async function nimbusClient(flags: { nimbus?: string; token?: string }): Promise<NimbusClient> {
  const { NimbusClient, DEFAULT_NIMBUS_PORT } = await import('@topo/nimbus/client');
  const urls = flags.nimbus ?? `http://127.0.0.1:${DEFAULT_NIMBUS_PORT}`;
  return new NimbusClient({ urls: urls.split(',').map((u) => u.trim()).filter((u) => u !== ''), token: flags.token });
}

/**
 * Ends a cluster command that failed with one clear message (never a stack trace):
 * nimbus unreachable, the name unknown, the token wrong, the submission invalid (with
 * every problem). Errors that are not Topo's own are bugs and propagate.
 */
export async function failClusterCommand(command: Command, error: unknown, json: boolean): Promise<never> {
  const { TopoError, formatProblem } = await import('@topo/topology-dsl');
  const { NimbusApiError, NimbusUnreachableError } = await import('@topo/nimbus/client');
  if (!(error instanceof TopoError)) throw error;
  const status = error instanceof NimbusApiError ? error.status : undefined;
  const problems = error instanceof NimbusApiError ? error.problems : [];
  if (json) {
    command.log(JSON.stringify({ error: error.message, ...(status !== undefined ? { status } : {}), problems }, null, 2));
  } else {
    const lines = [`error: ${error.message}${hint(error, NimbusUnreachableError, NimbusApiError)}`, ...problems.map((p) => `  - ${formatProblem(p)}`)];
    command.logToStderr(lines.join('\n'));
  }
  return command.exit(EXIT_CLUSTER_ERROR);
}

function hint(error: TopoError, NimbusUnreachableError: typeof import('@topo/nimbus/client').NimbusUnreachableError, NimbusApiError: typeof import('@topo/nimbus/client').NimbusApiError): string {
  if (error instanceof NimbusUnreachableError) return '; is nimbus running? (set the address with --nimbus or TOPO_NIMBUS)';
  if (error instanceof NimbusApiError && error.status === 401) return ' (set it with --token or TOPO_TOKEN)';
  return '';
}
