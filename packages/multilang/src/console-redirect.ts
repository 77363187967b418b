import { format } from 'node:util';
import type { LogLevel } from '@topo/topology-dsl';

/**
 * Stdout belongs to the protocol in a multi-lang subprocess, so anything user code prints
 * there becomes a protocol `log` instead: `console.log`/`info` at info, `debug` at debug,
 * `warn` and `error` at their levels, and direct `process.stdout.write` calls at info.
 * Call only after the protocol's own writer has taken the real `process.stdout.write`.
 */
export function redirectConsole(log: (level: LogLevel, message: string) => void): void {
  const at = (level: LogLevel) => (...args: unknown[]) => log(level, format(...args));
  console.log = at('info');
  console.info = at('info');
  console.debug = at('debug');
  console.warn = at('warn');
  console.error = at('error');
  process.stdout.write = ((chunk: string | Uint8Array, encoding?: unknown, callback?: unknown) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    log('info', text.endsWith('\n') ? text.slice(0, -1) : text);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
    return true;
  }) as typeof process.stdout.write;
}
