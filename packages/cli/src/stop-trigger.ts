export type StopReason = 'duration' | 'SIGINT' | 'SIGTERM' | 'killed through the API';

/**
 * Resolves `stopped` on the first of: the duration elapsing, SIGINT, SIGTERM, `stop()`. Once
 * stopping, a second SIGINT calls `onForce` (Ctrl-C twice means "now", as people expect
 * when a drain takes long).
 */
export class StopTrigger {
  readonly stopped: Promise<StopReason>;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private resolve!: (reason: StopReason) => void;
  private readonly onSigint = () => (this.stopping ? this.onForce() : this.stop('SIGINT'));
  private readonly onSigterm = () => this.stop('SIGTERM');

  constructor(
    durationSecs: number | undefined,
    private readonly onForce: () => void,
  ) {
    this.stopped = new Promise((resolve) => (this.resolve = resolve));
    process.on('SIGINT', this.onSigint);
    process.on('SIGTERM', this.onSigterm);
    if (durationSecs !== undefined) this.timer = setTimeout(() => this.stop('duration'), durationSecs * 1000);
  }

  dispose(): void {
    clearTimeout(this.timer);
    process.off('SIGINT', this.onSigint);
    process.off('SIGTERM', this.onSigterm);
  }

  stop(reason: StopReason): void {
    if (this.stopping) return;
    this.stopping = true;
    clearTimeout(this.timer);
    this.resolve(reason);
  }
}
