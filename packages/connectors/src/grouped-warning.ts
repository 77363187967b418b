import type { LogLevel } from '@topo/topology-dsl';

/** How long warnings of one kind are gathered into one line. */
const WINDOW_MS = 1000;

/**
 * One warning line per second for a kind of per-message trouble that tends to come in
 * bursts (after Redis comes back, every job in flight at the time may report the same
 * thing): the first case and how many more there were, rather than a line per message.
 */
export class GroupedWarning {
  private first: string | undefined;
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: (level: LogLevel, message: string) => void,
    private readonly describe: (count: number, first: string) => string,
  ) {}

  add(detail: string): void {
    if (this.count++ === 0) this.first = detail;
    this.timer ??= setTimeout(() => this.flush(), WINDOW_MS);
  }

  /** Logs what is gathered now: on close, so nothing is left unsaid. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.count === 0) return;
    this.log('warn', this.describe(this.count, this.first!));
    this.count = 0;
    this.first = undefined;
  }
}
