import type { Hook } from '@oclif/core';

/** Exit code of a command line that does not parse, as oclif's own. */
const EXIT_USAGE = 2;

/** `topo nosuch`: the README's one `error: ...` line, as every command's failures, not oclif's block. */
const commandNotFound: Hook.CommandNotFound = async function ({ id }) {
  // oclif joins the words it tried as a command with its topic separator.
  const name = id.split(':')[0];
  process.stderr.write(`error: no command named ${JSON.stringify(name)} (see topo --help for the commands)\n`);
  this.exit(EXIT_USAGE);
};

export default commandNotFound;
