import type { Logger } from '../logging/logger.js';

const MINUTE_MS = 60_000;
const SHOWN_CHARS = 100;

/**
 * A value a connection sent, for a log line: as it is when it is a short run of printable
 * ASCII (the worker ids and topology names Topo makes), else quoted, cut to 100
 * characters, with control characters escaped, so that no one can write escape
 * sequences or fake lines into a worker's log.
 */
export function shown(value: unknown): string {
  // Not String(): a parsed object may carry a "toString" that is not a function.
  const text = typeof value === 'string' ? value : String(JSON.stringify(value));
  if (text.length <= SHOWN_CHARS && /^[\x21-\x7e]+$/.test(text)) return text;
  const cut = text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}...` : text;
  // JSON escapes C0 controls; DEL, C1 (which has a one-byte CSI) and the line separators it leaves as they are.
  return JSON.stringify(cut).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Warnings about refused or displaced links, bounded: anyone who can reach the port can
 * cause one per connection, so only `perMinute` of them are logged one by one each minute
 * and the rest are counted, then reported in one line when the minute ends (or at close).
 */
export class RefusalLog {
  /** Refusals and displacements since start, logged or not. */
  total = 0;
  private logged = 0;
  private unlogged = 0;
  private windowTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly perMinute: number,
  ) {}

  warn(message: string): void {
    this.total++;
    if (this.windowTimer === undefined) {
      this.windowTimer = setTimeout(() => this.endWindow(), MINUTE_MS);
      this.windowTimer.unref();
    }
    if (this.logged < this.perMinute) {
      this.logged++;
      this.logger.warn(message);
    } else {
      this.unlogged++;
    }
  }

  /** Reports what was not logged yet and stops the window's timer. */
  close(): void {
    if (this.windowTimer !== undefined) clearTimeout(this.windowTimer);
    this.endWindow();
  }

  private endWindow(): void {
    this.windowTimer = undefined;
    if (this.unlogged > 0) {
      this.logger.warn(
        `${this.unlogged} more links between workers were refused or displaced without a line each (at most ${this.perMinute} such lines a minute: topo.worker.refusals.logged.per.minute)`,
      );
    }
    this.logged = 0;
    this.unlogged = 0;
  }
}
