/**
 * Runs a convergence pass every `periodMs`, or sooner when woken; never two at once (a
 * wake during a pass runs one more right after). This is the level-triggered heart of
 * every daemon: wakes only hurry it, the timer alone would get there too.
 */
export class ConvergenceLoop {
  private timer: NodeJS.Timeout | undefined;
  private dueAt = Infinity;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly pass: () => Promise<void>,
    private readonly periodMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  /** Runs a pass after `delayMs` (default: now) unless one is due sooner. */
  wake(delayMs = 0): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      if (delayMs === 0) this.again = true;
      else setTimeout(() => this.wake(), delayMs).unref();
      return;
    }
    this.schedule(delayMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(delayMs: number): void {
    const due = performance.now() + delayMs;
    if (this.timer !== undefined && due >= this.dueAt) return;
    clearTimeout(this.timer);
    this.dueAt = due;
    this.timer = setTimeout(() => void this.runPass(), delayMs);
  }

  private async runPass(): Promise<void> {
    this.timer = undefined;
    this.dueAt = Infinity;
    if (this.stopped) return;
    this.again = false;
    this.running = this.pass().catch(this.onError);
    await this.running;
    this.running = undefined;
    if (!this.stopped) this.schedule(this.again ? 0 : this.periodMs);
  }
}
