import { format } from 'node:util';
import type { Logger } from './logger.js';

/**
 * Sends `console.*` calls of a worker's components to the worker's logger, so that what
 * they print is a line of the rolled log (with the worker's context) and is bounded by
 * its rotation, rather than growing the file behind stdout without limit.
 */
export function routeConsole(logger: Logger): void {
  const console = globalThis.console;
  console.log = (...args: unknown[]) => logger.info(format(...args));
  console.info = console.log;
  console.debug = (...args: unknown[]) => logger.debug(format(...args));
  console.warn = (...args: unknown[]) => logger.warn(format(...args));
  console.error = (...args: unknown[]) => logger.error(format(...args));
}
