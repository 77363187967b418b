export type StopReason = 'duration' | 'SIGINT' | 'SIGTERM' | 'finished';

/** How often a run checks whether its spouts are done and nothing is pending; also how finely the summary finds when tuples flowed. */
export const FINISHED_POLL_MS = 100;

/**
 * Resolves `stopped` on the first of: the duration elapsing, SIGINT, SIGTERM, or
 * `finished()` turning true (checked every FINISHED_POLL_MS, after `onPoll`). Once
 * stopping, a second SIGINT calls `onForce` (Ctrl-C twice means "now", as people expect
 * when a drain takes long).
 */
export class StopTrigger {
  readonly stopped: Promise<StopReason>;
  private timer: NodeJS.Timeout | undefined;
  private readonly poll: NodeJS.Timeout;
  private stopping = false;
  private resolve!: (reason: StopReason) => void;
  private readonly onSigint = () => (this.stopping ? this.onForce() : this.stop('SIGINT'));
  private readonly onSigterm = () => this.stop('SIGTERM');

  constructor(
    durationSecs: number | undefined,
    private readonly onForce: () => void,
    finished: () => boolean = () => false,
    onPoll: () => void = () => {},
  ) {
    this.stopped = new Promise((resolve) => (this.resolve = resolve));
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigterm);
    if (durationSecs !== undefined) this.timer = setTimeout(() => this.stop('duration'), durationSecs * 1000);
    this.poll = setInterval(() => {
      onPoll();
      if (finished()) this.stop('finished');
    }, FINISHED_POLL_MS);
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearInterval(this.poll);
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigterm);
  }

  private stop(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    clearInterval(this.poll);
    this.resolve(reason);
  }
}
