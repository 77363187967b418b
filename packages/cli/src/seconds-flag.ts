import { Flags } from '@oclif/core';

/** A flag taking a positive number of seconds; fractions are allowed so tests can go fast. */
export const secondsFlag = Flags.custom<number>({
  helpValue: 'S',
  async parse(input) {
    const secs = Number(input);
    if (!Number.isFinite(secs) || secs <= 0) throw new Error(`expected a positive number of seconds, got "${input}"`);
    return secs;
  },
});
