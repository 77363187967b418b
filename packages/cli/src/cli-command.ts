import { Command, Errors } from '@oclif/core';

/** Exit code of a failure that says nothing more specific. */
const EXIT_FAILURE = 1;
/** Exit code of a command line oclif cannot parse, as oclif's own. */
const EXIT_USAGE = 2;

/**
 * Base of every `topo` command: a failure, whether oclif's (a missing argument, a flag
 * it cannot parse, `this.error()`) or Topo's, ends as the README's one `error: ...` line
 * on stderr (or `{error}` on stdout with --json), never oclif's boxed block or a stack
 * trace. Other errors are bugs and keep their stack.
 *
 * Commands import Topo's packages inside `run()`, not at the top of their module: oclif
 * imports every command to list them for `topo --help`, which should not pay for loading
 * the engine, nimbus and their dependencies.
 */
export abstract class CliCommand extends Command {
  protected override async catch(error: Error): Promise<unknown> {
    if (error instanceof Errors.ExitError) throw error;
    // Imported here, not at the top: `topo --help` imports every command, and should not load the engine.
    const { TopoError } = await import('@topo/topology-dsl');
    if (!(error instanceof Errors.CLIError || error instanceof TopoError)) return super.catch(error);
    const usage = 'parse' in error || error.message.startsWith('Parsing --');
    const message = `${oneLine(error.message)}${usage ? ` (see topo ${this.id} --help)` : ''}`;
    if (this.argv.includes('--json')) this.log(JSON.stringify({ error: message, problems: [] }, null, 2));
    else this.logToStderr(`error: ${message}`);
    const exit = error instanceof Errors.CLIError ? error.oclif.exit : undefined;
    return this.exit(exit ?? (usage ? EXIT_USAGE : EXIT_FAILURE));
  }
}

/** oclif's multi-line messages (flag on one line, reason indented below, "See more help") as one line. */
function oneLine(message: string): string {
  return message
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && line !== 'See more help with --help')
    .join(' ')
    // "Parsing --flag" then the reason; the flag once, even when the reason names it too.
    .replace(/^Parsing (--\S+) (?=\1\b)/, '')
    .replace(/^Parsing (--\S+) /, '$1: ')
    .replace(/\s+/g, ' ');
}
