/** A subprocess that ran this long before failing is considered to have recovered: the next restart is quick again. */
export const STABLE_UPTIME_MS = 10_000;

/** Delays between restarts of a failing subprocess: `initialMs`, doubling per consecutive failure, at most `maxMs`. */
export class RestartBackoff {
  private streak = 0;

  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** The delay before the next restart, given how long the failed subprocess had been up (0 if it never was). */
  next(uptimeMs: number): number {
    if (uptimeMs >= STABLE_UPTIME_MS) this.streak = 0;
    const delay = Math.min(this.initialMs * 2 ** Math.min(this.streak, 30), this.maxMs);
    this.streak++;
    return delay;
  }
}
