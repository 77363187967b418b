import type { Logger } from '../logger.js';

const MINUTE_MS = 60_000;

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
      this.logger({ level: 'warn', message });
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
      this.logger({
        level: 'warn',
        message: `${this.unlogged} more links between workers were refused or displaced without a line each (at most ${this.perMinute} such lines a minute: topo.worker.refusals.logged.per.minute)`,
      });
    }
    this.logged = 0;
    this.unlogged = 0;
  }
}
