import { Errors, Flags } from '@oclif/core';

/** Exit code of a flag value that cannot be used, as oclif's own usage errors. */
const EXIT_USAGE = 2;

/** A flag taking a positive number of seconds; fractions are allowed so tests can go fast. */
export const secondsFlag = Flags.custom<number>({
  helpValue: 'S',
  async parse(input) {
    const secs = Number(input);
    if (!Number.isFinite(secs) || secs <= 0) throw new Errors.CLIError(`expected a positive number of seconds, got "${input}"`, { exit: EXIT_USAGE });
    return secs;
  },
});

/**
 * A kill or rebalance wait: whole seconds >= 0, as Storm's. Nimbus holds it to its own
 * limit (`nimbus.wait.max.secs`, 1 day by default) and names that limit when it refuses.
 */
export const waitSecondsFlag = Flags.custom<number>({
  char: 'w',
  helpValue: 'S',
  async parse(input) {
    const secs = input.trim() === '' ? NaN : Number(input);
    if (!Number.isInteger(secs) || secs < 0) throw new Errors.CLIError(`expected a whole number of seconds >= 0, got "${input}"`, { exit: EXIT_USAGE });
    return secs;
  },
});
