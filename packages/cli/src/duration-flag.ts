import { Errors, Flags } from '@oclif/core';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** A span of time such as `90s`, `10m`, `2h` or `1d` (a bare number is seconds), in milliseconds. */
export const durationFlag = Flags.custom<number>({
  helpValue: 'DURATION',
  async parse(input) {
    const match = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(input.trim());
    if (match === null) throw new Errors.CLIError(`expected a duration such as 30s, 10m, 2h or 1d, got "${input}"`, { exit: 2 });
    return Number(match[1]) * UNIT_SECONDS[match[2] || 's'] * 1000;
  },
});
