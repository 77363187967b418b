import { HttpError } from './api/http-error.js';

/**
 * A kill or rebalance wait as given (a number, or the text of the REST path), checked:
 * whole seconds from 0 to `max` (`nimbus.wait.max.secs`). Anything else is refused
 * with 400, since a wait past the limit would keep a topology's spouts off for ages, and
 * one too large for a date would be stored as null and corrupt the record.
 */
export function checkedWaitSecs(given: number | string, max: number): number {
  const secs = typeof given === 'number' ? given : given.trim() === '' ? NaN : Number(given);
  if (Number.isInteger(secs) && secs >= 0 && secs <= max) return secs;
  throw new HttpError(400, `the wait must be a whole number of seconds from 0 to ${max} (nimbus.wait.max.secs), got ${JSON.stringify(String(given))}`);
}

/** The wait when none is given: the topology's message timeout, as in Storm, held to the same limit. */
export function defaultWaitSecs(messageTimeoutSecs: unknown, max: number): number {
  const secs = Number(messageTimeoutSecs);
  return Number.isFinite(secs) && secs >= 0 ? Math.min(secs, max) : max;
}
